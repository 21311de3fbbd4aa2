// Parsers for the two tools' output, as captured from the sandbox (fixtures in ./fixtures).
import { z } from 'zod';
import { stripColours } from '../ansi';
import { AppError } from '../errors';

export interface IperfResult {
  /** Received throughput, Gbit/s. */
  gbps: number;
  retransmits: number;
  /** CPU use of the client host and of the server host, percent (iperf3's own measure). */
  cpuClient: number;
  cpuServer: number;
  bytes: number;
  seconds: number;
}

export interface SockperfResult {
  /** sockperf reports half round trips, in microseconds. */
  avgUs: number;
  p50Us: number;
  p99Us: number;
  p999Us: number;
  maxUs: number;
  observations: number;
  /** Messages answered over the whole run, warm-up included: the round trips the run's counters saw. */
  roundTrips?: number;
}

function fail(tool: string, reason: string): never {
  throw new AppError('bench_tool_failed', `${tool} failed: ${reason}`, {
    status: 500,
    hint: 'Is the lab set up (lab-pods status in the sandbox tab)? The app and the proxy must be running.',
  });
}

/** The parts of iperf3's -J report the benchmark reads; the rest is ignored. Sandbox output: checked, not trusted. */
const Iperf3Report = z.object({
  error: z.unknown().optional(),
  end: z
    .object({
      sum_received: z.object({ bits_per_second: z.number(), bytes: z.number().optional(), seconds: z.number().optional() }).optional(),
      sum_sent: z.object({ retransmits: z.number().optional() }).optional(),
      cpu_utilization_percent: z.object({ host_total: z.number().optional(), remote_total: z.number().optional() }).optional(),
    })
    .optional(),
});

export function parseIperf3(raw: string): IperfResult {
  let json: unknown;
  try {
    json = JSON.parse(raw);
  } catch {
    return fail('iperf3', 'its output is not JSON');
  }
  const parsed = Iperf3Report.safeParse(json);
  if (!parsed.success) {
    const said = (json as { error?: unknown } | null)?.error;
    return fail('iperf3', said ? String(said) : 'its report is not in the expected form');
  }
  const doc = parsed.data;
  if (doc.error) fail('iperf3', String(doc.error));
  const end = doc.end ?? {};
  const received = end.sum_received;
  if (!received) return fail('iperf3', 'no result in its output');
  return {
    gbps: received.bits_per_second / 1e9,
    retransmits: end.sum_sent?.retransmits ?? 0,
    cpuClient: end.cpu_utilization_percent?.host_total ?? 0,
    cpuServer: end.cpu_utilization_percent?.remote_total ?? 0,
    bytes: received.bytes ?? 0,
    seconds: received.seconds ?? 0,
  };
}

export function parseSockperf(raw: string): SockperfResult {
  const text = stripColours(raw);
  const num = (re: RegExp) => {
    const m = re.exec(text);
    return m ? Number(m[1]) : Number.NaN;
  };
  const avgUs = num(/avg-latency=([\d.]+)/);
  if (!Number.isFinite(avgUs)) {
    const why = /No messages were received[^\n]*|ERROR:[^\n]*/.exec(text)?.[0] ?? 'no latency in its output';
    fail('sockperf', why.trim());
  }
  const roundTrips = num(/\[Total Run\][^\n]*ReceivedMessages=(\d+)/);
  const pct = (p: string) => num(new RegExp(`percentile ${p.replace('.', '\\.')} =\\s+([\\d.]+)`));
  return {
    avgUs,
    p50Us: pct('50.000'),
    p99Us: pct('99.000'),
    p999Us: pct('99.900'),
    maxUs: num(/<MAX> observation =\s+([\d.]+)/),
    observations: num(/Total (\d+) observations/),
    ...(Number.isFinite(roundTrips) ? { roundTrips } : {}),
  };
}
