// The frame of the pane's tables (one run's numbers, two runs compared): a row per size and mode, then the
// table's own columns.
import type { ReactNode } from 'react';

/** A column heading, with a tooltip when the word alone does not say enough. */
export type Column = string | { label: string; title: string };

export function BenchTableFrame({ testId, columns, children }: { testId: string; columns: Column[]; children: ReactNode }) {
  return (
    <table className="bench-table" data-testid={testId}>
      <thead>
        <tr>
          <th>size</th>
          <th>mode</th>
          {columns.map((c, i) => (
            // Headings repeat ("× direct" for throughput and for latency): their place is what tells them apart.
            <th key={i} title={typeof c === 'string' ? undefined : c.title}>
              {typeof c === 'string' ? c : c.label}
            </th>
          ))}
        </tr>
      </thead>
      {children}
    </table>
  );
}
