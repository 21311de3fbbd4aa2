// Running lab scripts in a sandbox: checks (exit 0 = done; the last output line is the learner's message),
// reference solutions, and lab setup. The script goes in on stdin: nothing the learner edits is involved.
import type { ExecResult, SandboxDriver } from '../sandbox/types';

export const LAB_EXEC = '/opt/ebpf-labs/bin/lab-exec';
export const DEFAULT_CHECK_TIMEOUT_MS = 10_000;

export interface ScriptRun extends ExecResult {
  /** What to show the learner: the last line the script printed, or why it failed. */
  message: string;
}

/** The last non-empty line of stdout (or of stderr when stdout has none), without colour codes. */
export function lastLine(text: string): string | undefined {
  // eslint-disable-next-line no-control-regex
  const lines = text.replace(/\x1b\[[0-9;]*m/g, '').split('\n').map((l) => l.trim()).filter(Boolean);
  return lines.at(-1);
}

export function messageOf(r: ExecResult, timeoutMs: number): string {
  if (r.timedOut) return `The check took longer than ${Math.round(timeoutMs / 1000)} s and was stopped.`;
  return (
    lastLine(r.stdout) ??
    lastLine(r.stderr) ??
    (r.exitCode === 0 ? 'Done.' : `Not done yet (the check exited with status ${r.exitCode}).`)
  );
}

export async function runScript(
  driver: SandboxDriver,
  sandboxId: string,
  script: string,
  opts: { timeoutMs: number; env?: Record<string, string> },
): Promise<ScriptRun> {
  const r = await driver.exec(sandboxId, [LAB_EXEC], { stdin: script, timeoutMs: opts.timeoutMs, env: opts.env });
  return { ...r, message: messageOf(r, opts.timeoutMs) };
}
