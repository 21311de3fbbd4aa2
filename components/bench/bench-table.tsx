'use client';
// The run's numbers: per size and mode, medians [min–max], ratios to direct and to the lab's reference mode, what
// each sample's datapath check saw, and what the lab's accelerated mode (and every other one) changed against the
// reference.
import { Fragment } from 'react';
import { fmt as f, gbps, lower, pairedRange, pct, sizeLabel } from '@/lib/bench/report';
import { datapathNote, type BenchSummary, type CellSummary, type Sample } from './bench-data';
import { BenchTableFrame, type Column } from './bench-table-frame';

/** A cell's datapath check as a learner reads it: how many samples passed, and on hover what the checks saw. */
function DatapathCell({ cell, samples }: { cell: CellSummary; samples: Sample[] }) {
  return (
    <td className={cell.flagged ? 'status-text-warn' : undefined} title={datapathNote(cell, samples)}>
      {cell.flagged ? `${cell.flagged} of ${cell.samples} flagged` : `verified ${cell.samples}/${cell.samples}`}
    </td>
  );
}

export function BenchTable({ summary, samples }: { summary: BenchSummary; samples: Sample[] }) {
  const { reference, accelerated } = summary.roles;
  const columns: Column[] = [
    'Gbit/s',
    '× direct',
    'p50 µs',
    'p99 µs',
    '× direct',
    { label: `× ${reference}`, title: `p50 latency against ${reference}, the mode whose tax is measured` },
    { label: 'datapath', title: 'samples whose datapath matched the mode; a flagged sample is left out of the figures' },
  ];
  // Labs that compare more than one mode with the reference (proxy-splicing: splice and sockmap against copy).
  const others = [...new Set(summary.comparisons.flatMap((c) => Object.keys(c.taxRemovedBy)))];
  return (
    <BenchTableFrame testId="bench-table" columns={columns}>
      <tbody>
        {summary.cells.map((c) => {
          const cmp = summary.comparisons.find((x) => x.size === c.size);
          return (
            <tr key={`${c.size}-${c.mode}`} data-mode={c.mode}>
              <td>{sizeLabel(c.size)}</td>
              <td>{c.mode}</td>
              <td>
                {gbps(c.throughputGbps?.median)} <span className="muted">[{gbps(c.throughputGbps?.min)}–{gbps(c.throughputGbps?.max)}]</span>
              </td>
              <td>{f(cmp?.throughputRatio[c.mode])}</td>
              <td>
                {f(c.latencyP50Us?.median, 1)} <span className="muted">[{f(c.latencyP50Us?.min, 1)}–{f(c.latencyP50Us?.max, 1)}]</span>
              </td>
              <td>{f(c.latencyP99Us?.median, 1)}</td>
              <td>{f(cmp?.latencyRatio[c.mode])}</td>
              <td>{f(cmp?.latencyRatioToReference[c.mode])}</td>
              <DatapathCell cell={c} samples={samples} />
            </tr>
          );
        })}
      </tbody>
      <tfoot>
        {summary.comparisons.map((c) => (
          <Fragment key={c.size}>
            {c.accelLatencyChange !== undefined || c.accelThroughputChange !== undefined ? (
              <tr>
                <td colSpan={columns.length + 2}>
                  {sizeLabel(c.size)}: {accelerated} against {reference} changes p50 latency by <strong>{lower(c.accelLatencyChange)}</strong> (
                  {pct(c.taxRemoved.latency)} of {reference}&apos;s latency tax) and throughput by <strong>{lower(c.accelThroughputChange)}</strong>
                  {c.pairedLatencyChange && c.pairedLatencyChange.n > 1 ? (
                    <span className="muted">
                      {' '}
                      · per repetition (paired, drift cancels): latency {pairedRange(c.pairedLatencyChange)}
                      {c.pairedThroughputChange ? `, throughput ${lower(c.pairedThroughputChange.median)}` : ''}
                    </span>
                  ) : null}
                </td>
              </tr>
            ) : null}
            {others.length > 1 ? (
              <tr>
                <td colSpan={columns.length + 2}>
                  {sizeLabel(c.size)}: share of {reference}&apos;s tax removed (p50 latency, throughput):{' '}
                  {others.map((m) => `${m} ${pct(c.taxRemovedBy[m]?.latency)}, ${pct(c.taxRemovedBy[m]?.throughput)}`).join(' · ')}
                </td>
              </tr>
            ) : null}
          </Fragment>
        ))}
      </tfoot>
    </BenchTableFrame>
  );
}
