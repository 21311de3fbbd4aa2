// npm run lab -- <command>: the lab authoring CLI.
//   validate [slug...]        check lab files (schema, steps, checks, solutions); problems with file:line
//   test <slug...> | --all    self-test in fresh sandboxes: each check fails, its solution runs, then it passes
//        [--keep]             keep the sandbox afterwards (prints how to get a shell in it)
import { loadConfig } from '../lib/config';
import { formatProblem, loadLabs } from '../lib/labs/loader';
import type { Lab } from '../lib/labs/schema';
import { selfTestLab, stepOk, type LabTestResult } from '../lib/checks/self-test';
import { connectSandboxEngine } from '../lib/sandbox/engine';

const USAGE = `usage: npm run lab -- validate [slug...]
       npm run lab -- test <slug...> | --all [--keep]`;

const mark = (ok: boolean) => (ok ? 'ok' : 'FAIL');

function printTable(result: LabTestResult) {
  const rows = result.steps.map((s) => [
    s.step,
    s.failedBefore ? 'fails' : 'PASSES (should fail)',
    mark(s.solutionOk),
    s.passedAfter ? 'passes' : 'FAILS (should pass)',
    `${s.seconds.toFixed(1)} s`,
    s.passedAfter ? s.messageAfter : s.messageBefore,
  ]);
  const header = ['step', 'check before', 'solution', 'check after', 'time', 'message'];
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i]!.length)));
  const line = (cells: string[]) => `| ${cells.map((c, i) => c.padEnd(widths[i]!)).join(' | ')} |`;
  console.log(line(header));
  console.log(`|${widths.map((w) => '-'.repeat(w + 2)).join('|')}|`);
  for (const r of rows) console.log(line(r));
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
    for (const p of mine) console.log(formatProblem(p));
    const checked = labs.filter(wanted);
    console.log(`${checked.length} lab(s) valid${mine.length ? `, ${new Set(mine.map((p) => p.slug)).size} with problems` : ''}`);
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
        onSandbox: (id) => flags.has('--keep') && console.log(`  sandbox ${id}: docker exec -it ${id} lab-shell`),
        onStep: (s) => console.log(`  ${stepOk(s) ? 'ok  ' : 'FAIL'} ${s.step} (${s.seconds.toFixed(1)} s)`),
      });
      if (result.setupError) console.log(`  setup failed:\n${result.setupError.replace(/^/gm, '    ')}`);
      console.log('');
      printTable(result);
      for (const s of result.steps.filter((x) => !x.solutionOk)) {
        console.log(`\nsolution of ${s.step} failed:\n${s.solutionOutput?.replace(/^/gm, '    ')}`);
      }
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
