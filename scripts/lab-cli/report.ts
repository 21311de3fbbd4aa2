// How lab test reports a lab: a table per step (each check's verdicts and time, the mistakes caught, the messages
// learners read before and after the solution), then every problem in words.
import type { CheckRun, LabTestResult, StepTestResult } from '../../lib/checks/self-test';
import { formatPhases, sumPhases } from '../../lib/checks/timings';

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

const secs = (ms: number) => `${(ms / 1000).toFixed(1)} s`;

/** Where the lab's test spent its time (lab test --timings): the in-order pass, the checks from the start, the mistakes. */
export function printTimings(result: LabTestResult, print = console.log): void {
  const { inOrder, fromStart, mistakesMs } = result.timings;
  const total = (phases: { ms: number }[]) => phases.reduce((a, p) => a + p.ms, 0);
  print(`\ntimings of ${result.lab} (wall ${result.seconds.toFixed(1)} s):`);
  print(`  in-order pass ${secs(total(inOrder))}: ${formatPhases(inOrder)}`);
  print(`  checks from the start (a sandbox of their own) ${secs(total(fromStart))}: ${formatPhases(fromStart)}`);
  const mistakes = result.steps.flatMap((s) => s.mistakes);
  if (!mistakes.length) return;
  const sandboxS = mistakes.reduce((a, m) => a + m.seconds, 0);
  const cpuS = mistakes.reduce((a, m) => a + (m.cpuSeconds ?? 0), 0);
  print(`  ${mistakes.length} mistakes: done ${secs(mistakesMs)} after the lab's test began; ${sandboxS.toFixed(1)} s of sandbox time, ${cpuS.toFixed(1)} s of CPU in the sandboxes`);
  print(`  mistakes by phase (summed): ${formatPhases(sumPhases(mistakes.map((m) => m.phases)))}`);
  for (const step of result.steps.filter((s) => s.mistakes.length)) {
    const avg = step.mistakes.reduce((a, m) => a + m.seconds, 0) / step.mistakes.length;
    print(`  ${step.step}: ${step.mistakes.length} mistakes, ${avg.toFixed(1)} s each on average: ${formatPhases(sumPhases(step.mistakes.map((m) => m.phases)).map((p) => ({ ...p, ms: p.ms / step.mistakes.length })))}`);
  }
}
