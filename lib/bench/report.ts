// The benchmark as a markdown table: per size and mode, medians with min-max, and ratios to direct.
import type { Summary } from '../stats';
import { contextSwitchCells } from './context-switches';
import { DEFAULT_ROLES, MODES, type BenchConfig, type BenchSummary, type Mode, type ModeRoles, type Sample } from './model';
import type { Environment } from './types';

export const fmt = (n: number | undefined, digits = 2) => (n === undefined || !Number.isFinite(n) ? '–' : n.toFixed(digits));
const range = (s: Summary | undefined, digits = 2) => (s ? `${fmt(s.median, digits)} [${fmt(s.min, digits)}–${fmt(s.max, digits)}]` : '–');
/** Throughput in Gbit/s: two decimals, or two significant digits below 0.1 (64 B messages through a proxy move about
 * 0.01 Gbit/s, which two decimals would print alike for every mode). */
export const gbps = (n: number | undefined) => (n !== undefined && n !== 0 && Math.abs(n) < 0.1 ? n.toPrecision(2) : fmt(n));
const gbpsRange = (s: Summary | undefined) => (s ? `${gbps(s.median)} [${gbps(s.min)}–${gbps(s.max)}]` : '–');
export const pct = (n: number | undefined) => (n === undefined || !Number.isFinite(n) ? '–' : `${(n * 100).toFixed(0)}%`);
/** A change (proxy - x) / proxy shown as x against proxy: 0.1 -> "−10%" (x is 10% lower), -0.05 -> "+5%". */
export function lower(change: number | undefined): string {
  if (change === undefined || !Number.isFinite(change)) return '–';
  return `${change >= 0 ? '−' : '+'}${pct(Math.abs(change))}`;
}
/** Median [range] of paired changes, the range in display order (the largest decrease first). */
export const pairedRange = (s: Summary | undefined) => (s ? `${lower(s.median)} [${lower(s.max)} … ${lower(s.min)}]` : '–');
export const sizeLabel = (n: number) => (n >= 1024 ? `${n / 1024} KiB` : `${n} B`);

export function formatBenchTable(
  summary: BenchSummary,
  meta: { config: BenchConfig; environment?: Environment; lab: string; at: Date; roles?: ModeRoles; samples?: readonly Sample[]; modes?: readonly Mode[] },
): string {
  const e = meta.environment;
  const roles = meta.roles ?? DEFAULT_ROLES;
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
      `| ${sizeLabel(c.size)} | ${c.mode} | ${gbpsRange(c.throughputGbps)} | ${fmt(cmp.throughputRatio[c.mode])} | ${range(c.latencyP50Us, 1)} | ${fmt(c.latencyP99Us?.median, 1)} | ${fmt(cmp.latencyRatio[c.mode])} | ${c.flagged || ''} |`,
    );
  }
  lines.push(
    '',
    `${roles.accelerated} against ${roles.reference}: from the medians, and paired (per repetition, ${roles.reference} and ${roles.accelerated} measured next to each other: median [min–max]).`,
    '',
    `| size | latency p50 vs ${roles.reference} | paired | share of the latency tax removed | throughput vs ${roles.reference} | paired |`,
    '|---|---|---|---|---|---|',
  );
  for (const cmp of summary.comparisons) {
    lines.push(
      `| ${sizeLabel(cmp.size)} | ${lower(cmp.accelLatencyChange)} | ${pairedRange(cmp.pairedLatencyChange)} | ${pct(cmp.taxRemoved.latency)} | ${lower(cmp.accelThroughputChange)} | ${pairedRange(cmp.pairedThroughputChange)} |`,
    );
  }
  // Labs with more than one mode against the reference (proxy-splicing: splice and sockmap against copy).
  const others = [...new Set(summary.comparisons.flatMap((c) => Object.keys(c.taxRemovedBy)))];
  if (others.length > 1) {
    lines.push(
      '',
      `Share of ${roles.reference}'s tax (against ${roles.direct}) each mode removes, from the medians: (${roles.reference} − mode) / (${roles.reference} − ${roles.direct}).`,
      '',
      `| size | ${others.map((m) => `${m}: latency p50 | ${m}: throughput`).join(' | ')} |`,
      `|---|${others.map(() => '---|---').join('|')}|`,
    );
    for (const cmp of summary.comparisons) {
      lines.push(`| ${sizeLabel(cmp.size)} | ${others.map((m) => `${pct(cmp.taxRemovedBy[m]?.latency)} | ${pct(cmp.taxRemovedBy[m]?.throughput)}`).join(' | ')} |`);
    }
  }
  lines.push(...formatContextSwitches(meta.samples ?? [], meta.modes));
  return lines.join('\n');
}

/** The markdown table of context switches per round trip, or nothing when no sample counted them. */
export function formatContextSwitches(samples: readonly Sample[], order: readonly Mode[] = MODES): string[] {
  const cells = contextSwitchCells(samples, order);
  if (!cells.length) return [];
  return [
    '',
    'Context switches per round trip, counted around each latency run (sockperf ping-pong): median [min–max]. The',
    "machine's count (/proc/stat ctxt) includes every other process and kernel thread on it, so it means something only",
    "pinned on an otherwise idle machine; the proxy's own (all its threads, getrusage) and its wake-ups in user space",
    '(returns from poll) are its alone.',
    '',
    "| size | mode | context switches per round trip (machine) | the proxy's own | the proxy's wake-ups |",
    '|---|---|---|---|---|',
    ...cells.map((c) => `| ${sizeLabel(c.size)} | ${c.mode} | ${range(c.host)} | ${range(c.proxy)} | ${range(c.proxyWakeups)} |`),
  ];
}
