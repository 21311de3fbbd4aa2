// When to run a step's check: right after a command finishes in any of the learner's terminals (the shell's
// marker), every few seconds while the lab page is open, when the page switches step, and on the Check button.
// One check at a time per learner and lab; triggers that arrive meanwhile are folded into one more run.
import type { LabCatalog } from '../labs/catalog';
import type { Lab } from '../labs/schema';
import { silentLogger, type Logger } from '../log';
import type { ProgressStore } from '../progress/store';
import type { SandboxManager } from '../sandbox/manager';
import type { SandboxDriver } from '../sandbox/types';
import type { LabEvent } from '../lab-events/events';
import type { CheckOutcome, CheckTrigger } from './outcome';
import { runScript } from './runner';

/** Fallback polling while a lab page is open: catches changes made outside a terminal (or a missed marker). */
export const POLL_INTERVAL_MS = 4000;

export interface Subscriber {
  send(event: LabEvent): void;
  /** The step the page shows. */
  viewStep?: string;
}

interface KeyState {
  running?: Promise<CheckOutcome[]>;
  again?: { trigger: CheckTrigger; step?: string; promise: Promise<CheckOutcome[]> };
  lastRun: number;
}

export interface SchedulerDeps {
  labs: LabCatalog;
  store: ProgressStore;
  sandboxes: () => Promise<{ manager: SandboxManager; driver: SandboxDriver }>;
  log?: Logger;
  pollIntervalMs?: number;
}

const keyOf = (learner: string, lab: string) => `${learner}\0${lab}`;

export class CheckScheduler {
  private readonly subscribers = new Map<string, Set<Subscriber>>();
  /** Learners and labs whose checks wait: a benchmark runs in their sandbox (checks would disturb it). */
  private readonly paused = new Set<string>();
  private readonly state = new Map<string, KeyState>();
  private readonly log: Logger;
  private readonly timer: ReturnType<typeof setInterval>;

  constructor(private readonly deps: SchedulerDeps) {
    this.log = deps.log ?? silentLogger;
    const every = deps.pollIntervalMs ?? POLL_INTERVAL_MS;
    this.timer = setInterval(() => this.poll(every), every);
    this.timer.unref();
  }

  subscribe(learner: string, lab: string, sub: Subscriber): () => void {
    const k = keyOf(learner, lab);
    let set = this.subscribers.get(k);
    if (!set) this.subscribers.set(k, (set = new Set()));
    set.add(sub);
    return () => {
      set!.delete(sub);
      if (set!.size === 0) this.subscribers.delete(k);
    };
  }

  /** Holds every check of this learner's lab until resume() (a benchmark is measuring the sandbox). */
  pause(learner: string, lab: string): void {
    this.paused.add(keyOf(learner, lab));
  }

  resume(learner: string, lab: string): void {
    this.paused.delete(keyOf(learner, lab));
  }

  /** Sends an event to every page of this learner and lab. */
  publish(learner: string, lab: string, event: LabEvent): void {
    for (const s of this.subscribers.get(keyOf(learner, lab)) ?? []) s.send(event);
  }

  publishProgress(learner: string, lab: Lab): void {
    const progress = this.deps.store.get(learner, lab.slug, lab.steps.map((s) => s.id));
    this.publish(learner, lab.slug, { type: 'progress', progress });
  }

  /** A shell printed a marker: when a command finished there, check the learner's step. */
  async onCommandDone(sandboxId: string): Promise<void> {
    const { manager } = await this.deps.sandboxes();
    const owner = manager.byId(sandboxId);
    if (owner) await this.check(owner.owner, owner.lab, 'command');
  }

  private poll(intervalMs: number) {
    for (const k of this.subscribers.keys()) {
      const [learner, lab] = k.split('\0') as [string, string];
      const st = this.state.get(k);
      if (st?.running || (st && Date.now() - st.lastRun < intervalMs)) continue;
      void this.check(learner, lab, 'poll').catch((err) => this.log.warn('poll check failed', err));
    }
  }

  /**
   * Checks the step(s) that matter now: `step` when given (the Check button), otherwise the step the page shows and
   * the first step not done yet. Resolves with the outcomes of the run that covers this request.
   */
  check(learner: string, lab: string, trigger: CheckTrigger, step?: string): Promise<CheckOutcome[]> {
    const k = keyOf(learner, lab);
    if (this.paused.has(k)) return Promise.resolve([]);
    let st = this.state.get(k);
    if (!st) this.state.set(k, (st = { lastRun: 0 }));
    const state = st;
    if (state.running) {
      // Fold into one more run after the current one; an explicit step wins over a general request.
      if (!state.again) {
        const promise = state.running.catch(() => []).then(() => {
          const again = state.again!;
          state.again = undefined;
          return this.start(k, learner, lab, again.trigger, again.step);
        });
        state.again = { trigger, step, promise };
      } else if (step) state.again.step = step;
      return state.again.promise;
    }
    return this.start(k, learner, lab, trigger, step);
  }

  private start(k: string, learner: string, lab: string, trigger: CheckTrigger, step?: string): Promise<CheckOutcome[]> {
    const state = this.state.get(k)!;
    const run = this.run(learner, lab, trigger, step).finally(() => {
      state.running = undefined;
      state.lastRun = Date.now();
    });
    state.running = run;
    return run;
  }

  private async run(learner: string, slug: string, trigger: CheckTrigger, only?: string): Promise<CheckOutcome[]> {
    const lab = await this.deps.labs.get(slug);
    if (!lab) return [];
    const { manager, driver } = await this.deps.sandboxes();
    const sandbox = await manager.find(learner, slug);
    if (!sandbox) return [];
    const progress = this.deps.store.get(learner, slug, lab.steps.map((s) => s.id));
    const todo = new Set(progress.steps.filter((s) => s.status === 'todo').map((s) => s.step));
    const targets = new Set<string>();
    if (only) targets.add(only);
    else {
      for (const sub of this.subscribers.get(keyOf(learner, slug)) ?? []) {
        if (sub.viewStep && todo.has(sub.viewStep)) targets.add(sub.viewStep);
      }
      const first = lab.steps.find((s) => todo.has(s.id));
      if (first) targets.add(first.id);
    }
    const outcomes: CheckOutcome[] = [];
    for (const id of targets) {
      const step = lab.steps.find((s) => s.id === id);
      if (!step) continue;
      if (trigger !== 'poll') this.publish(learner, slug, { type: 'checking', step: id, trigger });
      const r = await runScript(driver, sandbox.id, step.check, { timeoutMs: step.checkTimeoutMs, env: { LAB_STEP: id } });
      const passed = r.exitCode === 0 && !r.timedOut;
      const { newlyDone } = this.deps.store.recordCheck(learner, slug, id, passed, r.message);
      const outcome: CheckOutcome = { step: id, passed, message: r.message, trigger, durationMs: r.durationMs, newlyDone };
      outcomes.push(outcome);
      this.publish(learner, slug, { type: 'check', ...outcome });
      if (newlyDone) this.log.info(`${learner} completed ${slug}/${id} (${trigger})`);
    }
    if (outcomes.length) this.publishProgress(learner, lab);
    return outcomes;
  }

  close(): void {
    clearInterval(this.timer);
    this.subscribers.clear();
  }
}
