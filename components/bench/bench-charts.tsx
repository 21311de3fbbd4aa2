'use client';
// Charts of one run: throughput and latency per message size and mode, medians with min-max error bars.
import { Bar, BarChart, CartesianGrid, ErrorBar, Legend, ResponsiveContainer, Tooltip, XAxis, YAxis } from 'recharts';
import { MODE_COLORS, chartRows, type BenchSummary, type Mode } from './bench-data';

const AXIS = { stroke: '#9da7b3', fontSize: 12 };

function MetricChart({ summary, metric, title, unit, modes }: {
  summary: BenchSummary;
  metric: 'throughputGbps' | 'latencyP50Us' | 'latencyP99Us';
  title: string;
  unit: string;
  modes: Mode[];
}) {
  const rows = chartRows(summary, metric, modes);
  if (rows.length === 0) return null;
  return (
    <figure className="bench-chart" data-testid={`chart-${metric}`}>
      <figcaption>{title}</figcaption>
      <ResponsiveContainer width="100%" height={220}>
        <BarChart data={rows} margin={{ top: 8, right: 12, bottom: 4, left: 4 }}>
          <CartesianGrid stroke="#30363d" vertical={false} />
          <XAxis dataKey="size" tick={AXIS} stroke="#30363d" />
          <YAxis tick={AXIS} stroke="#30363d" unit={` ${unit}`} width={80} />
          <Tooltip
            contentStyle={{ background: '#161b22', border: '1px solid #30363d' }}
            formatter={(v) => [`${Number(v).toFixed(2)} ${unit}`]}
          />
          <Legend />
          {modes.map((m) => (
            <Bar key={m} dataKey={m} name={m} fill={MODE_COLORS[m]} isAnimationActive={false}>
              <ErrorBar dataKey={`${m}:range`} width={4} stroke="#e6edf3" />
            </Bar>
          ))}
        </BarChart>
      </ResponsiveContainer>
    </figure>
  );
}

export function BenchCharts({ summary, modes }: { summary: BenchSummary; modes: Mode[] }) {
  return (
    <div className="bench-charts">
      <MetricChart summary={summary} metric="throughputGbps" title="Throughput (iperf3), median with min–max" unit="Gbit/s" modes={modes} />
      <MetricChart summary={summary} metric="latencyP50Us" title="Latency p50 (sockperf, half round trip)" unit="µs" modes={modes} />
      <MetricChart summary={summary} metric="latencyP99Us" title="Latency p99" unit="µs" modes={modes} />
    </div>
  );
}
