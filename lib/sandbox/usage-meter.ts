// Sandboxes' CPU and memory for the instructor's view: the engine reports CPU time used so far, so a rate needs two
// readings; the meter keeps each sandbox's last one and turns the next into cores in use since then. Every open
// instructor page refreshes on its own: readings are shared (one `docker stats` per sandbox at a time, and one taken
// less than MIN_INTERVAL_MS ago is used again), so two pages cost the engine what one does.
import type { SandboxUsage } from './types';

export interface UsageNow {
  /** Cores in use on average since the previous reading; absent on the first one. */
  cpuCores?: number;
  memoryBytes: number;
}

/** A rate over less than this is mostly noise (and a page refreshing twice a second would show it). */
const MIN_INTERVAL_MS = 500;

export class UsageMeter {
  private readonly last = new Map<string, SandboxUsage>();
  private readonly rates = new Map<string, number>();
  /** Per sandbox: the reading under way or the latest one, and when (by `now`) it was asked for. */
  private readonly readings = new Map<string, { asked: number; reading: Promise<SandboxUsage | undefined> }>();

  constructor(
    private readonly read: (id: string) => Promise<SandboxUsage | undefined>,
    private readonly now: () => number = () => performance.now(),
  ) {}

  private reading(id: string): Promise<SandboxUsage | undefined> {
    const recent = this.readings.get(id);
    if (recent && this.now() - recent.asked < MIN_INTERVAL_MS) return recent.reading;
    const reading = this.read(id).catch(() => undefined);
    this.readings.set(id, { asked: this.now(), reading });
    return reading;
  }

  /** Reads every sandbox in `ids` at once; sandboxes not listed are forgotten. */
  async sample(ids: string[]): Promise<Map<string, UsageNow>> {
    const out = new Map<string, UsageNow>();
    const readings = await Promise.all(ids.map(async (id) => [id, await this.reading(id)] as const));
    const live = new Set(ids);
    for (const id of new Set([...this.last.keys(), ...this.readings.keys()])) {
      if (live.has(id)) continue;
      this.last.delete(id);
      this.rates.delete(id);
      this.readings.delete(id);
    }
    for (const [id, now] of readings) {
      if (!now) continue;
      const before = this.last.get(id);
      if (before && now.at - before.at >= MIN_INTERVAL_MS && now.cpuNs >= before.cpuNs) {
        this.rates.set(id, (now.cpuNs - before.cpuNs) / 1e6 / (now.at - before.at));
        this.last.set(id, now);
      } else if (!before) this.last.set(id, now);
      const cpuCores = this.rates.get(id);
      out.set(id, { memoryBytes: now.memoryBytes, ...(cpuCores === undefined ? {} : { cpuCores }) });
    }
    return out;
  }
}
