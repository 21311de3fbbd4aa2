// A lab's setup script, run once in every new sandbox for the lab before the learner gets it.
import { runScript } from '../checks/runner';
import { AppError } from '../errors';
import type { SandboxDriver } from '../sandbox/types';
import type { Lab } from './schema';

export async function runLabSetup(driver: SandboxDriver, sandboxId: string, lab: Lab): Promise<void> {
  if (lab.meta.workspace && lab.workspaceFiles.length) {
    await driver.copyIn(sandboxId, lab.meta.workspace.to, lab.workspaceFiles);
  }
  if (!lab.setupScript) return;
  const r = await runScript(driver, sandboxId, lab.setupScript, { timeoutMs: lab.meta.setupTimeout * 1000 });
  if (r.exitCode === 0 && !r.timedOut) return;
  const tail = `${r.stdout}\n${r.stderr}`.trim().split('\n').slice(-20);
  throw new AppError('lab_setup_failed', `Setting up "${lab.meta.title}" in your sandbox failed.`, {
    status: 500,
    details: [r.timedOut ? `setup took longer than ${lab.meta.setupTimeout} s` : `setup exited with status ${r.exitCode}`, ...tail],
    hint: 'Try "Reset lab". If it fails again, tell your instructor: the lab or this host needs a fix (`npm run lab -- test` shows it).',
  });
}
