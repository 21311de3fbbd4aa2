// Parsers for the two tools' output, as captured from the sandbox (fixtures in ./fixtures).
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
}

function fail(tool: string, reason: string): never {
  throw new AppError('bench_tool_failed', `${tool} failed: ${reason}`, {
    status: 500,
    hint: 'Is the lab set up (lab-pods status in the sandbox tab)? The app and the proxy must be running.',
  });
}

export function parseIperf3(raw: string): IperfResult {
  let doc: Record<string, any>;
  try {
    doc = JSON.parse(raw);
  } catch {
    return fail('iperf3', 'its output is not JSON');
  }
  if (doc.error) fail('iperf3', String(doc.error));
  const end = doc.end ?? {};
  const received = end.sum_received;
  if (!received || typeof received.bits_per_second !== 'number') fail('iperf3', 'no result in its output');
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
  const pct = (p: string) => num(new RegExp(`percentile ${p.replace('.', '\\.')} =\\s+([\\d.]+)`));
  return {
    avgUs,
    p50Us: pct('50.000'),
    p99Us: pct('99.000'),
    p999Us: pct('99.900'),
    maxUs: num(/<MAX> observation =\s+([\d.]+)/),
    observations: num(/Total (\d+) observations/),
  };
}
