// The lab self-test (npm run lab -- test): in a fresh sandbox, for each step in order, the check must fail, the
// reference solution must succeed, and then the check must pass. Proves every check against its solution.
import type { Lab } from '../labs/schema';
import { runLabSetup } from '../labs/setup';
import { runLabScript } from '../sandbox/lab-exec';
import type { SandboxDriver } from '../sandbox/types';
import { checkMessage, checkPassed } from './check-message';

export interface StepTestResult {
  step: string;
  title: string;
  failedBefore: boolean;
  solutionOk: boolean;
  passedAfter: boolean;
  /** The check's message before and after the solution, the solution's output tail when it failed. */
  messageBefore: string;
  messageAfter: string;
  solutionOutput?: string;
  seconds: number;
}

export interface LabTestResult {
  lab: string;
  ok: boolean;
  setupError?: string;
  steps: StepTestResult[];
  seconds: number;
}

export const stepOk = (r: StepTestResult) => r.failedBefore && r.solutionOk && r.passedAfter;

export async function selfTestLab(
  driver: SandboxDriver,
  lab: Lab,
  opts: { owner: string; onStep?: (r: StepTestResult) => void; keep?: boolean; onSandbox?: (id: string) => void },
): Promise<LabTestResult> {
  const started = Date.now();
  const sandbox = await driver.create({ owner: opts.owner, lab: lab.slug, purpose: 'cli' });
  opts.onSandbox?.(sandbox.id);
  const steps: StepTestResult[] = [];
  try {
    try {
      await runLabSetup(driver, sandbox.id, lab);
    } catch (err) {
      const details = (err as { options?: { details?: string[] } }).options?.details ?? [];
      return { lab: lab.slug, ok: false, setupError: [(err as Error).message, ...details].join('\n'), steps, seconds: (Date.now() - started) / 1000 };
    }
    for (const step of lab.steps) {
      const t0 = Date.now();
      const env = { LAB_STEP: step.id };
      const before = await runLabScript(driver, sandbox.id, step.check, { timeoutMs: step.checkTimeoutMs, env });
      const solution = await runLabScript(driver, sandbox.id, step.solution, { timeoutMs: step.solutionTimeoutMs, env });
      const after = await runLabScript(driver, sandbox.id, step.check, { timeoutMs: step.checkTimeoutMs, env });
      const solutionOk = checkPassed(solution);
      const r: StepTestResult = {
        step: step.id,
        title: step.title,
        failedBefore: before.exitCode !== 0,
        solutionOk,
        passedAfter: checkPassed(after),
        messageBefore: checkMessage(before, step.checkTimeoutMs),
        messageAfter: checkMessage(after, step.checkTimeoutMs),
        solutionOutput: solutionOk ? undefined : `${solution.stdout}\n${solution.stderr}`.trim().split('\n').slice(-15).join('\n'),
        seconds: (Date.now() - t0) / 1000,
      };
      steps.push(r);
      opts.onStep?.(r);
      // A step whose solution failed leaves the sandbox in a state the next steps do not expect.
      if (!solutionOk) break;
    }
    const ok = steps.length === lab.steps.length && steps.every(stepOk);
    return { lab: lab.slug, ok, steps, seconds: (Date.now() - started) / 1000 };
  } finally {
    if (!opts.keep) await driver.destroy(sandbox.id);
  }
}
