'use client';
// The run's numbers: per size and mode, medians [min–max], ratios to direct, and what acceleration changed.
import { fmt as f, lower, pairedRange, pct, sizeLabel } from '@/lib/bench/report';
import type { BenchSummary } from './bench-data';
import { BenchTableFrame, type Column } from './bench-table-frame';

const COLUMNS: Column[] = [
  'Gbit/s',
  '× direct',
  'p50 µs',
  'p99 µs',
  '× direct',
  { label: 'flagged', title: 'samples whose datapath did not match the mode (left out)' },
];

export function BenchTable({ summary }: { summary: BenchSummary }) {
  return (
    <BenchTableFrame testId="bench-table" columns={COLUMNS}>
      <tbody>
        {summary.cells.map((c) => {
          const cmp = summary.comparisons.find((x) => x.size === c.size);
          return (
            <tr key={`${c.size}-${c.mode}`} data-mode={c.mode}>
              <td>{sizeLabel(c.size)}</td>
              <td>{c.mode}</td>
              <td>
                {f(c.throughputGbps?.median)} <span className="muted">[{f(c.throughputGbps?.min)}–{f(c.throughputGbps?.max)}]</span>
              </td>
              <td>{f(cmp?.throughputRatio[c.mode])}</td>
              <td>
                {f(c.latencyP50Us?.median, 1)} <span className="muted">[{f(c.latencyP50Us?.min, 1)}–{f(c.latencyP50Us?.max, 1)}]</span>
              </td>
              <td>{f(c.latencyP99Us?.median, 1)}</td>
              <td>{f(cmp?.latencyRatio[c.mode])}</td>
              <td className={c.flagged ? 'status-text-warn' : undefined}>{c.flagged || ''}</td>
            </tr>
          );
        })}
      </tbody>
      <tfoot>
        {summary.comparisons
          .filter((c) => c.accelLatencyChange !== undefined || c.accelThroughputChange !== undefined)
          .map((c) => (
            <tr key={c.size}>
              <td colSpan={8}>
                {sizeLabel(c.size)}: acceleration changes p50 latency by <strong>{lower(c.accelLatencyChange)}</strong> (
                {pct(c.taxRemoved.latency)} of the proxy&apos;s latency tax) and throughput by <strong>{lower(c.accelThroughputChange)}</strong>
                {c.pairedLatencyChange && c.pairedLatencyChange.n > 1 ? (
                  <span className="muted">
                    {' '}
                    · per repetition (paired, drift cancels): latency {pairedRange(c.pairedLatencyChange)}
                    {c.pairedThroughputChange ? `, throughput ${lower(c.pairedThroughputChange.median)}` : ''}
                  </span>
                ) : null}
              </td>
            </tr>
          ))}
      </tfoot>
    </BenchTableFrame>
  );
}
