// What the instructor can see and do: the class report (with each sandbox's state and use), the live feed, a fresh
// sandbox or a stop for one learner, a message to every lab page, the warm pool's targets. Every action is logged
// with what it did to whom, and told to the learner's page.
import { AppError } from '../errors';
import type { LabEventChannel } from '../lab-events/channel';
import type { Lab } from '../labs/schema';
import type { Logger } from '../log';
import type { ClassEntry } from '../progress/store';
import type { SandboxManager } from '../sandbox/manager';
import type { UsageNow } from '../sandbox/usage-meter';
import { BROADCAST_SHOWN_MS, MAX_BROADCAST_CHARS } from './events';
import type { ClassFeed } from './feed';
import { classReport, type ClassSnapshot, type SandboxView } from './report';

export interface PoolControl {
  state(): { lab: string; ready: number; target: number }[];
  setTargets(targets: Record<string, number>): void;
}

export interface InstructorDeps {
  labs: () => Promise<Lab[]>;
  progress: { everyLearner(labs: Lab[]): ClassEntry[] };
  sandboxes: () => Promise<SandboxManager>;
  usage: (ids: string[]) => Promise<Map<string, UsageNow>>;
  pool: () => PoolControl | undefined;
  /** A learner's slot in the server's capacity: kept while their sandbox is replaced. */
  admission: { hold(owner: string, lab: string): void; released(owner: string, lab: string): void };
  events: LabEventChannel;
  feed: ClassFeed;
  maxSandboxes: number;
  log: Logger;
  now?: () => number;
}

const LEARNER_ID = /^[a-f0-9]{24}$/;

export class Instructor {
  private lastBroadcast?: { message: string; at: number };
  private readonly now: () => number;
  /** learner/lab -> read-only terminal views open on it now. */
  private readonly watchers = new Map<string, number>();

  constructor(private readonly deps: InstructorDeps) {
    this.now = deps.now ?? Date.now;
  }

  async snapshot(): Promise<ClassSnapshot> {
    const labs = await this.deps.labs();
    const manager = await this.deps.sandboxes();
    const running = manager.list();
    const usage = await this.deps.usage(running.map((s) => s.id));
    const broadcast = this.recentBroadcast();
    const sandboxOf = (learner: string, lab: string): SandboxView => {
      const status = manager.status(learner, lab);
      if (status.state !== 'running') return { state: status.state };
      const u = usage.get(status.sandbox.id);
      return { state: 'running', id: status.sandbox.id, ...(u ?? {}) };
    };
    const labViews = labs.map((l) => ({
      slug: l.slug,
      title: l.meta.title,
      steps: l.steps.map((s) => ({ id: s.id, title: s.title })),
      terminals: l.meta.terminals.map((t) => t.name),
    }));
    return {
      report: classReport(labViews, this.deps.progress.everyLearner(labs), sandboxOf, this.now()),
      labs: labViews,
      pool: this.deps.pool()?.state() ?? [],
      capacity: { running: running.length, max: this.deps.maxSandboxes },
      ...(broadcast ? { broadcast } : {}),
    };
  }

  /** A fresh sandbox for the learner (the lab's setup runs again; progress is kept). */
  async resetSandbox(learner: string, lab: Lab, by: string): Promise<void> {
    assertLearnerId(learner);
    const manager = await this.deps.sandboxes();
    const had = await manager.stop(learner, lab.slug);
    if (!had) throw noSandbox(lab.slug);
    this.deps.admission.hold(learner, lab.slug);
    this.deps.log.info('instructor reset a sandbox', { learner, lab: lab.slug, by });
    this.deps.feed.add({ kind: 'action', learner, lab: lab.slug, text: 'instructor gave a fresh sandbox' });
    try {
      await manager.start(learner, lab.slug);
    } catch (err) {
      this.deps.admission.released(learner, lab.slug);
      throw err;
    }
    this.deps.events.publish(learner, lab.slug, { type: 'sandbox-replaced', by: 'instructor' });
  }

  async stopSandbox(learner: string, lab: Lab, by: string): Promise<void> {
    assertLearnerId(learner);
    const manager = await this.deps.sandboxes();
    if (!(await manager.stop(learner, lab.slug))) throw noSandbox(lab.slug);
    this.deps.log.info('instructor stopped a sandbox', { learner, lab: lab.slug, by });
    this.deps.feed.add({ kind: 'action', learner, lab: lab.slug, text: 'instructor stopped the sandbox' });
    this.deps.events.publish(learner, lab.slug, { type: 'sandbox-stopped', reason: 'instructor' });
  }

  broadcast(message: unknown, by: string): { message: string; at: number } {
    if (typeof message !== 'string' || !message.trim()) {
      throw new AppError('invalid_message', 'The message is empty.', { status: 400, hint: 'Write the message to send to every lab page.' });
    }
    const text = message.trim();
    if (text.length > MAX_BROADCAST_CHARS) {
      throw new AppError('invalid_message', `The message is ${text.length} characters long; at most ${MAX_BROADCAST_CHARS} fit.`, {
        status: 400,
        hint: 'Shorten it, or put the details on the board.',
      });
    }
    this.lastBroadcast = { message: text, at: this.now() };
    this.deps.events.broadcast({ type: 'broadcast', ...this.lastBroadcast });
    this.deps.log.info('instructor broadcast a message', { by, chars: text.length });
    this.deps.feed.add({ kind: 'broadcast', text: `instructor: ${text}` });
    return this.lastBroadcast;
  }

  /**
   * The instructor opens a read-only view of one of the learner's terminals: the sandbox to watch. Their page says
   * so while any such view is open (watched). Returns the sandbox's id and the function that ends the watch.
   */
  async watchTerminal(learner: string, lab: Lab, tab: string, by: string): Promise<{ sandboxId: string; end(): void }> {
    assertLearnerId(learner);
    const manager = await this.deps.sandboxes();
    const status = manager.status(learner, lab.slug);
    if (status.state !== 'running') throw noSandbox(lab.slug);
    const key = `${learner}/${lab.slug}`;
    const count = (this.watchers.get(key) ?? 0) + 1;
    this.watchers.set(key, count);
    if (count === 1) this.deps.events.publish(learner, lab.slug, { type: 'watched', watching: true });
    this.deps.log.info('instructor is watching a terminal', { learner, lab: lab.slug, tab, by });
    let ended = false;
    return {
      sandboxId: status.sandbox.id,
      end: () => {
        if (ended) return;
        ended = true;
        const left = (this.watchers.get(key) ?? 1) - 1;
        if (left > 0) return void this.watchers.set(key, left);
        this.watchers.delete(key);
        this.deps.events.publish(learner, lab.slug, { type: 'watched', watching: false });
      },
    };
  }

  /** Is one of this learner's terminals being watched (a page that opens now says so)? */
  isWatched(learner: string, lab: string): boolean {
    return this.watchers.has(`${learner}/${lab}`);
  }

  /** The last message, while a page that opens now should still show it. */
  recentBroadcast(): { message: string; at: number } | undefined {
    const b = this.lastBroadcast;
    return b && this.now() - b.at < BROADCAST_SHOWN_MS ? b : undefined;
  }

  async setPoolTargets(targets: unknown, by: string): Promise<void> {
    const pool = this.deps.pool();
    if (!pool) throw new AppError('engine_not_ready', 'The sandbox engine is not ready yet.', { status: 503, hint: 'Try again in a few seconds.' });
    const slugs = new Set((await this.deps.labs()).map((l) => l.slug));
    if (!targets || typeof targets !== 'object' || Array.isArray(targets)) {
      throw new AppError('invalid_pool', 'Send the number of warm sandboxes per lab, e.g. {"targets": {"transparent-proxy": 5}}.', { status: 400 });
    }
    const parsed: Record<string, number> = {};
    for (const [lab, n] of Object.entries(targets as Record<string, unknown>)) {
      if (!slugs.has(lab)) throw new AppError('invalid_pool', `There is no lab "${lab}".`, { status: 400, hint: `Labs: ${[...slugs].join(', ')}.` });
      if (!Number.isInteger(n) || (n as number) < 0 || (n as number) > this.deps.maxSandboxes) {
        throw new AppError('invalid_pool', `${lab}: ${String(n)} is not a number of sandboxes from 0 to ${this.deps.maxSandboxes} (MAX_SANDBOXES).`, { status: 400 });
      }
      if ((n as number) > 0) parsed[lab] = n as number;
    }
    pool.setTargets(parsed);
    this.deps.log.info('instructor set the warm pool', { by, targets: parsed });
    this.deps.feed.add({ kind: 'action', text: `warm pool: ${Object.entries(parsed).map(([l, n]) => `${l} ${n}`).join(', ') || 'none'}` });
  }
}

function assertLearnerId(learner: string): void {
  if (!LEARNER_ID.test(learner)) throw new AppError('not_found', 'There is no such learner.', { status: 404 });
}

function noSandbox(lab: string): AppError {
  return new AppError('no_sandbox', `This learner has no sandbox in ${lab}.`, { status: 409, hint: 'Refresh the view: it may have been stopped already.' });
}
