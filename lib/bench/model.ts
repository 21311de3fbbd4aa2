// The benchmark's vocabulary: modes, configuration, the plan (interleaved), samples, datapath verification, and the
// summary (medians with spread, ratios to direct, the share of the proxy's tax that acceleration removes).
import { z } from 'zod';
import { spreadRatio, summarize, type Summary } from '../stats';
import type { IperfResult, SockperfResult } from './parse';

/** The modes of the acceleration lab, and of every lab that does not list its own (lab.yaml benchmark.modes). */
export const MODES = ['direct', 'proxy', 'proxy+accel'] as const;
/** A mode's name: one of MODES, or one of the lab's own (lowercase letters, digits, + and -). */
export type Mode = string;
export const MODE_NAME = /^[a-z][a-z0-9+-]{0,19}$/;

/** Which modes the comparisons use: the baseline, the mode whose tax is measured, and the one that removes it. */
export interface ModeRoles {
  direct: Mode;
  reference: Mode;
  accelerated: Mode;
}
export const DEFAULT_ROLES: ModeRoles = { direct: 'direct', reference: 'proxy', accelerated: 'proxy+accel' };

/** What a mode's samples must show to count: through the proxy or not, kernel redirects or not, and (when the lab's
 * counters report them) no payload read by the proxy. */
export interface ModeExpectation {
  viaProxy: boolean;
  redirected: boolean;
  noProxyReads?: boolean;
}
export const defaultExpectation = (mode: Mode): ModeExpectation => ({ viaProxy: mode !== 'direct', redirected: mode === 'proxy+accel' });

export const SIZES = [64, 256, 1024, 4096, 16384, 65536, 131072] as const;
export const DEFAULT_SIZES = [64, 1024, 16384, 131072];
/** sockperf refuses larger messages: bigger sizes get throughput only. */
export const SOCKPERF_MAX_MESSAGE = 65507;

export const BenchConfigSchema = z.strictObject({
  /** Checked against the lab's own list where the run starts (lib/bench/service.ts, scripts/bench-lab.ts). */
  modes: z.array(z.string().regex(MODE_NAME, 'a mode name')).min(1).max(8).default([...MODES]),
  sizes: z
    .array(z.number().int().refine((n) => (SIZES as readonly number[]).includes(n), `sizes are among ${SIZES.join(', ')}`))
    .min(1)
    .max(SIZES.length)
    .default(DEFAULT_SIZES),
  repetitions: z.number().int().min(1).max(20).default(3),
  /** Seconds per tool run. */
  durationS: z.number().int().min(1).max(30).default(5),
  /** Pin client, proxy and app to one CPU (the default), or let the scheduler place them. */
  pinned: z.boolean().default(true),
  tools: z.array(z.enum(['iperf3', 'sockperf'])).min(1).default(['iperf3', 'sockperf']),
});
export type BenchConfig = z.infer<typeof BenchConfigSchema>;

export interface PlannedRun {
  index: number;
  rep: number;
  size: number;
  mode: Mode;
}

/**
 * The order of the runs: repetition, then size, then mode, so the modes alternate (A B C A B C ...) and a drift of
 * the machine over the run affects every mode alike.
 */
export function plan(config: BenchConfig, order: readonly Mode[] = MODES): PlannedRun[] {
  const runs: PlannedRun[] = [];
  for (let rep = 1; rep <= config.repetitions; rep++) {
    for (const size of config.sizes) {
      for (const mode of order.filter((m) => config.modes.includes(m))) runs.push({ index: runs.length, rep, size, mode });
    }
  }
  return runs;
}

/** Overhead of one sample besides the tools' own time (mode switch, counters, process start), measured. */
const SAMPLE_OVERHEAD_S = 1.5;

export function sampleSeconds(config: BenchConfig, size: number): number {
  const tools = config.tools.filter((t) => t === 'iperf3' || size <= SOCKPERF_MAX_MESSAGE).length;
  return tools * config.durationS + SAMPLE_OVERHEAD_S;
}

export function estimateSeconds(config: BenchConfig, runs = plan(config, config.modes)): number {
  return runs.reduce((s, r) => s + sampleSeconds(config, r.size), 0);
}

export interface Counters {
  /** Connections the proxy accepted, since it started. */
  proxyConnections: number;
  /** Messages sk_msg redirected (0 when the acceleration is not loaded). */
  redirected: number;
  /** Reads of payload by the proxy, when the lab's counters report them. */
  proxyReads?: number;
}

export interface DatapathVerdict {
  proxyConnections: number;
  redirected: number;
  proxyReads?: number;
  ok: boolean;
  problems: string[];
}

/** Was the datapath what the mode claims? Redirects only with acceleration; proxy connections only via the proxy. */
export function verifyDatapath(mode: Mode, before: Counters, after: Counters, expect = defaultExpectation(mode)): DatapathVerdict {
  const proxyConnections = Math.max(0, after.proxyConnections - before.proxyConnections);
  const redirected = Math.max(0, after.redirected - before.redirected);
  const problems: string[] = [];
  if (expect.viaProxy && proxyConnections === 0) problems.push('the proxy accepted no connection: the traffic did not go through it');
  if (!expect.viaProxy && proxyConnections > 0) problems.push(`the proxy accepted ${proxyConnections} connection(s) in ${mode} mode`);
  if (expect.redirected && redirected === 0) problems.push('no message was redirected: the acceleration was not on the path');
  if (!expect.redirected && redirected > 0) problems.push(`${redirected} messages were redirected without acceleration`);
  const verdict: DatapathVerdict = { proxyConnections, redirected, ok: false, problems };
  if (before.proxyReads !== undefined && after.proxyReads !== undefined) {
    verdict.proxyReads = Math.max(0, after.proxyReads - before.proxyReads);
    if (expect.noProxyReads && verdict.proxyReads > 0) problems.push(`the proxy read payload ${verdict.proxyReads} times: the bytes went through user space`);
  }
  verdict.ok = problems.length === 0;
  return verdict;
}

/** What the counters saw around one sample's latency run (sockperf ping-pong): lib/bench/context-switches.ts. */
export interface ContextSwitches {
  roundTrips: number;
  /** The machine's context switches (/proc/stat ctxt): every process and kernel thread on it, other sessions' too. */
  host: number;
  /** The proxy's own, all its threads (when the lab's counters report them). */
  proxy?: number;
  /** The proxy's wake-ups in user space (when the lab's counters report them). */
  proxyWakeups?: number;
}

export interface Sample extends PlannedRun {
  iperf?: IperfResult;
  sockperf?: SockperfResult;
  contextSwitches?: ContextSwitches;
  datapath: DatapathVerdict;
  startedAt: string;
  durationMs: number;
  error?: string;
}

export interface CellSummary {
  mode: Mode;
  size: number;
  samples: number;
  /** Samples whose datapath did not match the mode; excluded from the statistics. */
  flagged: number;
  throughputGbps?: Summary;
  latencyP50Us?: Summary;
  latencyP99Us?: Summary;
  latencyP999Us?: Summary;
  latencyAvgUs?: Summary;
  /** max/min of the per-repetition values (1.0 = no spread). */
  throughputSpread?: number;
  latencySpread?: number;
  /** What the datapath checks saw over all the cell's samples, flagged ones included: the proxy's new connections,
   * kernel redirects, and (when the lab's counters report them) the proxy's payload reads. */
  datapath: { proxyConnections: number; redirected: number; proxyReads?: number };
}

export interface SizeComparison {
  size: number;
  /** Median throughput of the mode / of direct. */
  throughputRatio: Partial<Record<Mode, number>>;
  /** Median p50 latency of the mode / of direct. */
  latencyRatio: Partial<Record<Mode, number>>;
  /** Median p50 latency of the mode / of the reference mode (the one whose tax is measured). */
  latencyRatioToReference: Partial<Record<Mode, number>>;
  /** (proxy - accel) / (proxy - direct): the share of the proxy's tax that acceleration removes. */
  taxRemoved: { latency?: number; throughput?: number };
  /** The same share for every mode besides direct and the reference (labs with their own modes compare several). */
  taxRemovedBy: Record<Mode, { latency?: number; throughput?: number }>;
  /** (proxy - accel) / proxy: how much lower the latency through the proxy is with acceleration. */
  accelLatencyChange?: number;
  accelThroughputChange?: number;
  /** The same changes computed per repetition from the proxy and proxy+accel samples measured next to each other,
   * then summarized (median, min-max): a drift of the machine between repetitions cancels out of each pair. */
  pairedLatencyChange?: Summary;
  pairedThroughputChange?: Summary;
}

export interface BenchSummary {
  cells: CellSummary[];
  comparisons: SizeComparison[];
  /** The modes the comparisons were made with (the lab's, or the acceleration lab's). */
  roles: ModeRoles;
}

/** Medians per size and mode (modes in `order`, then any other in the order first sampled), ratios to direct, and
 * what the accelerated mode (and every other one) changes against the reference. */
export function summarizeSamples(samples: Sample[], roles: ModeRoles = DEFAULT_ROLES, order: readonly Mode[] = MODES): BenchSummary {
  const cells: CellSummary[] = [];
  const sizes = [...new Set(samples.map((s) => s.size))].sort((a, b) => a - b);
  const modes = [...new Set([...order.filter((m) => samples.some((s) => s.mode === m)), ...samples.map((s) => s.mode)])];
  for (const size of sizes) {
    for (const mode of modes) {
      const all = samples.filter((s) => s.size === size && s.mode === mode);
      if (all.length === 0) continue;
      const good = all.filter((s) => s.datapath.ok && !s.error);
      const reads = all.flatMap((s) => (s.datapath.proxyReads === undefined ? [] : [s.datapath.proxyReads]));
      const gbps = good.flatMap((s) => (s.iperf ? [s.iperf.gbps] : []));
      const lat = good.flatMap((s) => (s.sockperf ? [s.sockperf] : []));
      cells.push({
        mode,
        size,
        samples: all.length,
        flagged: all.length - good.length,
        datapath: {
          proxyConnections: all.reduce((n, s) => n + s.datapath.proxyConnections, 0),
          redirected: all.reduce((n, s) => n + s.datapath.redirected, 0),
          ...(reads.length ? { proxyReads: reads.reduce((n, r) => n + r, 0) } : {}),
        },
        ...(gbps.length ? { throughputGbps: summarize(gbps), throughputSpread: spreadRatio(gbps) } : {}),
        ...(lat.length
          ? {
              latencyP50Us: summarize(lat.map((l) => l.p50Us)),
              latencyP99Us: summarize(lat.map((l) => l.p99Us)),
              latencyP999Us: summarize(lat.map((l) => l.p999Us)),
              latencyAvgUs: summarize(lat.map((l) => l.avgUs)),
              latencySpread: spreadRatio(lat.map((l) => l.p50Us)),
            }
          : {}),
      });
    }
  }
  const cell = (size: number, mode: Mode) => cells.find((c) => c.size === size && c.mode === mode);
  const comparisons = sizes.map((size): SizeComparison => {
    const direct = cell(size, roles.direct);
    const proxy = cell(size, roles.reference);
    const accel = cell(size, roles.accelerated);
    const ratio = (a?: Summary, b?: Summary) => (a && b && b.median > 0 ? a.median / b.median : undefined);
    const share = (p?: Summary, x?: Summary, d?: Summary) =>
      p && x && d && p.median !== d.median ? (p.median - x.median) / (p.median - d.median) : undefined;
    const throughputRatio: SizeComparison['throughputRatio'] = {};
    const latencyRatio: SizeComparison['latencyRatio'] = {};
    const latencyRatioToReference: SizeComparison['latencyRatioToReference'] = {};
    const taxRemovedBy: SizeComparison['taxRemovedBy'] = {};
    for (const m of modes) {
      const c = cell(size, m);
      if (m !== roles.direct && m !== roles.reference) {
        taxRemovedBy[m] = {
          latency: share(proxy?.latencyP50Us, c?.latencyP50Us, direct?.latencyP50Us),
          throughput: share(proxy?.throughputGbps, c?.throughputGbps, direct?.throughputGbps),
        };
      }
      const t = ratio(c?.throughputGbps, direct?.throughputGbps);
      const l = ratio(c?.latencyP50Us, direct?.latencyP50Us);
      if (t !== undefined) throughputRatio[m] = t;
      if (l !== undefined) latencyRatio[m] = l;
      const r = ratio(c?.latencyP50Us, proxy?.latencyP50Us);
      if (r !== undefined) latencyRatioToReference[m] = r;
    }
    const change = (p?: Summary, x?: Summary) => (p && x && p.median > 0 ? (p.median - x.median) / p.median : undefined);
    const paired = (pick: (s: Sample) => number | undefined) => {
      const value = (rep: number, mode: Mode) => {
        const s = samples.find((x) => x.size === size && x.rep === rep && x.mode === mode && x.datapath.ok && !x.error);
        return s ? pick(s) : undefined;
      };
      const changes = [...new Set(samples.map((s) => s.rep))].flatMap((rep) => {
        const p = value(rep, roles.reference);
        const a = value(rep, roles.accelerated);
        return p !== undefined && a !== undefined && p > 0 ? [(p - a) / p] : [];
      });
      return changes.length ? summarize(changes) : undefined;
    };
    const pairedLatency = paired((s) => s.sockperf?.p50Us);
    const pairedThroughput = paired((s) => s.iperf?.gbps);
    return {
      size,
      throughputRatio,
      latencyRatio,
      latencyRatioToReference,
      taxRemoved: {
        latency: share(proxy?.latencyP50Us, accel?.latencyP50Us, direct?.latencyP50Us),
        throughput: share(proxy?.throughputGbps, accel?.throughputGbps, direct?.throughputGbps),
      },
      taxRemovedBy,
      accelLatencyChange: change(proxy?.latencyP50Us, accel?.latencyP50Us),
      accelThroughputChange: change(proxy?.throughputGbps, accel?.throughputGbps),
      ...(pairedLatency ? { pairedLatencyChange: pairedLatency } : {}),
      ...(pairedThroughput ? { pairedThroughputChange: pairedThroughput } : {}),
    };
  });
  return { cells, comparisons, roles };
}
