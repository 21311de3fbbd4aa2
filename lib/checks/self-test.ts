// The lab self-test (npm run lab -- test). In a fresh sandbox: every check must fail in the lab's initial state
// (no step may tick by itself); then for each step in order the check must fail, the reference solution must
// succeed, and the check must pass, within its time budget (checks run after every learner command). Then every
// typical mistake the steps list is applied in a fresh sandbox of its own, and its check must fail saying so.
import { parseSamplerLine } from '../datapath/frame';
import { samplerArgv } from '../datapath/hub';
import type { Lab, Step } from '../labs/schema';
import { applySolutions, runLabSetup, runSolution } from '../labs/setup';
import { runLabScript } from '../sandbox/lab-exec';
import type { ExecResult, SandboxDriver } from '../sandbox/types';
import { checkMessage, checkPassed } from './check-message';
import { testMistake, type MistakeResult } from './mistakes';
import { splitReason } from './reason';
import { SandboxSlots } from './sandbox-slots';
import { PhaseClock, type PhaseTime } from './timings';

/**
 * Sandboxes a self-test runs at once (the in-order pass, the checks from the start, each mistake: each set up and
 * brought to its step). Measured on the 2-core machine: a mistake's sandbox used 0.2 s of CPU per second it lived
 * (lab test --timings), the rest is waiting on the engine, on exec round trips and on timed measurements. Not more
 * than 2: every sandbox pins its measurements (netbench, splicectl compare) to the same last CPU, and with 4 at once
 * on an idle machine two labs failed in a clean-clone run (a measuring tool's output cut short: invalid JSON, no
 * comparison), where 2 at a time have passed every run.
 */
export const SELF_TEST_CONCURRENCY = 2;

export interface CheckRun {
  passed: boolean;
  timedOut: boolean;
  message: string;
  reason?: string;
  ms: number;
}

export interface StepTestResult {
  step: string;
  title: string;
  /** The check in the lab's initial state (right after setup): it must fail. */
  fromStart?: CheckRun;
  before: CheckRun;
  solutionOk: boolean;
  solutionTimedOut: boolean;
  after?: CheckRun;
  /** The solution's output tail when it failed. */
  solutionOutput?: string;
  budget: { seconds: number; why?: string };
  /** The slowest run of this step's check was over its budget. */
  overBudget: boolean;
  mistakes: MistakeResult[];
  seconds: number;
}

export interface LabTestResult {
  lab: string;
  ok: boolean;
  setupError?: string;
  steps: StepTestResult[];
  /** The lab's datapath counters (lab.yaml datapath) the sampler never printed during the run: an edge or counter
   * that would stay empty for learners too. A warning, not a failure: a counter may only appear under load. */
  metricsNeverSeen: string[];
  seconds: number;
  /** Wall time of the in-order pass by phase, of the checks from the start, and of all the mistakes. */
  timings: { inOrder: PhaseTime[]; fromStart: PhaseTime[]; mistakesMs: number };
}

/** What the self-test is doing now, for a live line. */
export type SelfTestPhase = 'from start' | 'check before' | 'solution' | 'check after' | `mistake ${string}`;

/** Failing before means failing by itself: a check that timed out proves nothing (and would stall learners). */
const failsCleanly = (c: CheckRun | undefined) => !!c && !c.passed && !c.timedOut;

export const stepOk = (r: StepTestResult) =>
  (r.fromStart === undefined || failsCleanly(r.fromStart)) &&
  failsCleanly(r.before) &&
  r.solutionOk &&
  !!r.after?.passed &&
  !r.overBudget &&
  r.mistakes.every((m) => m.ok);

async function runCheck(driver: SandboxDriver, sandboxId: string, step: Step): Promise<CheckRun> {
  const raw: ExecResult = await runLabScript(driver, sandboxId, step.check, { timeoutMs: step.checkTimeoutMs, env: { LAB_STEP: step.id } });
  const { reason, stdout } = splitReason(raw.stdout);
  const r = { ...raw, stdout };
  return { passed: checkPassed(r), timedOut: r.timedOut, message: checkMessage(r, step.checkTimeoutMs), reason, ms: r.durationMs };
}

export interface SelfTestOptions {
  owner: string;
  /** Start at this step (the sandbox is brought to it by the solutions of the steps before), or test only it. */
  from?: string;
  only?: string;
  onPhase?: (step: string, phase: SelfTestPhase) => void;
  onStep?: (r: StepTestResult) => void;
  onMistake?: (r: MistakeResult) => void;
  keep?: boolean;
  onSandbox?: (id: string) => void;
  /** Also prove the checks against the steps' typical mistakes (default true). */
  mistakes?: boolean;
  /** Sandbox slots shared with the other labs of the run (default: SELF_TEST_CONCURRENCY for this lab alone). */
  slots?: SandboxSlots;
  /** Where in-order passes take turns (default: this lab's own). */
  walkLane?: SandboxSlots;
}

/**
 * Every check in the lab's initial state, in a sandbox of its own (a check with side effects, test traffic say,
 * must not make another step's check pass in the walk that follows).
 */
async function checksFromStart(
  driver: SandboxDriver,
  lab: Lab,
  steps: Step[],
  owner: string,
  clock: PhaseClock,
  destroyLater: (destroy: Promise<unknown>) => void,
  onPhase?: SelfTestOptions['onPhase'],
): Promise<Map<string, CheckRun>> {
  const sandbox = await clock.time('create', () => driver.create({ owner, lab: lab.slug, purpose: 'cli' }));
  try {
    await clock.time('setup', () => runLabSetup(driver, sandbox.id, lab));
    const runs = new Map<string, CheckRun>();
    for (const step of steps) {
      onPhase?.(step.id, 'from start');
      runs.set(step.id, await runCheck(driver, sandbox.id, step));
    }
    clock.mark('checks');
    return runs;
  } finally {
    destroyLater(clock.time('destroy', () => driver.destroy(sandbox.id).catch(() => undefined)));
  }
}

/** The metric names one sample of the datapath sampler prints now (none when the lab has no datapath view). */
async function metricsNow(driver: SandboxDriver, sandboxId: string, lab: Lab): Promise<string[]> {
  const datapath = lab.meta.datapath;
  if (!datapath) return [];
  const r = await driver.exec(sandboxId, [...samplerArgv(datapath.ports), '--count', '1'], { timeoutMs: 10_000 });
  return Object.keys(parseSamplerLine(r.stdout.trim().split('\n')[0] ?? '')?.values ?? {});
}

/** Every metric the lab's datapath view reads. */
function labMetrics(lab: Lab): string[] {
  const d = lab.meta.datapath;
  if (!d) return [];
  return [
    ...new Set([
      ...d.edges.flatMap((e) => [e.packets, e.bytes].filter((m): m is string => !!m)),
      ...d.counters.map((c) => c.metric),
      ...(d.state ? [d.state.metric] : []),
    ]),
  ];
}

/** The steps a run tests: all, from a step on, or one. */
function selection(lab: Lab, opts: Pick<SelfTestOptions, 'from' | 'only'>): Step[] {
  const at = (id: string) => {
    const i = lab.steps.findIndex((s) => s.id === id || s.id.startsWith(`${id}-`));
    if (i < 0) throw new Error(`${lab.slug} has no step ${id} (steps: ${lab.steps.map((s) => s.id).join(', ')})`);
    return i;
  };
  if (opts.only) return [lab.steps[at(opts.only)]!];
  if (opts.from) return lab.steps.slice(at(opts.from));
  return lab.steps;
}

/** In-order passes and the checks from the start go before mistakes waiting for a slot: their check times are judged. */
const WALK_PRIORITY = 0;
/**
 * An in-order pass takes two slots, so that at most two other sandboxes run beside the checks whose times it judges
 * (the checks from the start take one: a few quick checks in the initial state).
 */
const WALK_WEIGHT = 2;
/**
 * Mistakes of later steps go first: they replay more steps and take longest, and a run that starts them last ends
 * with one or two sandboxes working alone.
 */
const mistakePriority = (step: Step) => 2 - step.index / (step.index + 1);

/**
 * The self-test of one lab: the checks from the start, the in-order pass and the mistakes, each in a sandbox of its
 * own, side by side in `slots` (shared with the other labs of the run). The mistakes do not wait for the in-order pass:
 * when it fails, the ones not started yet are dropped and none is reported (their sandboxes would not reach their
 * step either). In-order passes take turns in `walkLane` (one at a time), so that a run's check times stay comparable.
 */
export async function selfTestLab(driver: SandboxDriver, lab: Lab, opts: SelfTestOptions): Promise<LabTestResult> {
  const started = Date.now();
  const selected = selection(lab, opts);
  const slots = opts.slots ?? new SandboxSlots(SELF_TEST_CONCURRENCY);
  const walkLane = opts.walkLane ?? new SandboxSlots(1);
  const clock = new PhaseClock();
  const fromStartClock = new PhaseClock();
  // The initial state: nothing done yet, so no check may pass.
  // Sandboxes are destroyed outside their slot (the engine's work, mostly waiting for processes to end).
  const destroying: Promise<unknown>[] = [];
  const destroyLater = (destroy: Promise<unknown>) => {
    destroy.catch(() => undefined); // a failure surfaces where they are all awaited, not as an unhandled rejection
    destroying.push(destroy);
  };
  const fromStart = slots.run(WALK_PRIORITY, () => checksFromStart(driver, lab, selected, opts.owner, fromStartClock, destroyLater, opts.onPhase));
  fromStart.catch(() => undefined); // awaited below; a rejection before then is not unhandled
  let walkFailed = false;
  // Mistakes that end before the in-order pass are told once it passes (and never when it fails).
  let heldBack: MistakeResult[] | undefined = [];
  const mistakesStarted = Date.now();
  let mistakesEnded = mistakesStarted;
  const mistakes =
    opts.mistakes === false
      ? []
      : selected.flatMap((step) =>
          step.mistakes.map((mistake) =>
            slots.run(mistakePriority(step), async () => {
              if (walkFailed) return undefined;
              opts.onPhase?.(step.id, `mistake ${mistake.name}`);
              const r = await testMistake(driver, lab, step, mistake, opts.owner, destroyLater);
              mistakesEnded = Date.now();
              if (heldBack) heldBack.push(r);
              else if (!walkFailed) opts.onMistake?.(r);
              return r;
            }),
          ),
        );
  const walk = await walkLane.run(WALK_PRIORITY, () =>
    slots.run(WALK_PRIORITY, () => inOrderPass(driver, lab, selected, opts, clock, fromStart, destroyLater), WALK_WEIGHT),
  );
  walkFailed = !!walk.setupError || walk.steps.length < selected.length || !walk.steps.every((s) => s.solutionOk);
  if (!walkFailed) for (const r of heldBack) opts.onMistake?.(r);
  heldBack = undefined;
  await fromStart.catch(() => undefined);
  const results = await Promise.all(mistakes);
  await Promise.all(destroying);
  if (!walkFailed) for (const r of results) if (r) walk.steps.find((s) => s.step === r.step)!.mistakes.push(r);
  return {
    lab: lab.slug,
    ok: !walkFailed && walk.steps.every(stepOk),
    setupError: walk.setupError,
    steps: walk.steps,
    metricsNeverSeen: walk.setupError ? [] : labMetrics(lab).filter((m) => !walk.seen.has(m)),
    seconds: (Date.now() - started) / 1000,
    timings: { inOrder: clock.phases, fromStart: fromStartClock.phases, mistakesMs: mistakes.length ? mistakesEnded - mistakesStarted : 0 },
  };
}

interface WalkResult {
  steps: StepTestResult[];
  setupError?: string;
  /** The datapath metrics the sampler printed. */
  seen: Set<string>;
}

/** The in-order pass: for each step, its check fails, its solution succeeds, its check passes. */
async function inOrderPass(
  driver: SandboxDriver,
  lab: Lab,
  selected: Step[],
  opts: SelfTestOptions,
  clock: PhaseClock,
  fromStartRuns: Promise<Map<string, CheckRun>>,
  destroyLater: (destroy: Promise<unknown>) => void,
): Promise<WalkResult> {
  const sandbox = await clock.time('create', () => driver.create({ owner: opts.owner, lab: lab.slug, purpose: 'cli' }));
  opts.onSandbox?.(sandbox.id);
  const steps: StepTestResult[] = [];
  const seen = new Set<string>();
  try {
    try {
      await clock.time('setup', () => runLabSetup(driver, sandbox.id, lab));
      // Starting later: the steps before are brought about by their reference solutions.
      await applySolutions(driver, sandbox.id, lab, lab.steps[selected[0]!.index - 1]?.id, (id) => clock.mark(`replay ${id}`));
    } catch (err) {
      const details = (err as { options?: { details?: string[] } }).options?.details ?? [];
      return { steps, seen, setupError: [(err as Error).message, ...details].join('\n') };
    }
    for (const step of selected) {
      const t0 = Date.now();
      opts.onPhase?.(step.id, 'check before');
      const before = await clock.time(`${step.id} check before`, () => runCheck(driver, sandbox.id, step));
      opts.onPhase?.(step.id, 'solution');
      const solution = await clock.time(`${step.id} solution`, () => runSolution(driver, sandbox.id, lab, step));
      const solutionOk = checkPassed(solution);
      if (solutionOk) opts.onPhase?.(step.id, 'check after');
      const after = solutionOk ? await clock.time(`${step.id} check after`, () => runCheck(driver, sandbox.id, step)) : undefined;
      for (const m of await clock.time(`${step.id} sampler`, () => metricsNow(driver, sandbox.id, lab).catch(() => []))) seen.add(m);
      const fromStart = (await clock.time('wait for the checks from the start', () => fromStartRuns)).get(step.id)!;
      const slowest = Math.max(before.ms, after?.ms ?? 0, fromStart.ms);
      const r: StepTestResult = {
        step: step.id,
        title: step.title,
        fromStart,
        before,
        solutionOk,
        solutionTimedOut: solution.timedOut,
        after,
        solutionOutput: solutionOk ? undefined : `${solution.stdout}\n${solution.stderr}`.trim().split('\n').slice(-15).join('\n'),
        budget: step.checkBudget,
        overBudget: slowest > step.checkBudget.seconds * 1000,
        mistakes: [],
        seconds: (Date.now() - t0) / 1000,
      };
      steps.push(r);
      opts.onStep?.(r);
      if (!solutionOk) break; // the sandbox is not in the state the next steps expect
    }
    return { steps, seen };
  } finally {
    if (!opts.keep) destroyLater(clock.time('destroy', () => driver.destroy(sandbox.id)));
  }
}
