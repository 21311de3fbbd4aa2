// One sandbox per learner and lab: created on demand, found again after a restart (by labels), removed on request.
import { EventEmitter } from 'node:events';
import { AppError } from '../errors';
import { silentLogger, type Logger } from '../log';
import type { Sandbox, SandboxDriver, SandboxInfo, SandboxSpec } from './types';

export type SandboxStatus =
  | { state: 'none' }
  | { state: 'starting' }
  | { state: 'running'; sandbox: SandboxInfo }
  | { state: 'error'; error: AppError };

/**
 * The status as the browser sees it. `kernel`: 'shared' (a container on the host's kernel: its eBPF sees the whole
 * machine) or 'own' (a VM runtime gave it a kernel of its own); absent while unknown (the engine host's boot id could
 * not be read, or a sandbox adopted after a restart that nobody looked up yet).
 */
export function statusToJson(status: SandboxStatus) {
  switch (status.state) {
    case 'running': {
      const { id, proxy, createdAt, kernel } = status.sandbox;
      return { state: 'running' as const, sandbox: { id, proxy, createdAt: createdAt.toISOString(), ...(kernel ? { kernel } : {}) } };
    }
    case 'error':
      return { state: 'error' as const, error: status.error.toJSON().error };
    default:
      return { state: status.state };
  }
}

/** Sandboxes kept ready for a class (WarmPool): they count toward maxSandboxes with the learners'. */
export interface WarmSandboxes {
  /** A ready sandbox of `lab`, from now on `owner`'s (recorded), or undefined when none is ready. */
  claim(owner: string, lab: string): SandboxInfo | undefined;
  readonly size: number;
  /** Removes one ready sandbox so a learner's fits; false when the pool holds none. */
  shrink(): Promise<boolean>;
  /** After a restart, the pool sandboxes nobody claimed: those it takes back; returns the ones to remove. */
  adopt(found: SandboxInfo[]): SandboxInfo[];
}

export interface SandboxManagerOptions {
  driver: SandboxDriver;
  /** Upper bound on sandboxes on this server (learners' and the warm pool's); protects the host. */
  maxSandboxes: number;
  log?: Logger;
  /** Runs in every new sandbox before it is handed out (the lab's setup). */
  onCreated?: (sandbox: Sandbox, spec: SandboxSpec) => Promise<void>;
  warm?: WarmSandboxes;
  /** Whose a handed-out pool sandbox is (its labels still say pool). */
  claimOf?: (sandboxId: string) => { owner: string; lab: string } | undefined;
}

const key = (owner: string, lab: string) => `${owner}\0${lab}`;

export interface SandboxManagerEvents {
  /** A sandbox is gone (stopped, reset, or found dead): whatever was attached to it must let go. */
  destroyed: [SandboxInfo];
  /** A learner got a sandbox: from the warm pool or created for them, after `seconds`. */
  started: [SandboxInfo, { source: 'pool' | 'fresh'; seconds: number }];
}

export class SandboxManager extends EventEmitter<SandboxManagerEvents> {
  private readonly log: Logger;
  private readonly known = new Map<string, SandboxInfo>();
  private readonly starting = new Map<string, Promise<SandboxInfo>>();
  private readonly failures = new Map<string, AppError>();

  constructor(private readonly opts: SandboxManagerOptions) {
    super();
    this.log = opts.log ?? silentLogger;
  }

  /**
   * At start-up: adopt the learner sandboxes `keep` accepts (their owners will come back), remove the rest
   * (stopped ones, tools' leftovers, sandboxes of learners the server no longer knows).
   */
  async reconcile(keep: (s: SandboxInfo) => boolean): Promise<{ adopted: number; removed: number }> {
    const all = await this.opts.driver.list();
    let adopted = 0;
    const doomed: SandboxInfo[] = [];
    const unclaimed: SandboxInfo[] = [];
    for (const found of all) {
      const claim = found.purpose === 'pool' ? this.opts.claimOf?.(found.id) : undefined;
      const s = claim ? { ...found, ...claim, purpose: 'learner' } : found;
      if (s.running && s.purpose === 'learner' && keep(s) && !this.known.has(key(s.owner, s.lab))) {
        this.known.set(key(s.owner, s.lab), s);
        adopted++;
      } else if (s.purpose === 'pool') unclaimed.push(s);
      else doomed.push(s);
    }
    doomed.push(...(this.opts.warm ? this.opts.warm.adopt(unclaimed) : unclaimed));
    await Promise.all(doomed.map((s) => this.opts.driver.destroy(s.id).catch((e) => this.log.warn(`removing ${s.id}`, e))));
    if (doomed.length || adopted) this.log.info(`start-up: adopted ${adopted} sandbox(es), removed ${doomed.length}`);
    return { adopted, removed: doomed.length };
  }

  status(owner: string, lab: string): SandboxStatus {
    const k = key(owner, lab);
    if (this.starting.has(k)) return { state: 'starting' };
    const s = this.known.get(k);
    if (s) return { state: 'running', sandbox: s };
    const error = this.failures.get(k);
    return error ? { state: 'error', error } : { state: 'none' };
  }

  /** The running sandbox of this learner and lab, or undefined. Checks that the container still runs. */
  async find(owner: string, lab: string): Promise<SandboxInfo | undefined> {
    const k = key(owner, lab);
    const s = this.known.get(k);
    if (!s) return undefined;
    const live = await this.opts.driver.inspect(s.id);
    if (live?.running) {
      // A sandbox adopted after a restart learns its kernel sharing on its first inspect.
      if (live.kernel && live.kernel !== s.kernel) this.known.set(k, { ...s, kernel: live.kernel });
      // A pool sandbox's labels name the pool: who it belongs to is what this manager knows.
      return { ...live, owner: s.owner, purpose: s.purpose };
    }
    this.known.delete(k);
    if (live) await this.opts.driver.destroy(s.id).catch(() => undefined);
    this.emit('destroyed', s);
    return undefined;
  }

  /** Looks a sandbox up by id, checking it belongs to `owner`. */
  ownedBy(owner: string, id: string): SandboxInfo | undefined {
    for (const s of this.known.values()) if (s.id === id && s.owner === owner) return s;
    return undefined;
  }

  /** Returns the learner's sandbox for the lab, creating it (once, even when asked concurrently). */
  async start(owner: string, lab: string): Promise<SandboxInfo> {
    const k = key(owner, lab);
    const existing = await this.find(owner, lab);
    if (existing) return existing;
    const pending = this.starting.get(k);
    if (pending) return pending;
    const began = performance.now();
    const warm = this.opts.warm?.claim(owner, lab);
    if (warm) {
      const sandbox: SandboxInfo = { ...warm, owner, purpose: 'learner' };
      this.failures.delete(k);
      this.known.set(k, sandbox);
      this.emit('started', sandbox, { source: 'pool', seconds: (performance.now() - began) / 1000 });
      return sandbox;
    }
    // Pool sandboxes count toward the limit, but a learner comes first: one of another lab makes room.
    const overLimit = this.known.size + this.starting.size + (this.opts.warm?.size ?? 0) >= this.opts.maxSandboxes;
    if (overLimit && !this.opts.warm?.size) throw this.serverFull();
    this.failures.delete(k);
    const spec: SandboxSpec = { owner, lab, purpose: 'learner' };
    const promise = (async () => {
      if (overLimit && !(await this.opts.warm?.shrink())) throw this.serverFull();
      const sandbox = await this.opts.driver.create(spec);
      try {
        await this.opts.onCreated?.(sandbox, spec);
      } catch (err) {
        await this.opts.driver.destroy(sandbox.id).catch(() => undefined);
        throw err;
      }
      this.known.set(k, sandbox);
      this.emit('started', sandbox, { source: 'fresh', seconds: (performance.now() - began) / 1000 });
      return sandbox as SandboxInfo;
    })();
    this.starting.set(k, promise);
    try {
      return await promise;
    } catch (err) {
      // A full server is not this sandbox's failure: the page waits in line instead of showing an error.
      if (err instanceof Error && 'code' in err && err.code !== 'server_full') this.failures.set(k, err as AppError);
      throw err;
    } finally {
      this.starting.delete(k);
    }
  }

  private serverFull(): AppError {
    return new AppError('server_full', `This server runs its maximum of ${this.opts.maxSandboxes} sandboxes.`, {
      status: 503,
      hint: 'Stop a lab you are not using, or ask your instructor to raise MAX_SANDBOXES.',
    });
  }

  async stop(owner: string, lab: string): Promise<boolean> {
    const k = key(owner, lab);
    await this.starting.get(k)?.catch(() => undefined);
    const s = this.known.get(k);
    this.failures.delete(k);
    if (!s) return false;
    this.known.delete(k);
    this.emit('destroyed', s);
    await this.opts.driver.destroy(s.id);
    return true;
  }

  /** The sandbox with this id, if this manager handed it out. */
  byId(id: string): SandboxInfo | undefined {
    for (const s of this.known.values()) if (s.id === id) return s;
    return undefined;
  }

  /** Every sandbox this manager knows of (for shutdown in tests and for instructors' views). */
  list(): SandboxInfo[] {
    return [...this.known.values()];
  }
}
