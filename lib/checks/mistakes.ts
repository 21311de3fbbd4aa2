// Typical mistakes, proven against the checks: a mistake (a step's front matter, `mistakes:`) is applied in a fresh
// sandbox brought to its step, on top of the step's reference solution (or instead of it), and the step's check
// must then fail with a message that names the mistake.
import path from 'node:path';
import { applyPatch, parsePatch } from 'diff';
import { AppError } from '../errors';
import type { Lab, Mistake, Step } from '../labs/schema';
import { applySolutions, runLabSetup, runSolution } from '../labs/setup';
import { runLabScript } from '../sandbox/lab-exec';
import type { SandboxDriver } from '../sandbox/types';
import { checkMessage, checkPassed } from './check-message';
import { splitReason } from './reason';

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

/** One mistake in a fresh sandbox: set up, brought to its step, the mistake applied, the check run once. */
export async function testMistake(driver: SandboxDriver, lab: Lab, step: Step, mistake: Mistake, owner: string): Promise<MistakeResult> {
  const started = Date.now();
  const base = { step: step.id, name: mistake.name, what: mistake.what };
  const sandbox = await driver.create({ owner, lab: lab.slug, purpose: 'cli' });
  try {
    await runLabSetup(driver, sandbox.id, lab);
    const previous = lab.steps[step.index - 1]?.id;
    await applySolutions(driver, sandbox.id, lab, previous);
    if (!mistake.instead) {
      const solution = await runSolution(driver, sandbox.id, lab, step);
      if (!checkPassed(solution)) throw new AppError('solution_failed', `the solution of ${step.id} failed before the mistake was applied`);
    }
    await applyWorkspacePatch(driver, sandbox.id, lab, mistake);
    if (mistake.run) {
      const r = await runLabScript(driver, sandbox.id, mistake.run, { timeoutMs: step.solutionTimeoutMs, env: { LAB_STEP: step.id } });
      if (r.timedOut) throw new AppError('mistake_failed', `the mistake's run script timed out after ${step.solutionTimeoutMs / 1000} s`);
    }
    const raw = await runLabScript(driver, sandbox.id, step.check, { timeoutMs: step.checkTimeoutMs, env: { LAB_STEP: step.id } });
    const { reason, stdout } = splitReason(raw.stdout);
    const r = { ...raw, stdout };
    const message = checkMessage(r, step.checkTimeoutMs);
    const problem = judgeMistake(mistake, checkPassed(r), message, reason);
    return { ...base, ok: !problem, message, reason, problem, seconds: (Date.now() - started) / 1000 };
  } catch (err) {
    const e = err as AppError;
    const details = e.options?.details?.length ? `: ${e.options.details.join(' | ')}` : '';
    return { ...base, ok: false, message: '', problem: `${e.message}${details}`, seconds: (Date.now() - started) / 1000 };
  } finally {
    await driver.destroy(sandbox.id).catch(() => undefined);
  }
}
