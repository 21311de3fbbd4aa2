// What a learner reads after a check: the last line it printed, or why it could not say.
import { stripColours } from '../ansi';
import type { ExecResult } from '../sandbox/types';

/** The last non-empty line of `text`, without colour codes. */
export function lastLine(text: string): string | undefined {
  const lines = stripColours(text).split('\n').map((l) => l.trim()).filter(Boolean);
  return lines.at(-1);
}

/** The check's message: its last stdout line, else its last stderr line, else what its exit status means. */
export function checkMessage(r: ExecResult, timeoutMs: number): string {
  if (r.timedOut) return `The check took longer than ${Math.round(timeoutMs / 1000)} s and was stopped.`;
  return (
    lastLine(r.stdout) ??
    lastLine(r.stderr) ??
    (r.exitCode === 0 ? 'Done.' : `Not done yet (the check exited with status ${r.exitCode}).`)
  );
}

export const checkPassed = (r: ExecResult) => r.exitCode === 0 && !r.timedOut;
