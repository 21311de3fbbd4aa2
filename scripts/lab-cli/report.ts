// How lab test reports a lab: a table per step (each check's verdicts and time, the mistakes caught, the messages
// learners read before and after the solution), then every problem in words.
import type { CheckRun, LabTestResult, StepTestResult } from '../../lib/checks/self-test';

/** A check run as the table shows it. */
function verdict(c: CheckRun | undefined, want: 'fail' | 'pass'): string {
  if (!c) return '-';
  if (c.timedOut) return 'TIMED OUT';
  if (want === 'fail') return c.passed ? 'PASSES (should fail)' : 'fails';
  return c.passed ? 'passes' : 'FAILS (should pass)';
}

const cut = (text: string, n: number) => (text.length > n ? `${text.slice(0, n - 1)}…` : text);
const slowest = (s: StepTestResult) => Math.max(s.before.ms, s.after?.ms ?? 0, s.fromStart?.ms ?? 0);

export function printTable(result: LabTestResult, print = console.log): void {
  const rows = result.steps.map((s) => [
    s.step,
    verdict(s.fromStart, 'fail'),
    verdict(s.before, 'fail'),
    s.solutionOk ? 'ok' : s.solutionTimedOut ? 'TIMED OUT' : 'FAIL',
    verdict(s.after, 'pass'),
    `${(slowest(s) / 1000).toFixed(1)} s${s.overBudget ? ` OVER ${s.budget.seconds} s` : ''}`,
    s.mistakes.length ? `${s.mistakes.filter((m) => m.ok).length}/${s.mistakes.length}` : '-',
    cut(s.before.message, 60),
    cut(s.after?.message ?? '', 60),
  ]);
  const header = ['step', 'from start', 'check before', 'solution', 'check after', 'check time', 'mistakes caught', 'message before', 'message after'];
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i]!.length)));
  const line = (cells: string[]) => `| ${cells.map((c, i) => c.padEnd(widths[i]!)).join(' | ')} |`;
  print(line(header));
  print(`|${widths.map((w) => '-'.repeat(w + 2)).join('|')}|`);
  for (const r of rows) print(line(r));
}

/** What each failing row means, in words, with the messages learners would read. */
export function printProblems(result: LabTestResult, timeouts: (step: string) => { check: number; solution: number }, print = console.log): void {
  for (const s of result.steps) {
    const t = timeouts(s.step);
    if (s.fromStart?.passed) print(`\n${s.step}: its check passes in the lab's initial state (the step would tick by itself): "${s.fromStart.message}"`);
    if (s.before.passed) print(`\n${s.step}: its check passes before its solution: "${s.before.message}"`);
    for (const [phase, c] of [['from start', s.fromStart], ['before the solution', s.before], ['after the solution', s.after]] as const) {
      if (c?.timedOut) print(`\n${s.step}: its check timed out after ${t.check} s (checkTimeout) ${phase}: a learner would wait that long after every command`);
    }
    if (s.overBudget) {
      print(`\n${s.step}: its check took ${(slowest(s) / 1000).toFixed(1)} s, over its budget of ${s.budget.seconds} s (it runs after every learner command; give checkBudget with a reason if it must)`);
    }
    if (!s.solutionOk) {
      const why = s.solutionTimedOut ? `timed out after ${t.solution} s (solutionTimeout)` : 'failed';
      print(`\nsolution of ${s.step} ${why}:\n${s.solutionOutput?.replace(/^/gm, '    ') ?? ''}`);
    }
    if (s.after && !s.after.passed) print(`\n${s.step}: its check fails after the solution: "${s.after.message}"`);
    for (const m of s.mistakes.filter((x) => !x.ok)) {
      print(`\n${s.step}, mistake ${m.name} (${m.what}): ${m.problem}${m.message ? `\n    the check said: "${m.message}"` : ''}`);
    }
  }
  for (const m of result.metricsNeverSeen) {
    print(`\nwarning: the datapath counter ${m} never appeared during the run (lab.yaml datapath): its edge or counter would stay empty`);
  }
}
