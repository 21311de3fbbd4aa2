// Sandboxes nobody uses are stopped, so a forgotten tab does not hold a slot all day: unused for `idleMs` (no key,
// click or scroll on its lab page, no start, no benchmark running), a sandbox is stopped; its page is warned
// `warnMs` before, with a button that keeps it. Progress is kept: only the sandbox goes, and Start brings a new one.
import type { EventSink } from '../event-sink';
import type { Logger } from '../log';
import type { CapacityEvent } from './events';

/** How often the reaper looks: well within the warning time (more often when a short idle time is configured). */
export const SWEEP_INTERVAL_MS = 30_000;

export interface IdleReaperDeps {
  idleMs: number;
  warnMs: number;
  events: EventSink<CapacityEvent>;
  /** The learner sandboxes that run now. */
  running: () => { owner: string; lab: string }[];
  /** True while something the learner started works on its own (a benchmark): that counts as use. */
  busy: (owner: string, lab: string) => boolean;
  stop: (owner: string, lab: string) => Promise<unknown>;
  log: Logger;
  now?: () => number;
  sweepIntervalMs?: number;
}

const keyOf = (owner: string, lab: string) => `${owner}\0${lab}`;

export class IdleReaper {
  private readonly lastUse = new Map<string, number>();
  private readonly warned = new Set<string>();
  private readonly timer: ReturnType<typeof setInterval>;
  private readonly now: () => number;

  constructor(private readonly deps: IdleReaperDeps) {
    this.now = deps.now ?? Date.now;
    this.timer = setInterval(() => void this.sweep(), deps.sweepIntervalMs ?? Math.min(SWEEP_INTERVAL_MS, deps.warnMs / 2));
    this.timer.unref();
  }

  /** The learner used the sandbox of this lab just now. */
  touch(owner: string, lab: string): void {
    const k = keyOf(owner, lab);
    this.lastUse.set(k, this.now());
    if (this.warned.delete(k)) this.deps.events.publish(owner, lab, { type: 'idle', stopsAt: null });
  }

  /** Seconds until the soonest idle stop, if any sandbox runs: what a learner waiting in line can expect. */
  nextStopInS(): number | undefined {
    const t = this.now();
    let soonest: number | undefined;
    for (const { owner, lab } of this.deps.running()) {
      if (this.deps.busy(owner, lab)) continue;
      const at = (this.lastUse.get(keyOf(owner, lab)) ?? t) + this.deps.idleMs;
      soonest = soonest === undefined ? at : Math.min(soonest, at);
    }
    return soonest === undefined ? undefined : Math.max(0, (soonest - t) / 1000);
  }

  /** Warns and stops; returns the sandboxes it stopped (for tests). */
  async sweep(): Promise<string[]> {
    const t = this.now();
    const stopped: string[] = [];
    const running = this.deps.running();
    const live = new Set(running.map((s) => keyOf(s.owner, s.lab)));
    for (const k of [...this.lastUse.keys()]) {
      if (live.has(k)) continue;
      this.lastUse.delete(k);
      this.warned.delete(k);
    }
    for (const { owner, lab } of running) {
      const k = keyOf(owner, lab);
      if (!this.lastUse.has(k) || this.deps.busy(owner, lab)) this.lastUse.set(k, t); // first seen, or working
      const stopsAt = this.lastUse.get(k)! + this.deps.idleMs;
      if (t >= stopsAt) {
        const minutes = Math.round(this.deps.idleMs / 60_000);
        this.deps.events.publish(owner, lab, { type: 'sandbox-stopped', reason: 'idle', idleMinutes: minutes });
        this.deps.log.info(`stopping the sandbox of ${owner}/${lab}: unused for ${minutes} min`);
        this.lastUse.delete(k);
        this.warned.delete(k);
        await this.deps.stop(owner, lab).catch((err) => this.deps.log.warn(`stopping the idle sandbox of ${owner}/${lab} failed`, err));
        stopped.push(k);
      } else if (t >= stopsAt - this.deps.warnMs && !this.warned.has(k)) {
        this.warned.add(k);
        this.deps.events.publish(owner, lab, { type: 'idle', stopsAt });
      }
    }
    return stopped;
  }

  close(): void {
    clearInterval(this.timer);
  }
}
