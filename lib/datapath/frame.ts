// The datapath sampler's output (sandbox/sampler/datapath-sampler.c) and what the page gets from it: counters and
// their rates per second. Shared by the server and the browser.

/** One line of the sampler: counters read in one tick, and why some could not be read. */
export interface SamplerLine {
  seq: number;
  /** CLOCK_MONOTONIC of the sandbox, in milliseconds: rates use it, not the server's clock. */
  tMs: number;
  values: Record<string, number>;
  /** Family ("bpf", "pods", "nat.server", "run_cnt") -> a reason a learner understands. */
  unavailable: Record<string, string>;
}

/** What the page receives twice a second. */
export interface DatapathFrame {
  seq: number;
  /** Server time the frame was made (epoch ms). */
  at: number;
  /** Seconds since the previous sample; 0 for the first. */
  dt: number;
  values: Record<string, number>;
  /** Per second, for every counter present in both samples; absent for the first sample. */
  rates: Record<string, number>;
  unavailable: Record<string, string>;
}

const METRIC_NAME = /^[\w./:-]{1,200}$/;

/** Parses one sampler line; anything malformed is dropped (undefined), never half-used. */
/** Live counters for the Datapath pane (twice a second while a page watches), or why they cannot come. */
export type DatapathEvent =
  | { type: 'datapath'; frame: DatapathFrame }
  /** The stream cannot run (no sandbox, no datapath view, the sampler failed): what to do. */
  | { type: 'datapath-error'; message: string };

export function parseSamplerLine(line: string): SamplerLine | undefined {
  let raw: unknown;
  try {
    raw = JSON.parse(line);
  } catch {
    return undefined;
  }
  const o = raw as { seq?: unknown; t_ms?: unknown; m?: unknown; na?: unknown };
  if (typeof o?.seq !== 'number' || typeof o.t_ms !== 'number' || typeof o.m !== 'object' || o.m === null) return undefined;
  const values: Record<string, number> = {};
  for (const [k, v] of Object.entries(o.m)) if (METRIC_NAME.test(k) && typeof v === 'number' && Number.isFinite(v)) values[k] = v;
  const unavailable: Record<string, string> = {};
  if (typeof o.na === 'object' && o.na !== null) {
    for (const [k, v] of Object.entries(o.na)) if (METRIC_NAME.test(k) && typeof v === 'string') unavailable[k] = v.slice(0, 300);
  }
  return { seq: o.seq, tMs: o.t_ms, values, unavailable };
}

/**
 * Rates between two samples. A counter that went down was reset (a map pinned again, a pod re-created): its rate is
 * the new value over the interval, as if it had started from zero, never negative.
 */
export function toFrame(prev: SamplerLine | undefined, cur: SamplerLine, at = Date.now()): DatapathFrame {
  const dt = prev ? (cur.tMs - prev.tMs) / 1000 : 0;
  const rates: Record<string, number> = {};
  if (prev && dt > 0) {
    for (const [k, v] of Object.entries(cur.values)) {
      const before = prev.values[k];
      if (before === undefined) continue;
      rates[k] = (v >= before ? v - before : v) / dt;
    }
  }
  return { seq: cur.seq, at, dt, values: cur.values, rates, unavailable: cur.unavailable };
}

/**
 * Why a metric is missing, from the sampler's families: "map.accel_stats.1" is explained by "bpf", "nat.server.x"
 * by "nat.server", "if.client.eth0.rx_bytes" by "pods", "cgroup.server.sock_ops.run_cnt" by "run_cnt" when stats are
 * off. Undefined when the sampler gave no reason.
 */
export function unavailableReason(metric: string, unavailable: Record<string, string>): string | undefined {
  const [family, pod] = metric.split('.');
  if (family === 'nat' && unavailable[`nat.${pod}`]) return unavailable[`nat.${pod}`];
  if ((family === 'map' || family === 'prog') && unavailable.bpf) return unavailable.bpf;
  if (metric.endsWith('.run_cnt') || metric.endsWith('.run_time_ns')) {
    if (unavailable.run_cnt) return unavailable.run_cnt;
  }
  if (['if', 'tcp', 'nat', 'cgroup'].includes(family ?? '') && unavailable.pods) return unavailable.pods;
  return undefined;
}
