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

/** Mistakes run in sandboxes of their own, this many at a time (each is set up and brought to its step). */
export const MISTAKE_CONCURRENCY = 2;

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

/** Runs `fn` on each item, at most `limit` at a time, results in order. */
async function pool<T, R>(items: T[], limit: number, fn: (item: T) => Promise<R>): Promise<R[]> {
  const results: R[] = [];
  let next = 0;
  const worker = async () => {
    while (next < items.length) {
      const i = next++;
      results[i] = await fn(items[i]!);
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
  return results;
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
}

/**
 * Every check in the lab's initial state, in a sandbox of its own (a check with side effects, test traffic say,
 * must not make another step's check pass in the walk that follows).
 */
async function checksFromStart(driver: SandboxDriver, lab: Lab, steps: Step[], owner: string, onPhase?: SelfTestOptions['onPhase']): Promise<Map<string, CheckRun>> {
  const sandbox = await driver.create({ owner, lab: lab.slug, purpose: 'cli' });
  try {
    await runLabSetup(driver, sandbox.id, lab);
    const runs = new Map<string, CheckRun>();
    for (const step of steps) {
      onPhase?.(step.id, 'from start');
      runs.set(step.id, await runCheck(driver, sandbox.id, step));
    }
    return runs;
  } finally {
    await driver.destroy(sandbox.id).catch(() => undefined);
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

export async function selfTestLab(driver: SandboxDriver, lab: Lab, opts: SelfTestOptions): Promise<LabTestResult> {
  const started = Date.now();
  const selected = selection(lab, opts);
  const sandbox = await driver.create({ owner: opts.owner, lab: lab.slug, purpose: 'cli' });
  opts.onSandbox?.(sandbox.id);
  const steps: StepTestResult[] = [];
  const seen = new Set<string>();
  const done = (ok: boolean, setupError?: string): LabTestResult => ({
    lab: lab.slug,
    ok,
    setupError,
    steps,
    metricsNeverSeen: setupError ? [] : labMetrics(lab).filter((m) => !seen.has(m)),
    seconds: (Date.now() - started) / 1000,
  });
  try {
    try {
      await runLabSetup(driver, sandbox.id, lab);
      // Starting later: the steps before are brought about by their reference solutions.
      await applySolutions(driver, sandbox.id, lab, lab.steps[selected[0]!.index - 1]?.id);
    } catch (err) {
      const details = (err as { options?: { details?: string[] } }).options?.details ?? [];
      return done(false, [(err as Error).message, ...details].join('\n'));
    }
    // The initial state: nothing done yet, so no check may pass.
    const fromStart = await checksFromStart(driver, lab, selected, opts.owner, opts.onPhase);

    for (const step of selected) {
      const t0 = Date.now();
      opts.onPhase?.(step.id, 'check before');
      const before = await runCheck(driver, sandbox.id, step);
      opts.onPhase?.(step.id, 'solution');
      const solution = await runSolution(driver, sandbox.id, lab, step);
      const solutionOk = checkPassed(solution);
      if (solutionOk) opts.onPhase?.(step.id, 'check after');
      const after = solutionOk ? await runCheck(driver, sandbox.id, step) : undefined;
      for (const m of await metricsNow(driver, sandbox.id, lab).catch(() => [])) seen.add(m);
      const slowest = Math.max(before.ms, after?.ms ?? 0, fromStart.get(step.id)!.ms);
      const r: StepTestResult = {
        step: step.id,
        title: step.title,
        fromStart: fromStart.get(step.id),
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
      if (!solutionOk) {
        opts.onStep?.(r);
        break; // the sandbox is not in the state the next steps expect
      }
      opts.onStep?.(r);
    }
  } finally {
    if (!opts.keep) await driver.destroy(sandbox.id);
  }

  if (opts.mistakes !== false && steps.length === selected.length && steps.every((s) => s.solutionOk)) {
    const work = selected.flatMap((step) => step.mistakes.map((mistake) => ({ step, mistake })));
    const results = await pool(work, MISTAKE_CONCURRENCY, async ({ step, mistake }) => {
      opts.onPhase?.(step.id, `mistake ${mistake.name}`);
      const r = await testMistake(driver, lab, step, mistake, opts.owner);
      opts.onMistake?.(r);
      return r;
    });
    for (const r of results) steps.find((s) => s.step === r.step)!.mistakes.push(r);
  }
  return done(steps.length === selected.length && steps.every(stepOk));
}
