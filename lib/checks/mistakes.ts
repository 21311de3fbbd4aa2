// Typical mistakes, proven against the checks: a mistake (a step's front matter, `mistakes:`) is applied in a fresh
// sandbox brought to its step, on top of the step's reference solution (or instead of it), and the step's check
// must then fail with a message that names the mistake.
import path from 'node:path';
import { applyPatch, parsePatch } from 'diff';
import { AppError } from '../errors';
import type { Lab, Mistake, Step } from '../labs/schema';
import { applySolutionOf, runLabSetup, runSolution, SETUP_OUTPUT_LIMIT } from '../labs/setup';
import { runLabScript } from '../sandbox/lab-exec';
import type { SandboxDriver } from '../sandbox/types';
import { checkMessage, checkPassed } from './check-message';
import { splitReason } from './reason';
import { PhaseClock, type PhaseTime } from './timings';

export interface MistakeResult {
  step: string;
  name: string;
  what: string;
  /** The check failed, its message contains the expected words, and it reported the expected reason. */
  ok: boolean;
  message: string;
  reason?: string;
  /** What went wrong when not ok, in words. */
  problem?: string;
  seconds: number;
  /** Where the time went in its sandbox (lab test --timings). */
  phases: PhaseTime[];
  /** CPU time its sandbox used, as the engine accounts it. */
  cpuSeconds?: number;
}

/** A patch path as written in a unified diff ("a/sockops.bpf.c", "b/x", "/dev/null") -> relative to the workspace. */
function patchPath(name: string | undefined): string | undefined {
  if (!name || name === '/dev/null') return undefined;
  return name.replace(/^[ab]\//, '').replace(/\t.*$/, '');
}

/** Applies the mistake's patch to the workspace files (on the server: the sandbox needs no patch tool). */
async function applyWorkspacePatch(driver: SandboxDriver, sandboxId: string, lab: Lab, mistake: Mistake): Promise<void> {
  const workspace = lab.meta.workspace?.to;
  if (!mistake.patch || !workspace) return;
  for (const filePatch of parsePatch(mistake.patch.content)) {
    const rel = patchPath(filePatch.newFileName) ?? patchPath(filePatch.oldFileName);
    if (!rel || rel.split('/').includes('..')) throw new AppError('bad_patch', `${mistake.patch.file}: a file name of the patch is not inside the workspace`);
    const file = path.posix.join(workspace, rel);
    const current = await driver.exec(sandboxId, ['cat', '--', file], { timeoutMs: 10_000 });
    const patched = applyPatch(current.exitCode === 0 ? current.stdout : '', filePatch);
    if (patched === false) {
      throw new AppError('bad_patch', `${mistake.patch.file} does not apply to ${file} after the step's solution: regenerate it from the reference file`);
    }
    await driver.copyIn(sandboxId, workspace, [{ path: rel, content: patched }]);
  }
}

/** Whether the check's outcome is the one the mistake expects; undefined when it is. */
export function judgeMistake(mistake: Mistake, passed: boolean, message: string, reason: string | undefined): string | undefined {
  if (passed) return 'the check passes: this mistake goes unnoticed';
  if (!message.toLowerCase().includes(mistake.expect.toLowerCase())) return `the message does not say "${mistake.expect}"`;
  if (mistake.reason && reason !== mistake.reason) return `the check reports reason ${reason ?? '(none)'}, not ${mistake.reason}`;
  return undefined;
}

/**
 * Brings a set-up sandbox to the end of step `through` for a mistake: every step up to it by its lighter replay when
 * it declares one, else by its reference solution. After a lighter replay the step's check must pass (the state is
 * then one a learner reaches: the step done their way); `onStep` hears each step as it is done.
 */
export async function replaySteps(driver: SandboxDriver, sandboxId: string, lab: Lab, through: Step | undefined, onStep: (what: string) => void): Promise<void> {
  for (const step of lab.steps.slice(0, through ? through.index + 1 : 0)) {
    if (!step.replay) {
      await applySolutionOf(driver, sandboxId, lab, step);
      onStep(`replay ${step.id}`);
      continue;
    }
    const r = await runSolution(driver, sandboxId, lab, { ...step, solution: step.replay.run }, { outputLimit: SETUP_OUTPUT_LIMIT });
    if (r.exitCode !== 0 || r.timedOut || r.overflow) {
      const said = `${r.stdout}\n${r.stderr}`.trim().split('\n').slice(-5).join(' | ');
      throw new AppError('replay_failed', `the lighter replay of ${step.id} failed (exit ${r.exitCode}${r.timedOut ? ', timed out' : ''}): ${said}`);
    }
    const check = await runLabScript(driver, sandboxId, step.check, { timeoutMs: step.checkTimeoutMs, env: { LAB_STEP: step.id } });
    const checked = { ...check, stdout: splitReason(check.stdout).stdout };
    if (!checkPassed(checked)) {
      throw new AppError('replay_failed', `the lighter replay of ${step.id} does not complete the step: its check says "${checkMessage(checked, step.checkTimeoutMs)}"`);
    }
    onStep(`replay ${step.id} (lighter)`);
  }
}

/**
 * One mistake in a fresh sandbox: set up, brought to its step, the mistake applied, the check run once. The sandbox is
 * destroyed through `destroyLater` when given (the caller awaits it; its slot is free sooner), else before returning.
 */
export async function testMistake(
  driver: SandboxDriver,
  lab: Lab,
  step: Step,
  mistake: Mistake,
  owner: string,
  destroyLater?: (destroy: Promise<unknown>) => void,
): Promise<MistakeResult> {
  const started = Date.now();
  const clock = new PhaseClock();
  const base = { step: step.id, name: mistake.name, what: mistake.what, phases: clock.phases };
  const sandbox = await clock.time('create', () => driver.create({ owner, lab: lab.slug, purpose: 'cli' }));
  let result: MistakeResult;
  try {
    await clock.time('setup', () => runLabSetup(driver, sandbox.id, lab));
    await replaySteps(driver, sandbox.id, lab, lab.steps[step.index - 1], (what) => clock.mark(what));
    if (!mistake.instead) {
      const solution = await clock.time('solution', () => runSolution(driver, sandbox.id, lab, step));
      if (!checkPassed(solution)) throw new AppError('solution_failed', `the solution of ${step.id} failed before the mistake was applied`);
    }
    await clock.time('mistake', async () => {
      await applyWorkspacePatch(driver, sandbox.id, lab, mistake);
      if (mistake.run) {
        const r = await runLabScript(driver, sandbox.id, mistake.run, { timeoutMs: step.solutionTimeoutMs, env: { LAB_STEP: step.id } });
        if (r.timedOut) throw new AppError('mistake_failed', `the mistake's run script timed out after ${step.solutionTimeoutMs / 1000} s`);
      }
    });
    const raw = await clock.time('check', () => runLabScript(driver, sandbox.id, step.check, { timeoutMs: step.checkTimeoutMs, env: { LAB_STEP: step.id } }));
    const { reason, stdout } = splitReason(raw.stdout);
    const r = { ...raw, stdout };
    const message = checkMessage(r, step.checkTimeoutMs);
    const problem = judgeMistake(mistake, checkPassed(r), message, reason);
    result = { ...base, ok: !problem, message, reason, problem, seconds: 0 };
  } catch (err) {
    const e = err as AppError;
    const details = e.options?.details?.length ? `: ${e.options.details.join(' | ')}` : '';
    result = { ...base, ok: false, message: '', problem: `${e.message}${details}`, seconds: 0 };
  }
  const cpu = await driver.usage(sandbox.id).catch(() => undefined);
  const destroy = clock.time('destroy', () => driver.destroy(sandbox.id).catch(() => undefined));
  if (destroyLater) destroyLater(destroy);
  else await destroy;
  return { ...result, cpuSeconds: cpu ? cpu.cpuNs / 1e9 : undefined, seconds: (Date.now() - started) / 1000 };
}
