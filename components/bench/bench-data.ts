// Benchmark data for the pane: what the API returns, fetched and shaped for the charts.
import type { BenchSummary, CellSummary, Mode, ModeRoles, Sample } from '@/lib/bench/model';
import { sizeLabel } from '@/lib/bench/report';
import type { RunRecord } from '@/lib/bench/types';

export type { BenchSummary, CellSummary, Mode, RunRecord, Sample };

export interface RunDetail {
  run: RunRecord;
  samples: Sample[];
  summary: BenchSummary;
}

/** Colours by role, so that every lab reads alike: direct grey, the mode whose tax is measured orange, the one that
 * removes it green; a lab's other modes take the next free colour, in the lab's order. */
const ROLE_COLORS = { direct: '#8b949e', reference: '#f0883e', accelerated: '#3fb950' };
const OTHER_COLORS = ['#d29922', '#a371f7', '#58a6ff', '#db61a2', '#39c5cf', '#e6edf3'];

export function modeColors(modes: readonly Mode[], roles: ModeRoles): Record<Mode, string> {
  const colors: Record<Mode, string> = {};
  let next = 0;
  for (const mode of modes) {
    if (mode === roles.direct) colors[mode] = ROLE_COLORS.direct;
    else if (mode === roles.reference) colors[mode] = ROLE_COLORS.reference;
    else if (mode === roles.accelerated) colors[mode] = ROLE_COLORS.accelerated;
    else colors[mode] = OTHER_COLORS[next++ % OTHER_COLORS.length]!;
  }
  return colors;
}

export { sizeLabel } from '@/lib/bench/report';

const count = (n: number) => n.toLocaleString('en-US');

/** What a cell's datapath checks saw, for its hover text: the counters over its samples, then why any sample was
 * flagged (each reason once; sample output is the sandbox's, so only as plain text). */
export function datapathNote(cell: CellSummary, samples: Sample[]): string {
  const seen = cell.datapath;
  const counters = [
    `${count(seen.proxyConnections)} new proxy connections`,
    `${count(seen.redirected)} redirected in the kernel`,
    ...(seen.proxyReads === undefined ? [] : [`${count(seen.proxyReads)} payload reads by the proxy`]),
  ].join(', ');
  const reasons = [
    ...new Set(
      samples
        .filter((s) => s.size === cell.size && s.mode === cell.mode)
        .flatMap((s) => [...(s.error ? [s.error] : []), ...s.datapath.problems]),
    ),
  ];
  return `${counters} (over ${cell.samples} sample(s))${reasons.length ? `. Flagged: ${reasons.join('; ')}` : ''}`;
}

/** A duration as the pane words it: seconds up to a minute and a half, minutes after. */
export const aboutDuration = (s: number) => (s >= 90 ? `${Math.round(s / 60)} min` : `${Math.round(s)} s`);

type Metric = 'throughputGbps' | 'latencyP50Us' | 'latencyP99Us';

/** One row per size: each mode's median and its [below, above] distance to min and max (error bars). With
 * `relative`, every value is divided by the direct mode's median for that size (sizes without direct are left out),
 * so that small and large messages share one scale. */
export function chartRows(summary: BenchSummary, metric: Metric, modes: Mode[], relative = false) {
  const sizes = [...new Set(summary.cells.map((c) => c.size))].sort((a, b) => a - b);
  return sizes
    .map((size) => {
      const stat = (mode: Mode) => summary.cells.find((c) => c.size === size && c.mode === mode)?.[metric];
      const base = relative ? stat('direct')?.median : 1;
      if (!base) return undefined;
      const row: Record<string, string | number | [number, number]> = { size: sizeLabel(size) };
      let any = false;
      for (const mode of modes) {
        const s = stat(mode);
        if (!s) continue;
        any = true;
        row[mode] = Number((s.median / base).toFixed(3));
        row[`${mode}:range`] = [(s.median - s.min) / base, (s.max - s.median) / base];
      }
      return any ? row : undefined;
    })
    .filter((r): r is NonNullable<typeof r> => !!r);
}
