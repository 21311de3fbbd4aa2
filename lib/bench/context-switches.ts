// Where the rest of a proxy's tax goes, without perf (not in the sandbox image): context switches per round trip,
// counted around each sample's latency run (sockperf ping-pong, one message answered per round trip). Three counts:
// the machine's (/proc/stat ctxt, which also counts every other process on it: meaningful pinned on an idle
// machine), the proxy's own (getrusage over all its threads, when the lab's counters report it), and the proxy's
// wake-ups in user space (returns from poll that it counted).
import { summarize, type Summary } from '../stats';
import type { ContextSwitches, Mode, Sample } from './model';

/** A snapshot of the counters: the machine's ctxt and the lab's counters (proxy's context switches, wake-ups). */
export interface SwitchSnapshot {
  host: number;
  proxy?: number;
  proxyWakeups?: number;
}

/** What moved between two snapshots taken around a run of `roundTrips` round trips. */
export function contextSwitchesBetween(start: SwitchSnapshot, end: SwitchSnapshot, roundTrips: number): ContextSwitches {
  const delta = (a?: number, b?: number) => (a !== undefined && b !== undefined ? Math.max(0, b - a) : undefined);
  const proxy = delta(start.proxy, end.proxy);
  const proxyWakeups = delta(start.proxyWakeups, end.proxyWakeups);
  return {
    roundTrips,
    host: Math.max(0, end.host - start.host),
    ...(proxy !== undefined ? { proxy } : {}),
    ...(proxyWakeups !== undefined ? { proxyWakeups } : {}),
  };
}

export interface SwitchCell {
  size: number;
  mode: Mode;
  /** Per round trip, over the cell's samples that passed their datapath check. */
  host: Summary;
  proxy?: Summary;
  proxyWakeups?: Summary;
}

/** Per size and mode (in `order`), the per-round-trip counts of the samples that passed their check. */
export function contextSwitchCells(samples: readonly Sample[], order: readonly Mode[]): SwitchCell[] {
  const cells: SwitchCell[] = [];
  const sizes = [...new Set(samples.map((s) => s.size))].sort((a, b) => a - b);
  for (const size of sizes) {
    for (const mode of order) {
      const counted = samples.flatMap((s) =>
        s.size === size && s.mode === mode && s.datapath.ok && !s.error && s.contextSwitches?.roundTrips ? [s.contextSwitches] : [],
      );
      if (!counted.length) continue;
      const per = (pick: (c: ContextSwitches) => number | undefined) => {
        const values = counted.flatMap((c) => (pick(c) === undefined ? [] : [pick(c)! / c.roundTrips]));
        return values.length ? summarize(values) : undefined;
      };
      const proxy = per((c) => c.proxy);
      const proxyWakeups = per((c) => c.proxyWakeups);
      cells.push({ size, mode, host: per((c) => c.host)!, ...(proxy ? { proxy } : {}), ...(proxyWakeups ? { proxyWakeups } : {}) });
    }
  }
  return cells;
}
