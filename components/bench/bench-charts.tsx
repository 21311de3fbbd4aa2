'use client';
// Charts of one run: throughput and latency per message size and mode, medians with min-max error bars.
import { useState } from 'react';
import { Bar, BarChart, CartesianGrid, ErrorBar, Legend, ResponsiveContainer, Tooltip, XAxis, YAxis } from 'recharts';
import { chartRows, modeColors, type BenchSummary, type Mode } from './bench-data';

const AXIS = { stroke: '#9da7b3', fontSize: 12 };
/** Room around the plot: the top tick's label is centred on the plot's top edge and needs half a line above it. */
const MARGIN = { top: 16, right: 16, bottom: 4, left: 4 };

function MetricChart({ summary, metric, title, unit: absoluteUnit, modes, relative }: {
  summary: BenchSummary;
  metric: 'throughputGbps' | 'latencyP50Us' | 'latencyP99Us';
  title: string;
  unit: string;
  modes: Mode[];
  relative: boolean;
}) {
  const rows = chartRows(summary, metric, modes, relative);
  const colors = modeColors(modes, summary.roles);
  const unit = relative ? '× direct' : absoluteUnit;
  const axisUnit = relative ? '×' : absoluteUnit;
  if (rows.length === 0) return null;
  return (
    <figure className="bench-chart" data-testid={`chart-${metric}`}>
      <figcaption>{title}</figcaption>
      <ResponsiveContainer width="100%" height={220}>
        <BarChart data={rows} margin={MARGIN}>
          <CartesianGrid stroke="#30363d" vertical={false} />
          <XAxis dataKey="size" tick={AXIS} stroke="#30363d" />
          <YAxis tick={AXIS} stroke="#30363d" unit={` ${axisUnit}`} width={80} />
          <Tooltip
            contentStyle={{ background: '#161b22', border: '1px solid #30363d' }}
            formatter={(v) => [`${Number(v).toFixed(2)} ${unit}`]}
          />
          {/* Recharts sorts the legend by name unless told otherwise: the lab's order instead. */}
          <Legend itemSorter={(item) => modes.indexOf(String(item.dataKey))} />
          {modes.map((m) => (
            <Bar key={m} dataKey={m} name={m} fill={colors[m]} isAnimationActive={false}>
              <ErrorBar dataKey={`${m}:range`} width={4} stroke="#e6edf3" />
            </Bar>
          ))}
        </BarChart>
      </ResponsiveContainer>
    </figure>
  );
}

export function BenchCharts({ summary, modes }: { summary: BenchSummary; modes: Mode[] }) {
  // Relative to direct puts 64 B and 128 KiB on one scale (absolute throughput differs 100-fold between them).
  const canRelate = modes.includes('direct');
  const [relative, setRelative] = useState(false);
  const props = { summary, modes, relative: canRelate && relative };
  return (
    <>
      {canRelate ? (
        <div className="bench-scale" role="radiogroup" aria-label="Chart scale">
          <label>
            <input type="radio" name="bench-scale" checked={!relative} onChange={() => setRelative(false)} /> absolute
          </label>
          <label>
            <input type="radio" name="bench-scale" checked={relative} onChange={() => setRelative(true)} /> relative to direct
          </label>
        </div>
      ) : null}
      <div className="bench-charts">
        <MetricChart {...props} metric="throughputGbps" title="Throughput (iperf3), median with min–max" unit="Gbit/s" />
        <MetricChart {...props} metric="latencyP50Us" title="Latency p50 (sockperf, half round trip)" unit="µs" />
        <MetricChart {...props} metric="latencyP99Us" title="Latency p99" unit="µs" />
      </div>
    </>
  );
}
