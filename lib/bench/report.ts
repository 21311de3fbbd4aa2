// The benchmark as a markdown table: per size and mode, medians with min-max, and ratios to direct.
import type { Summary } from '../stats';
import type { BenchConfig, BenchSummary } from './model';
import type { Environment } from './store';

const fmt = (n: number | undefined, digits = 2) => (n === undefined || !Number.isFinite(n) ? '–' : n.toFixed(digits));
const range = (s: Summary | undefined, digits = 2) => (s ? `${fmt(s.median, digits)} [${fmt(s.min, digits)}–${fmt(s.max, digits)}]` : '–');
const pct = (n: number | undefined) => (n === undefined || !Number.isFinite(n) ? '–' : `${(n * 100).toFixed(0)}%`);
export const sizeLabel = (n: number) => (n >= 1024 ? `${n / 1024} KiB` : `${n} B`);

export function formatBenchTable(
  summary: BenchSummary,
  meta: { config: BenchConfig; environment?: Environment; lab: string; at: Date },
): string {
  const e = meta.environment;
  const lines = [
    `### ${meta.lab}: ${meta.config.repetitions} repetition(s), ${meta.config.durationS} s per tool, ${meta.at.toISOString()}`,
    '',
    e
      ? `kernel ${e.kernel}, ${e.cpus} CPUs, proxy **${e.proxy}**, ${e.pinning === 'none' ? 'unpinned' : `all pinned to CPU ${e.pinning}`}, acceleration from the ${e.accelPrograms ?? 'reference'} build, ${e.engine ?? ''}`
      : '',
    '',
    'Throughput in Gbit/s and latency (sockperf, half round trip) in µs: median [min–max] over the repetitions. Ratios are to direct.',
    '',
    '| size | mode | throughput | × direct | latency p50 | p99 | × direct (p50) | flagged |',
    '|---|---|---|---|---|---|---|---|',
  ];
  for (const c of summary.cells) {
    const cmp = summary.comparisons.find((x) => x.size === c.size)!;
    lines.push(
      `| ${sizeLabel(c.size)} | ${c.mode} | ${range(c.throughputGbps)} | ${fmt(cmp.throughputRatio[c.mode])} | ${range(c.latencyP50Us, 1)} | ${fmt(c.latencyP99Us?.median, 1)} | ${fmt(cmp.latencyRatio[c.mode])} | ${c.flagged || ''} |`,
    );
  }
  lines.push('', '| size | acceleration: latency p50 vs proxy | share of the latency tax removed | throughput vs proxy |', '|---|---|---|---|');
  for (const cmp of summary.comparisons) {
    const lat = cmp.accelLatencyChange === undefined ? '–' : `${cmp.accelLatencyChange >= 0 ? '−' : '+'}${pct(Math.abs(cmp.accelLatencyChange))}`;
    const thr = cmp.accelThroughputChange === undefined ? '–' : `${cmp.accelThroughputChange <= 0 ? '+' : '−'}${pct(Math.abs(cmp.accelThroughputChange))}`;
    lines.push(`| ${sizeLabel(cmp.size)} | ${lat} | ${pct(cmp.taxRemoved.latency)} | ${thr} |`);
  }
  return lines.join('\n');
}
