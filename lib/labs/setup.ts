// A lab's setup script, run once in every new sandbox for the lab before the learner gets it.
import { AppError } from '../errors';
import { runLabScript } from '../sandbox/lab-exec';
import type { SandboxDriver } from '../sandbox/types';
import type { Lab } from './schema';

export async function runLabSetup(driver: SandboxDriver, sandboxId: string, lab: Lab): Promise<void> {
  if (lab.meta.workspace && lab.workspaceFiles.length) {
    await driver.copyIn(sandboxId, lab.meta.workspace.to, lab.workspaceFiles);
  }
  if (!lab.setupScript) return;
  const r = await runLabScript(driver, sandboxId, lab.setupScript, { timeoutMs: lab.meta.setupTimeout * 1000 });
  if (r.exitCode === 0 && !r.timedOut) return;
  const tail = `${r.stdout}\n${r.stderr}`.trim().split('\n').slice(-20);
  throw new AppError('lab_setup_failed', `Setting up "${lab.meta.title}" in your sandbox failed.`, {
    status: 500,
    details: [r.timedOut ? `setup took longer than ${lab.meta.setupTimeout} s` : `setup exited with status ${r.exitCode}`, ...tail],
    hint: 'Try "Reset lab". If it fails again, tell your instructor: the lab or this host needs a fix (`npm run lab -- test` shows it).',
  });
}

/**
 * Brings a set-up sandbox to the end of step `through` by running the reference solutions of every step up to it,
 * in order (the benchmark's starting state); no step: nothing to run. Throws on the first solution that fails.
 */
export async function applySolutions(
  driver: SandboxDriver,
  sandboxId: string,
  lab: Lab,
  through: string | undefined,
  onStep?: (stepId: string) => void,
): Promise<void> {
  if (through === undefined) return;
  const upTo = lab.steps.findIndex((s) => s.id === through);
  if (upTo < 0) throw new AppError('step_not_found', `The lab "${lab.meta.title}" has no step "${through}".`, { status: 404 });
  for (const step of lab.steps.slice(0, upTo + 1)) {
    const r = await runLabScript(driver, sandboxId, step.solution, { timeoutMs: step.solutionTimeoutMs, env: { LAB_STEP: step.id } });
    if (r.exitCode !== 0 || r.timedOut) {
      const said = `${r.stdout}\n${r.stderr}`.trim().split('\n').slice(-5);
      throw new AppError('solution_failed', `The reference solution of ${step.id} failed${r.timedOut ? ' (timed out)' : ` (exit ${r.exitCode})`}.`, {
        status: 500,
        details: said,
      });
    }
    onStep?.(step.id);
  }
}
