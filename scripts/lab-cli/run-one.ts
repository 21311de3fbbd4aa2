// npm run lab -- check|solve <slug> <step> [--sandbox ID]: one step's check or reference solution, in a kept sandbox
// (or a fresh one brought to that step by the solutions of the steps before it, then kept), with everything a check
// author wants to see: the output, the exit status, the time, the reason code, the message learners would read.
import { checkMessage, checkPassed } from '../../lib/checks/check-message';
import { splitReason } from '../../lib/checks/reason';
import type { Lab, Step } from '../../lib/labs/schema';
import { applySolutions, runLabSetup, runSolution, SETUP_OUTPUT_LIMIT } from '../../lib/labs/setup';
import { runLabScript } from '../../lib/sandbox/lab-exec';
import type { SandboxDriver } from '../../lib/sandbox/types';

export function findStep(lab: Lab, id: string): Step {
  const step = lab.steps.find((s) => s.id === id || s.id.startsWith(`${id}-`));
  if (!step) throw new Error(`${lab.slug} has no step ${id} (steps: ${lab.steps.map((s) => s.id).join(', ')})`);
  return step;
}

/** The sandbox to use: the one given (it must be this CLI's and this lab's), or a fresh one brought to `step`. */
export async function sandboxAt(driver: SandboxDriver, lab: Lab, step: Step, given: string | undefined, log: (l: string) => void): Promise<string> {
  if (given) {
    const s = await driver.inspect(given);
    if (!s?.running) throw new Error(`no running sandbox ${given} of the lab CLI (npm run lab -- check prints the id of the one it keeps)`);
    if (s.lab !== lab.slug) throw new Error(`sandbox ${given} was made for ${s.lab}, not ${lab.slug}`);
    return given;
  }
  const s = await driver.create({ owner: 'lab-cli', lab: lab.slug, purpose: 'cli' });
  log(`sandbox ${s.id}: setting up ${lab.slug}, then the solutions of the steps before ${step.id}`);
  await runLabSetup(driver, s.id, lab);
  await applySolutions(driver, s.id, lab, lab.steps[step.index - 1]?.id, (id) => log(`  applied the solution of ${id}`));
  return s.id;
}

export async function runOne(driver: SandboxDriver, sandboxId: string, lab: Lab, step: Step, what: 'check' | 'solve', log: (l: string) => void): Promise<boolean> {
  const timeoutMs = what === 'check' ? step.checkTimeoutMs : step.solutionTimeoutMs;
  const raw = what === 'check'
    ? await runLabScript(driver, sandboxId, step.check, { timeoutMs, env: { LAB_STEP: step.id } })
    : await runSolution(driver, sandboxId, lab, step, { outputLimit: SETUP_OUTPUT_LIMIT });
  const { reason, stdout } = splitReason(raw.stdout);
  const r = { ...raw, stdout };
  const ok = checkPassed(r);
  if (stdout.trim()) log(`stdout:\n${stdout.trimEnd().replace(/^/gm, '  | ')}`);
  if (r.stderr.trim()) log(`stderr:\n${r.stderr.trimEnd().replace(/^/gm, '  | ')}`);
  const status = r.timedOut ? `timed out after ${timeoutMs / 1000} s (${what === 'check' ? 'checkTimeout' : 'solutionTimeout'})` : `exit ${r.exitCode}`;
  log(`${step.id} ${what === 'check' ? 'check' : 'solution'}: ${ok ? 'passes' : 'fails'} (${status}, ${(r.durationMs / 1000).toFixed(2)} s${reason ? `, reason ${reason}` : ''})`);
  if (what === 'check') {
    log(`the learner reads: "${checkMessage(r, timeoutMs)}"`);
    if (r.durationMs > step.checkBudget.seconds * 1000) log(`warning: over the check's budget of ${step.checkBudget.seconds} s (checks run after every learner command)`);
  }
  return ok;
}
