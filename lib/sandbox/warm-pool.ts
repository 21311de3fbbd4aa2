// Warm sandboxes for a class: per lab, a number of sandboxes kept created, prepared and through the lab's setup, so
// that Start hands one out at once instead of creating it (seconds, for 25 learners starting together). Refilled in
// the background one at a time (a class starting must not also pay for the refill), within MAX_SANDBOXES, and
// replaced when the sandbox image changes. A pool sandbox is labelled purpose=pool; once handed out, who owns it is
// recorded in SQLite (labels cannot change), so a restarted server knows it again. Its lab's terminals are opened
// while it waits: a learner's page then attaches to shells that already show their prompts, instead of paying for a
// `docker exec` and a shell's start per tab after Start.
import { silentLogger, type Logger } from '../log';
import type { WarmSandboxes } from './manager';
import type { PoolClaim } from './pool-claims';
import type { Sandbox, SandboxDriver, SandboxInfo } from './types';

/** Between two pool creations: a bounded rate, so a refill never competes with learners for the CPU for long. */
export const REFILL_GAP_MS = 2000;
/** After a failed refill (engine down, setup failing): try again, but not in a loop. */
export const RETRY_AFTER_FAILURE_MS = 60_000;
/** The server is full (learners first): look again for room this often. */
export const ROOM_RECHECK_MS = 15_000;

export interface WarmPoolOptions {
  driver: SandboxDriver;
  /** Sandboxes wanted ready, per lab slug. */
  targets: Record<string, number>;
  /** Brings a new pool sandbox to the state a learner's new sandbox has (the lab's workspace and setup). */
  prepare: (sandbox: Sandbox, lab: string) => Promise<void>;
  /** True while one more sandbox fits (MAX_SANDBOXES, learners waiting first). */
  hasRoom: () => boolean;
  /** The current sandbox image's id: a pool sandbox of an older image is replaced. */
  imageId: () => Promise<string | undefined>;
  /** Where a handed-out sandbox's learner is recorded (it outlives the server). */
  claims: { record(sandboxId: string, claim: PoolClaim): void };
  /** The terminals a ready sandbox keeps open while it waits; closed before the pool removes it. */
  shells?: WaitingShells;
  log?: Logger;
  refillGapMs?: number;
}

/** Opens a waiting sandbox's terminals (failures are the opener's to log: the learner's page can still open them). */
export interface WaitingShells {
  open(sandboxId: string, lab: string): void;
  close(sandboxId: string): void;
}

export class WarmPool implements WarmSandboxes {
  private readonly ready = new Map<string, SandboxInfo[]>();
  private targets: Record<string, number>;
  private refilling = false;
  private stopped = false;
  private readonly log: Logger;
  private timer?: ReturnType<typeof setTimeout>;

  constructor(private readonly opts: WarmPoolOptions) {
    this.targets = { ...opts.targets };
    this.log = opts.log ?? silentLogger;
  }

  /** Ready sandboxes per lab, and the targets (for the instructor view and metrics). */
  state(): { lab: string; ready: number; target: number }[] {
    const labs = new Set([...Object.keys(this.targets), ...this.ready.keys()]);
    return [...labs].sort().map((lab) => ({ lab, ready: this.ready.get(lab)?.length ?? 0, target: this.targets[lab] ?? 0 }));
  }

  /** Sandboxes the pool holds (they count toward MAX_SANDBOXES). */
  get size(): number {
    let n = 0;
    for (const list of this.ready.values()) n += list.length;
    return n;
  }

  /** Holds one for `lab`? */
  has(lab: string): boolean {
    return (this.ready.get(lab)?.length ?? 0) > 0;
  }

  /** Sets how many sandboxes to keep ready per lab (the instructor view, before a class); extras are removed. */
  setTargets(targets: Record<string, number>): void {
    this.targets = { ...targets };
    for (const [lab, list] of this.ready) {
      const extra = list.splice(targets[lab] ?? 0);
      for (const s of extra) void this.remove(s.id);
    }
    this.schedule(0);
  }

  /**
   * Hands a ready sandbox of `lab` to `owner` (never twice: it leaves the pool here, synchronously), records the
   * claim, and starts a refill.
   */
  claim(owner: string, lab: string): SandboxInfo | undefined {
    const s = this.ready.get(lab)?.shift();
    if (!s) return undefined;
    this.opts.claims.record(s.id, { owner, lab });
    this.log.info(`handed out pool sandbox ${s.id} (${lab})`, { owner });
    this.schedule(this.opts.refillGapMs ?? REFILL_GAP_MS);
    return s;
  }

  /** Gives up one ready sandbox (of the lab with the most) so a learner's new sandbox fits; false when none. */
  async shrink(): Promise<boolean> {
    const fullest = [...this.ready.entries()].sort((a, b) => b[1].length - a[1].length)[0];
    const s = fullest?.[1].pop();
    if (!s) return false;
    this.log.info(`removing pool sandbox ${s.id} (${fullest![0]}) to make room for a learner`);
    await this.remove(s.id);
    return true;
  }

  /** After a restart: pool sandboxes found on the engine (unclaimed) join the pool if wanted; returns the rest. */
  adopt(found: SandboxInfo[]): SandboxInfo[] {
    const rest: SandboxInfo[] = [];
    for (const s of found) {
      const list = this.ready.get(s.lab) ?? [];
      if (s.running && list.length < (this.targets[s.lab] ?? 0)) {
        list.push(s);
        this.ready.set(s.lab, list);
        this.opts.shells?.open(s.id, s.lab);
      } else rest.push(s);
    }
    return rest;
  }

  /** Starts keeping the pool full. */
  start(): void {
    this.schedule(0);
  }

  close(): void {
    this.stopped = true;
    clearTimeout(this.timer);
  }

  /** Removes a sandbox the pool holds (never a handed-out one: the manager removes those). */
  private async remove(sandboxId: string): Promise<void> {
    this.opts.shells?.close(sandboxId);
    await this.opts.driver.destroy(sandboxId).catch(() => undefined);
  }

  private schedule(delayMs: number): void {
    if (this.stopped) return;
    clearTimeout(this.timer);
    this.timer = setTimeout(() => void this.refill(), delayMs);
    this.timer.unref();
  }

  /** One step of keeping the pool full: replace one sandbox of an old image, or add one where a lab lacks one. */
  async refill(): Promise<void> {
    if (this.refilling || this.stopped) return;
    this.refilling = true;
    let again = false;
    let failed = false;
    let waitForRoom = false;
    try {
      const image = await this.opts.imageId();
      for (const [lab, list] of this.ready) {
        const old = list.findIndex((s) => image && s.imageId && s.imageId !== image);
        if (old >= 0) {
          const [stale] = list.splice(old, 1);
          this.log.info(`replacing pool sandbox ${stale!.id} (${lab}): the sandbox image changed`);
          await this.remove(stale!.id);
          again = true;
          break;
        }
      }
      const lacking = Object.entries(this.targets).find(([lab, n]) => (this.ready.get(lab)?.length ?? 0) < n);
      waitForRoom = lacking !== undefined && !this.opts.hasRoom();
      if (lacking && !waitForRoom) {
        const [lab] = lacking;
        const sandbox = await this.opts.driver.create({ owner: 'pool', lab, purpose: 'pool' });
        try {
          await this.opts.prepare(sandbox, lab);
          this.opts.shells?.open(sandbox.id, lab);
          const list = this.ready.get(lab) ?? [];
          list.push(sandbox);
          this.ready.set(lab, list);
          this.log.info(`pool sandbox ${sandbox.id} ready (${lab}: ${list.length} of ${this.targets[lab]})`);
          again = true;
        } catch (err) {
          this.log.warn(`preparing a pool sandbox for ${lab} failed`, err);
          await this.remove(sandbox.id);
          failed = true;
        }
      }
    } catch (err) {
      this.log.warn('refilling the sandbox pool failed', err);
      failed = true;
    } finally {
      this.refilling = false;
    }
    if (failed) this.schedule(RETRY_AFTER_FAILURE_MS);
    else if (again) this.schedule(this.opts.refillGapMs ?? REFILL_GAP_MS);
    else if (waitForRoom) this.schedule(ROOM_RECHECK_MS);
  }
}
