'use client';
// Two runs side by side: each size and mode's medians, and how much the second differs from the first.
import { fmt as f, gbps, sizeLabel } from '@/lib/bench/report';
import type { RunDetail } from './bench-data';
import { BenchTableFrame } from './bench-table-frame';

const delta = (a?: number, b?: number) => (a && b ? `${b >= a ? '+' : '−'}${(Math.abs(b / a - 1) * 100).toFixed(0)}%` : '–');

export function BenchCompare({ a, b }: { a: RunDetail; b: RunDetail }) {
  const keys = [...new Set([...a.summary.cells, ...b.summary.cells].map((c) => `${c.size}|${c.mode}`))];
  return (
    <BenchTableFrame testId="bench-compare" columns={['Gbit/s A', 'Gbit/s B', 'B vs A', 'p50 µs A', 'p50 µs B', 'B vs A']}>
      <tbody>
        {keys.map((k) => {
          const [size, mode] = k.split('|') as [string, string];
          const ca = a.summary.cells.find((c) => c.size === Number(size) && c.mode === mode);
          const cb = b.summary.cells.find((c) => c.size === Number(size) && c.mode === mode);
          return (
            <tr key={k}>
              <td>{sizeLabel(Number(size))}</td>
              <td>{mode}</td>
              <td>{gbps(ca?.throughputGbps?.median)}</td>
              <td>{gbps(cb?.throughputGbps?.median)}</td>
              <td>{delta(ca?.throughputGbps?.median, cb?.throughputGbps?.median)}</td>
              <td>{f(ca?.latencyP50Us?.median, 1)}</td>
              <td>{f(cb?.latencyP50Us?.median, 1)}</td>
              <td>{delta(ca?.latencyP50Us?.median, cb?.latencyP50Us?.median)}</td>
            </tr>
          );
        })}
      </tbody>
    </BenchTableFrame>
  );
}
