// Running a lab script in a sandbox: checks, reference solutions, lab setup, editor commands, benchmarks. The script
// goes in on stdin and runs under lab-exec (bash with the lab environment: LAB_CGROUP, LAB_PROXY, the tools on PATH),
// so nothing the learner can edit is involved in how it starts.
import type { ExecResult, SandboxDriver } from './types';

export const LAB_EXEC = '/opt/ebpf-labs/bin/lab-exec';
/**
 * Output a lab script may print unless its caller says otherwise: what a check needs (its last line is the message;
 * the checks print a few hundred bytes) and a benchmark sample (iperf3's JSON report of a 30 s run: 20 KB), with room
 * to spare. Setup, solutions and editor commands ask for more. Past it the script is stopped and killed.
 */
export const LAB_SCRIPT_OUTPUT_LIMIT = 64 * 1024;

export interface LabScriptOptions {
  /** Milliseconds; the script and everything it started are killed when it expires. */
  timeoutMs: number;
  /** Bytes of stdout and stderr together (default LAB_SCRIPT_OUTPUT_LIMIT); past it the script is killed (`overflow`). */
  outputLimit?: number;
  /** Extra environment, e.g. LAB_STEP for checks. */
  env?: Record<string, string>;
}

/** Runs a lab script in the sandbox with this id. */
export type LabScriptRunner = (sandboxId: string, script: string, opts: LabScriptOptions) => Promise<ExecResult>;

export function runLabScript(driver: SandboxDriver, sandboxId: string, script: string, opts: LabScriptOptions): Promise<ExecResult> {
  return driver.exec(sandboxId, [LAB_EXEC], {
    stdin: script,
    timeoutMs: opts.timeoutMs,
    env: opts.env,
    outputLimit: opts.outputLimit ?? LAB_SCRIPT_OUTPUT_LIMIT,
  });
}

/** A runner on a driver that may only exist later (the engine is probed after the wiring is built). */
export function labScriptRunner(driver: () => Promise<SandboxDriver>): LabScriptRunner {
  return async (sandboxId, script, opts) => runLabScript(await driver(), sandboxId, script, opts);
}
