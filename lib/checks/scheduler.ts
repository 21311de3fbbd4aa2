// When to run a step's check: right after a command finishes in any of the learner's terminals (the shell's
// marker), on the page's timer while it is open and shown (backing off while nothing changes; never for checks with
// side effects), when the page switches step or opens (done steps again: do they still hold?), and on the Check
// button. One check at a time per learner and lab; triggers that arrive meanwhile are folded into one more run.
// A step ticks only once every step before it is done or skipped.
import type { EventSink } from '../event-sink';
import type { Lab } from '../labs/schema';
import { silentLogger, type Logger } from '../log';
import type { ProgressStore } from '../progress/store';
import { isBehind, isDone, type ProgressEvent } from '../progress/types';
import type { LabScriptRunner } from '../sandbox/lab-exec';
import { checkMessage, checkPassed } from './check-message';
import type { CheckEvent, CheckOutcome, CheckTrigger } from './outcome';
import { splitReason } from './reason';

/** Fallback polling while a lab page is shown: catches changes made outside a terminal (or a missed marker). */
export const POLL_INTERVAL_MS = 4000;
/** While polls keep finding the same, the interval doubles up to this: an idle page costs a check a minute. */
export const MAX_POLL_INTERVAL_MS = 60_000;

/** Whose step to check: the learner, the lab and the sandbox the check runs in. */
export interface CheckTarget {
  learner: string;
  lab: Lab;
  sandbox: { id: string };
}

/** An open lab page: the step it shows is checked too; a hidden page (another browser tab in front) is not polled. */
export interface PageView {
  viewStep?: string;
  hidden?: boolean;
}

export interface SchedulerDeps {
  store: Pick<ProgressStore, 'forLab' | 'recordCheck'>;
  events: EventSink<CheckEvent | ProgressEvent>;
  runScript: LabScriptRunner;
  /** The learner's running sandbox for a lab: the timer's checks start from an open page, which names no sandbox. */
  sandboxOf: (learner: string, lab: Lab) => Promise<{ id: string } | undefined>;
  log?: Logger;
  pollIntervalMs?: number;
  /** Every check's outcome, for the server's metrics. */
  onOutcome?: (lab: Lab, outcome: CheckOutcome) => void;
}

interface OpenPages {
  learner: string;
  lab: Lab;
  views: Set<PageView>;
}

interface RunState {
  running?: Promise<CheckOutcome[]>;
  again?: { target: CheckTarget; trigger: CheckTrigger; step?: string; promise: Promise<CheckOutcome[]> };
  lastRun: number;
  /** The timer's current interval: doubles while its checks find nothing new, back to the base on any change. */
  pollEvery: number;
  /** What the last run found, to tell whether the next one found something new. */
  lastFound?: string;
}

const keyOf = (learner: string, lab: string) => `${learner}\0${lab}`;

export class CheckScheduler {
  private readonly pages = new Map<string, OpenPages>();
  /** Learners and labs whose checks wait: a benchmark measures their sandbox (a check would disturb it). */
  private readonly paused = new Set<string>();
  private readonly state = new Map<string, RunState>();
  private readonly log: Logger;
  private readonly timer: ReturnType<typeof setInterval>;

  private readonly basePoll: number;

  constructor(private readonly deps: SchedulerDeps) {
    this.log = deps.log ?? silentLogger;
    this.basePoll = deps.pollIntervalMs ?? POLL_INTERVAL_MS;
    this.timer = setInterval(() => this.poll(this.basePoll), this.basePoll);
    this.timer.unref();
  }

  /** A lab page opened: its lab is checked on the timer while it stays open. Returns what to call when it closes. */
  watch(learner: string, lab: Lab, view: PageView): () => void {
    const k = keyOf(learner, lab.slug);
    let open = this.pages.get(k);
    if (!open) this.pages.set(k, (open = { learner, lab, views: new Set() }));
    open.lab = lab;
    open.views.add(view);
    const pages = open;
    return () => {
      pages.views.delete(view);
      if (pages.views.size === 0 && this.pages.get(k) === pages) this.pages.delete(k);
    };
  }

  /** Holds every check of this learner's lab until resume(): a benchmark is measuring the sandbox. */
  pause(learner: string, lab: string): void {
    this.paused.add(keyOf(learner, lab));
  }

  resume(learner: string, lab: string): void {
    this.paused.delete(keyOf(learner, lab));
  }

  isPaused(learner: string, lab: string): boolean {
    return this.paused.has(keyOf(learner, lab));
  }

  private poll(base: number) {
    for (const [k, { learner, lab, views }] of this.pages) {
      if ([...views].every((v) => v.hidden)) continue;
      const st = this.state.get(k);
      if (st?.running || (st && Date.now() - st.lastRun < Math.max(base, st.pollEvery))) continue;
      void this.deps
        .sandboxOf(learner, lab)
        .then((sandbox) => (sandbox ? this.check({ learner, lab, sandbox }, 'poll') : []))
        .catch((err) => this.log.warn('poll check failed', err));
    }
  }

  /**
   * Checks the step(s) that matter now: `step` when given (the Check button), otherwise the steps open pages show
   * and the first step not done yet. Resolves with the outcomes of the run that covers this request.
   */
  check(target: CheckTarget, trigger: CheckTrigger, step?: string): Promise<CheckOutcome[]> {
    const k = keyOf(target.learner, target.lab.slug);
    if (this.paused.has(k)) return Promise.resolve([]);
    let st = this.state.get(k);
    if (!st) this.state.set(k, (st = { lastRun: 0, pollEvery: this.basePoll }));
    const state = st;
    if (state.running) {
      // Fold into one more run after the current one; the latest target (a new sandbox after a reset) and an
      // explicit step win over what was asked before.
      if (!state.again) {
        const promise = state.running
          .catch(() => [])
          .then(() => {
            const again = state.again!;
            state.again = undefined;
            return this.start(state, again.target, again.trigger, again.step);
          });
        state.again = { target, trigger, step, promise };
      } else {
        state.again.target = target;
        if (step) state.again.step = step;
      }
      return state.again.promise;
    }
    return this.start(state, target, trigger, step);
  }

  private start(state: RunState, target: CheckTarget, trigger: CheckTrigger, step?: string): Promise<CheckOutcome[]> {
    const run = this.run(target, trigger, step).then((outcomes) => {
      // The timer slows down while it finds nothing new; anything else the learner does brings it back.
      const found = JSON.stringify(outcomes.map((o) => [o.step, o.passed, o.message]));
      state.pollEvery = trigger === 'poll' && found === state.lastFound ? Math.min(state.pollEvery * 2, MAX_POLL_INTERVAL_MS) : this.basePoll;
      state.lastFound = found;
      return outcomes;
    });
    state.running = run.finally(() => {
      state.running = undefined;
      state.lastRun = Date.now();
    });
    return state.running;
  }

  /**
   * The steps a run checks: the one asked for (Check button); otherwise the steps open pages show (done or not: a
   * done step is checked again to see that it still holds) and the first one not done; when a page opens, every
   * done step too. The timer leaves out checks with side effects.
   */
  private stepsToCheck(target: CheckTarget, trigger: CheckTrigger, only?: string): string[] {
    if (only) return [only];
    const { learner, lab } = target;
    const progress = this.deps.store.forLab(learner, lab).steps;
    const targets = new Set<string>();
    if (trigger === 'open') for (const p of progress) if (isDone(p)) targets.add(p.step);
    for (const view of this.pages.get(keyOf(learner, lab.slug))?.views ?? []) {
      if (view.viewStep && progress.some((p) => p.step === view.viewStep)) targets.add(view.viewStep);
    }
    const first = progress.find((p) => p.status === 'todo');
    if (first) targets.add(first.step);
    const steps = lab.steps.filter((s) => targets.has(s.id) && !(trigger === 'poll' && s.sideEffects));
    return steps.map((s) => s.id);
  }

  private async run(target: CheckTarget, trigger: CheckTrigger, only?: string): Promise<CheckOutcome[]> {
    const { learner, lab, sandbox } = target;
    const { events, store } = this.deps;
    const outcomes: CheckOutcome[] = [];
    for (const id of this.stepsToCheck(target, trigger, only)) {
      const step = lab.steps.find((s) => s.id === id);
      if (!step) continue;
      if (trigger !== 'poll') events.publish(learner, lab.slug, { type: 'checking', step: id, trigger });
      const raw = await this.deps.runScript(sandbox.id, step.check, { timeoutMs: step.checkTimeoutMs, env: { LAB_STEP: id } });
      const { reason, stdout } = splitReason(raw.stdout);
      const r = { ...raw, stdout };
      const passed = checkPassed(r);
      const message = checkMessage(r, step.checkTimeoutMs);
      // A step ticks only once the steps before it are done or skipped: a check that passes early says so.
      const before = store.forLab(learner, lab).steps.slice(0, step.index);
      const blockedBy = before.find((p) => !isBehind(p))?.step;
      const { newlyDone } = store.recordCheck(learner, lab.slug, id, { passed, message, reason }, !blockedBy);
      const outcome: CheckOutcome = {
        step: id,
        passed,
        message,
        reason: passed ? undefined : reason,
        trigger,
        durationMs: r.durationMs,
        newlyDone,
        blockedBy: passed ? blockedBy : undefined,
      };
      outcomes.push(outcome);
      this.deps.onOutcome?.(lab, outcome);
      events.publish(learner, lab.slug, { type: 'check', ...outcome });
      if (newlyDone) this.log.info(`${learner} completed ${lab.slug}/${id} (${trigger})`);
    }
    if (outcomes.length) events.publish(learner, lab.slug, { type: 'progress', progress: store.forLab(learner, lab) });
    return outcomes;
  }

  close(): void {
    clearInterval(this.timer);
    this.pages.clear();
  }
}
