// What a learner reads after a check: the last line it printed, or why it could not say.
import { stripColours } from '../ansi';
import { LAB_SCRIPT_OUTPUT_LIMIT } from '../sandbox/lab-exec';
import { formatBytes } from '../sandbox/output-limits';
import type { ExecResult } from '../sandbox/types';

/** A check's message is a sentence or two; a longer last line is cut here (it is stored and shown as it is). */
export const MESSAGE_MAX_CHARS = 1000;

/** Control characters other than tab and newline: a check that prints binary garbage shows none of them. */
const CONTROL = /[^\P{Cc}\t\n]/gu;

/** The last non-empty line of `text`, without colour codes or control characters, at most MESSAGE_MAX_CHARS long. */
export function lastLine(text: string): string | undefined {
  const lines = stripColours(text).replace(CONTROL, '').split('\n').map((l) => l.trim()).filter(Boolean);
  const last = lines.at(-1);
  return last && last.length > MESSAGE_MAX_CHARS ? `${last.slice(0, MESSAGE_MAX_CHARS - 3)}...` : last;
}

/**
 * The check's message: its last stdout line, else its last stderr line, else what its exit status means. A check
 * stopped by the server (too slow, too much output) says so instead: its last line is whatever it was cut at.
 */
export function checkMessage(r: ExecResult, timeoutMs: number): string {
  if (r.overflow) return `The check printed more than ${formatBytes(r.outputLimit ?? LAB_SCRIPT_OUTPUT_LIMIT)} and was stopped.`;
  if (r.timedOut) return `The check took longer than ${Math.round(timeoutMs / 1000)} s and was stopped.`;
  return (
    lastLine(r.stdout) ??
    lastLine(r.stderr) ??
    (r.exitCode === 0 ? 'Done.' : `Not done yet (the check exited with status ${r.exitCode}).`)
  );
}

export const checkPassed = (r: ExecResult) => r.exitCode === 0 && !r.timedOut && !r.overflow;
