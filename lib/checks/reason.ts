// The machine-readable side of a check's output: a line "::reason CODE" (printed by `fail CODE "..."` in the
// sandbox's check.sh) names why the check failed, so the page can offer the hint that answers it. The line is not
// part of the message the learner reads.

const REASON_LINE = /^::reason ([a-z][a-z0-9-]{0,39})\s*$/;

/** The reason code the output names (the last one, if several), and the output without those lines. */
export function splitReason(stdout: string): { reason?: string; stdout: string } {
  let reason: string | undefined;
  const kept: string[] = [];
  for (const line of stdout.split('\n')) {
    const m = REASON_LINE.exec(line.trim());
    if (m) reason = m[1];
    else kept.push(line);
  }
  return { reason, stdout: kept.join('\n') };
}
