// Benchmark runs as files: JSON (everything) and CSV (one row per sample).
import type { BenchSummary, Sample } from './model';
import type { RunRecord } from './types';

export const CSV_COLUMNS = [
  'run', 'index', 'rep', 'mode', 'size', 'gbps', 'retransmits', 'cpu_client', 'cpu_server',
  'latency_avg_us', 'latency_p50_us', 'latency_p99_us', 'latency_p999_us',
  'proxy_connections', 'redirected', 'proxy_reads', 'datapath_ok', 'datapath_problems', 'error', 'started_at', 'duration_ms',
] as const;

function cell(v: unknown): string {
  if (v === undefined || v === null) return '';
  const s = String(v);
  return /[",\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}

export function toCsv(run: RunRecord, samples: Sample[]): string {
  const rows = samples.map((s) =>
    [
      run.id, s.index, s.rep, s.mode, s.size,
      s.iperf?.gbps, s.iperf?.retransmits, s.iperf?.cpuClient, s.iperf?.cpuServer,
      s.sockperf?.avgUs, s.sockperf?.p50Us, s.sockperf?.p99Us, s.sockperf?.p999Us,
      s.datapath.proxyConnections, s.datapath.redirected, s.datapath.proxyReads, s.datapath.ok, s.datapath.problems.join('; '), s.error,
      s.startedAt, s.durationMs,
    ]
      .map(cell)
      .join(','),
  );
  return [CSV_COLUMNS.join(','), ...rows].join('\n') + '\n';
}

export interface RunExport {
  run: RunRecord;
  summary: BenchSummary;
  samples: Sample[];
}

export function toJson(data: RunExport): string {
  return JSON.stringify(data, null, 2);
}
