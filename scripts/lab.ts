// npm run lab -- <command>: the lab authoring CLI.
//   validate [slug...]        check lab files (schema, steps, checks, solutions, cross-references; every script through
//                             bash -n and ShellCheck); problems with file:line
//   test <slug...> | --all    self-test in fresh sandboxes: each check fails from the start and before its solution,
//                             passes after it within its time budget, and fails for each of the step's mistakes
//        [--keep]             keep the sandbox afterwards (prints how to get a shell in it)
//        [--no-mistakes]      skip the mistakes (quicker, while writing a step)
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { loadConfig } from '../lib/config';
import { formatProblem, loadLabs } from '../lib/labs/loader';
import { labScripts, lintLabScripts } from '../lib/labs/script-lint';
import type { Lab } from '../lib/labs/schema';
import { selfTestLab, stepOk, type CheckRun, type LabTestResult } from '../lib/checks/self-test';
import { connectSandboxEngine } from '../lib/sandbox/engine';

const USAGE = `usage: npm run lab -- validate [slug...]
       npm run lab -- test <slug...> | --all [--keep] [--no-mistakes]`;

/** A check run as the table shows it. */
function verdict(c: CheckRun | undefined, want: 'fail' | 'pass'): string {
  if (!c) return '-';
  if (c.timedOut) return 'TIMED OUT';
  if (want === 'fail') return c.passed ? 'PASSES (should fail)' : 'fails';
  return c.passed ? 'passes' : 'FAILS (should pass)';
}

function printTable(result: LabTestResult) {
  const rows = result.steps.map((s) => {
    const slowest = Math.max(s.before.ms, s.after?.ms ?? 0, s.fromStart?.ms ?? 0);
    const mistakes = s.mistakes.length ? `${s.mistakes.filter((m) => m.ok).length}/${s.mistakes.length}` : '-';
    return [
      s.step,
      verdict(s.fromStart, 'fail'),
      verdict(s.before, 'fail'),
      s.solutionOk ? 'ok' : s.solutionTimedOut ? 'TIMED OUT' : 'FAIL',
      verdict(s.after, 'pass'),
      `${(slowest / 1000).toFixed(1)} s${s.overBudget ? ` OVER ${s.budget.seconds} s` : ''}`,
      mistakes,
      (s.after?.passed ? s.after.message : s.before.message).slice(0, 110),
    ];
  });
  const header = ['step', 'from start', 'check before', 'solution', 'check after', 'check time', 'mistakes caught', 'message'];
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i]!.length)));
  const line = (cells: string[]) => `| ${cells.map((c, i) => c.padEnd(widths[i]!)).join(' | ')} |`;
  console.log(line(header));
  console.log(`|${widths.map((w) => '-'.repeat(w + 2)).join('|')}|`);
  for (const r of rows) console.log(line(r));
}

/** What each failing row means, in words, with the messages learners would read. */
function printProblems(result: LabTestResult) {
  for (const s of result.steps) {
    if (s.fromStart?.passed) console.log(`\n${s.step}: its check passes in the lab's initial state (the step would tick by itself): "${s.fromStart.message}"`);
    if (s.before.passed) console.log(`\n${s.step}: its check passes before its solution: "${s.before.message}"`);
    for (const c of [s.fromStart, s.before, s.after]) {
      if (c?.timedOut) console.log(`\n${s.step}: its check timed out (checkTimeout): a learner would wait that long after every command`);
    }
    if (s.overBudget) console.log(`\n${s.step}: its check took longer than its budget of ${s.budget.seconds} s (it runs after every learner command; give checkBudget with a reason if it must)`);
    if (!s.solutionOk) console.log(`\nsolution of ${s.step} ${s.solutionTimedOut ? 'timed out (solutionTimeout)' : 'failed'}:\n${s.solutionOutput?.replace(/^/gm, '    ')}`);
    if (s.after && !s.after.passed) console.log(`\n${s.step}: its check fails after the solution: "${s.after.message}"`);
    for (const m of s.mistakes.filter((x) => !x.ok)) {
      console.log(`\n${s.step}, mistake ${m.name} (${m.what}): ${m.problem}${m.message ? `\n    the check said: "${m.message}"` : ''}`);
    }
  }
}

async function main() {
  const [command, ...rest] = process.argv.slice(2);
  const flags = new Set(rest.filter((a) => a.startsWith('--')));
  const slugs = rest.filter((a) => !a.startsWith('--'));
  const config = loadConfig();
  const { labs, problems } = await loadLabs(config.labsDir);

  if (command === 'validate') {
    const wanted = (p: { slug: string }) => slugs.length === 0 || slugs.includes(p.slug);
    const mine = problems.filter(wanted);
    for (const slug of slugs) {
      if (!labs.some((l) => l.slug === slug) && !problems.some((p) => p.slug === slug)) mine.push({ slug, file: '', message: 'no such lab' });
    }
    const checked = labs.filter(wanted);
    // Deep: every script through bash -n and ShellCheck.
    for (const lab of checked) {
      const sources = new Map(await Promise.all(lab.steps.map(async (s) => [s.id, await readFile(path.join(lab.dir, 'steps', `${s.id}.md`), 'utf8')] as const)));
      mine.push(...(await lintLabScripts(lab, labScripts(lab, sources))));
    }
    for (const p of mine) console.log(formatProblem(p));
    const broken = new Set(mine.map((p) => p.slug));
    console.log(`${checked.filter((l) => !broken.has(l.slug)).length} lab(s) valid${broken.size ? `, ${broken.size} with problems` : ''}`);
    process.exit(mine.length ? 1 : 0);
  }

  if (command === 'test') {
    const targets: Lab[] = flags.has('--all') ? labs : labs.filter((l) => slugs.includes(l.slug));
    const broken = problems.filter((p) => flags.has('--all') || slugs.includes(p.slug));
    for (const p of broken) console.log(formatProblem(p));
    const unknown = slugs.filter((s) => !labs.some((l) => l.slug === s) && !problems.some((p) => p.slug === s));
    if (unknown.length) console.log(`no such lab: ${unknown.join(', ')}`);
    if (targets.length === 0 && !broken.length) {
      console.error(USAGE);
      process.exit(2);
    }
    const { driver } = await connectSandboxEngine(config);
    let failed = broken.length + unknown.length > 0;
    for (const lab of targets) {
      console.log(`\n${lab.slug}: ${lab.meta.title} (${lab.steps.length} steps)`);
      const result = await selfTestLab(driver, lab, {
        owner: 'lab-test',
        keep: flags.has('--keep'),
        mistakes: !flags.has('--no-mistakes'),
        onSandbox: (id) => flags.has('--keep') && console.log(`  sandbox ${id}: docker exec -it ${id} lab-shell`),
        onStep: (s) => console.log(`  ${stepOk({ ...s, mistakes: [] }) ? 'ok  ' : 'FAIL'} ${s.step} (${s.seconds.toFixed(1)} s)`),
        onMistake: (m) => console.log(`  ${m.ok ? 'ok  ' : 'FAIL'} ${m.step} mistake ${m.name} (${m.seconds.toFixed(1)} s)`),
      });
      if (result.setupError) console.log(`  setup failed:\n${result.setupError.replace(/^/gm, '    ')}`);
      console.log('');
      printTable(result);
      printProblems(result);
      if (result.steps.length < lab.steps.length && !result.setupError) {
        console.log(`\nstopped after ${result.steps.length} of ${lab.steps.length} steps`);
      }
      console.log(`\n${lab.slug}: ${result.ok ? 'PASS' : 'FAIL'} in ${result.seconds.toFixed(1)} s`);
      failed ||= !result.ok;
    }
    process.exit(failed ? 1 : 0);
  }

  console.error(USAGE);
  process.exit(2);
}

main().catch((err) => {
  console.error(err instanceof Error ? err.message : err);
  process.exit(1);
});
