// A lab's setup script, run once in every new sandbox for the lab before the learner gets it.
import { AppError } from '../errors';
import { runLabScript, type LabScriptOptions } from '../sandbox/lab-exec';
import { formatBytes } from '../sandbox/output-limits';
import type { ExecResult, SandboxDriver } from '../sandbox/types';
import type { Lab, Step } from './schema';
import { SOLUTION_FILES_DIR } from './solution-files';

/**
 * Output a lab's setup or a reference solution may print: they bring pods up, compile and load programs (a few KiB of
 * output); 1 MiB leaves room for a chatty compiler and still bounds a script that loops. Past it the script is killed.
 */
export const SETUP_OUTPUT_LIMIT = 1024 * 1024;

/** Why a setup or solution script did not finish: timeout, too much output, or its exit status. */
function whyFailed(r: ExecResult, what: string, timeoutS: number): string {
  if (r.overflow) return `${what} printed more than ${formatBytes(r.outputLimit ?? SETUP_OUTPUT_LIMIT)} and was stopped`;
  if (r.timedOut) return `${what} took longer than ${timeoutS} s`;
  return `${what} exited with status ${r.exitCode}`;
}

export async function runLabSetup(driver: SandboxDriver, sandboxId: string, lab: Lab): Promise<void> {
  if (lab.meta.workspace && lab.workspaceFiles.length) {
    await driver.copyIn(sandboxId, lab.meta.workspace.to, lab.workspaceFiles);
  }
  if (!lab.setupScript) return;
  const r = await runLabScript(driver, sandboxId, lab.setupScript, { timeoutMs: lab.meta.setupTimeout * 1000, outputLimit: SETUP_OUTPUT_LIMIT });
  if (r.exitCode === 0 && !r.timedOut && !r.overflow) return;
  const tail = `${r.stdout}\n${r.stderr}`.trim().split('\n').slice(-20).map((l) => l.slice(0, 500));
  throw new AppError('lab_setup_failed', `Setting up "${lab.meta.title}" in your sandbox failed.`, {
    status: 500,
    details: [whyFailed(r, 'setup', lab.meta.setupTimeout), ...tail],
    hint: 'Try "Reset lab". If it fails again, tell your instructor: the lab or this host needs a fix (`npm run lab -- test` shows it).',
  });
}

/** Copies the lab's solutions/files/ to SOLUTION_FILES_DIR in the sandbox (the solution scripts install them from there). */
export async function copySolutionFiles(driver: SandboxDriver, sandboxId: string, lab: Lab): Promise<void> {
  if (lab.solutionFiles.length) await driver.copyIn(sandboxId, SOLUTION_FILES_DIR, lab.solutionFiles);
}

/** Runs a step's reference solution, its lab's solution files in place first. */
export async function runSolution(driver: SandboxDriver, sandboxId: string, lab: Lab, step: Step, opts: Omit<LabScriptOptions, 'env' | 'timeoutMs'> = {}): Promise<ExecResult> {
  await copySolutionFiles(driver, sandboxId, lab);
  return runLabScript(driver, sandboxId, step.solution, { ...opts, timeoutMs: step.solutionTimeoutMs, env: { LAB_STEP: step.id } });
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
    await applySolutionOf(driver, sandboxId, lab, step);
    onStep?.(step.id);
  }
}

/** Runs one step's reference solution on the way to a later step; throws when it fails. */
export async function applySolutionOf(driver: SandboxDriver, sandboxId: string, lab: Lab, step: Step): Promise<void> {
  const r = await runSolution(driver, sandboxId, lab, step, { outputLimit: SETUP_OUTPUT_LIMIT });
  if (r.exitCode !== 0 || r.timedOut || r.overflow) {
    const said = `${r.stdout}\n${r.stderr}`.trim().split('\n').slice(-5).map((l) => l.slice(0, 500));
    throw new AppError('solution_failed', `The reference solution of ${step.id} failed (${whyFailed(r, 'it', step.solutionTimeoutMs / 1000)}).`, {
      status: 500,
      details: said,
    });
  }
}
