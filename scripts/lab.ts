// npm run lab -- <command>: the lab authoring CLI.
//   new <slug>                     scaffold a lab that passes validate and test at once
//   validate [slug...]             check lab files (schema, steps, checks, solutions, cross-references; every script
//                                  through bash -n and ShellCheck); problems with file:line
//   test <slug...> | --all         self-test in fresh sandboxes: each check fails from the start and before its
//                                  solution, passes after it within its time budget, and fails for each of the
//                                  step's mistakes
//        [--from NN] [--only NN]   start at step NN (the steps before are solved for you), or test only NN
//        [--no-mistakes]           skip the mistakes (quicker, while writing a step)
//        [--watch]                 then re-run the steps whose files change
//        [--keep]                  keep the sandbox afterwards (prints how to use and remove it)
//        [--timings]               where the time went: per phase of the in-order pass and of each mistake
//        [--concurrency N]         sandboxes at once, shared by the labs (default SELF_TEST_CONCURRENCY)
//   check <slug> <step> [--sandbox ID]   one step's check; without a sandbox, a fresh one brought to the step (kept)
//   solve <slug> <step> [--sandbox ID]   one step's reference solution, likewise
//   rm <sandbox...>                remove sandboxes the CLI kept
import { watch } from 'node:fs';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { SandboxSlots } from '../lib/checks/sandbox-slots';
import { SELF_TEST_CONCURRENCY, selfTestLab, stepOk, type LabTestResult } from '../lib/checks/self-test';
import { loadConfig, type Config } from '../lib/config';
import { formatProblem, loadLab, loadLabs } from '../lib/labs/loader';
import type { Lab } from '../lib/labs/schema';
import { labScripts, lintLabScripts } from '../lib/labs/script-lint';
import { connectSandboxEngine } from '../lib/sandbox/engine';
import type { SandboxDriver } from '../lib/sandbox/types';
import { formatPhases } from '../lib/checks/timings';
import { printProblems, printTable, printTimings } from './lab-cli/report';
import { findStep, runOne, sandboxAt } from './lab-cli/run-one';
import { nextSteps, scaffoldLab } from './lab-cli/scaffold';
import { trackSandboxes } from './lab-cli/tracked-sandboxes';

const USAGE = `usage: npm run lab -- new <slug>
       npm run lab -- validate [slug...]
       npm run lab -- test <slug...> | --all [--from NN | --only NN] [--no-mistakes] [--watch] [--keep] [--timings] [--concurrency N]
       npm run lab -- check <slug> <step> [--sandbox ID]
       npm run lab -- solve <slug> <step> [--sandbox ID]
       npm run lab -- rm <sandbox...>`;

/** The CLI's sandboxes carry an instance of their own: a server starting on the engine never adopts or removes them. */
function cliConfig(): Config {
  const base = loadConfig();
  return loadConfig({ ...process.env, EBPF_LABS_INSTANCE: `${base.instance}-cli`.slice(0, 32) });
}

const removal = (id: string) => `npm run lab -- rm ${id}`;

async function validate(config: Config, slugs: string[]): Promise<number> {
  const { labs, problems } = await loadLabs(config.labsDir);
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
  return mine.length ? 1 : 0;
}

/** A live line on a terminal (overwritten as the test moves on); nothing in a log. */
function liveLine(): { show(text: string): void; clear(): void } {
  if (!process.stdout.isTTY) return { show: () => undefined, clear: () => undefined };
  return {
    show: (text) => process.stdout.write(`\r\x1b[2K  … ${text.slice(0, (process.stdout.columns ?? 100) - 6)}`),
    clear: () => process.stdout.write('\r\x1b[2K'),
  };
}

interface TestLabOptions {
  from?: string;
  only?: string;
  mistakes: boolean;
  keep: boolean;
  timings?: boolean;
  /** Sandbox slots, shared by the labs tested side by side (their progress lines then name their lab). */
  slots?: SandboxSlots;
  walkLane?: SandboxSlots;
  sideBySide?: boolean;
}

async function testLab(driver: SandboxDriver, lab: Lab, opts: TestLabOptions): Promise<LabTestResult> {
  const live = liveLine();
  const tag = opts.sideBySide ? `${lab.slug} ` : '';
  const say = (line: string) => {
    live.clear();
    console.log(line);
  };
  if (!opts.sideBySide) console.log(`\n${lab.slug}: ${lab.meta.title} (${lab.steps.length} steps)`);
  const result = await selfTestLab(driver, lab, {
    owner: 'lab-test',
    from: opts.from,
    only: opts.only,
    keep: opts.keep,
    mistakes: opts.mistakes,
    slots: opts.slots,
    walkLane: opts.walkLane,
    onPhase: (step, phase) => live.show(`${tag}${step}: ${phase}`),
    onSandbox: (id) => opts.keep && say(`  sandbox ${id} is kept: docker exec -it ${id} lab-shell, npm run lab -- check ${lab.slug} <step> --sandbox ${id}; remove it with ${removal(id)}`),
    onStep: (s) => say(`  ${stepOk({ ...s, mistakes: [] }) ? 'ok  ' : 'FAIL'} ${tag}${s.step} (${s.seconds.toFixed(1)} s)`),
    onMistake: (m) => say(`  ${m.ok ? 'ok  ' : 'FAIL'} ${tag}${m.step} mistake ${m.name} (${m.seconds.toFixed(1)} s${opts.timings ? `: ${formatPhases(m.phases)}` : ''})`),
  });
  live.clear();
  if (opts.sideBySide) console.log(`\n${lab.slug}: ${lab.meta.title} (${lab.steps.length} steps)`);
  if (result.setupError) console.log(`  setup failed:\n${result.setupError.replace(/^/gm, '    ')}`);
  console.log('');
  printTable(result);
  printProblems(result, (id) => {
    const step = lab.steps.find((s) => s.id === id)!;
    return { check: step.checkTimeoutMs / 1000, solution: step.solutionTimeoutMs / 1000 };
  });
  const expected = opts.only ? 1 : opts.from ? result.steps.length : lab.steps.length;
  if (result.steps.length < expected && !result.setupError) console.log(`\nstopped after ${result.steps.length} of ${expected} steps`);
  if (opts.timings) printTimings(result);
  console.log(`\n${lab.slug}: ${result.ok ? 'PASS' : 'FAIL'} in ${result.seconds.toFixed(1)} s`);
  return result;
}

const mistakeCount = (lab: Lab) => lab.steps.reduce((n, s) => n + s.mistakes.length, 0);

/** The steps a changed file belongs to: steps/NN-x.md, checks/NN-x.sh, solutions/NN-x.sh, mistakes/NN-x/...; all for the rest. */
function stepsOf(lab: Lab, files: Set<string>): string[] | 'all' {
  const ids = new Set<string>();
  for (const f of files) {
    const m = /^(steps|checks|solutions|mistakes)\/(\d{2}-[a-z0-9-]+)/.exec(f);
    if (!m) return 'all';
    ids.add(m[2]!.replace(/\.(md|sh)$/, ''));
  }
  return lab.steps.filter((s) => ids.has(s.id)).map((s) => s.id);
}

/** Re-runs the steps whose files change (each in a fresh sandbox brought to it), until Ctrl+C. */
async function watchLab(config: Config, driver: SandboxDriver, slug: string, mistakes: boolean): Promise<never> {
  console.log(`\nwatching labs/${slug}/ (Ctrl+C to stop): a changed step is tested again`);
  const changed = new Set<string>();
  let timer: ReturnType<typeof setTimeout> | undefined;
  let running = false;
  const rerun = async () => {
    if (running) return void (timer = setTimeout(() => void rerun(), 500));
    running = true;
    const files = new Set(changed);
    changed.clear();
    try {
      const { lab, problems } = await loadLab(config.labsDir, slug);
      for (const p of problems) console.log(formatProblem(p));
      if (!lab) return;
      const which = stepsOf(lab, files);
      console.log(`\nchanged: ${[...files].join(', ')}`);
      if (which === 'all') await testLab(driver, lab, { mistakes, keep: false });
      else for (const id of which) await testLab(driver, lab, { only: id, mistakes, keep: false });
    } catch (err) {
      console.log((err as Error).message);
    } finally {
      running = false;
    }
  };
  watch(path.join(config.labsDir, slug), { recursive: true }, (_event, file) => {
    if (!file || file.endsWith('~') || file.includes('.swp')) return;
    changed.add(file.split(path.sep).join('/'));
    clearTimeout(timer);
    timer = setTimeout(() => void rerun(), 500);
  });
  return new Promise<never>(() => undefined);
}

async function main() {
  const { positionals, values } = parseArgs({
    allowPositionals: true,
    options: {
      all: { type: 'boolean' },
      keep: { type: 'boolean' },
      'no-mistakes': { type: 'boolean' },
      watch: { type: 'boolean' },
      from: { type: 'string' },
      only: { type: 'string' },
      sandbox: { type: 'string' },
      timings: { type: 'boolean' },
      concurrency: { type: 'string' },
    },
  });
  const [command, ...args] = positionals;
  const config = cliConfig();

  if (command === 'new') {
    const slug = args[0];
    if (!slug) throw new Error(USAGE);
    for (const f of scaffoldLab(config.labsDir, slug)) console.log(`created ${f}`);
    console.log(`\n${nextSteps(slug)}`);
    return 0;
  }

  if (command === 'validate') return validate(config, args);

  if (command === 'rm') {
    const { driver } = await connectSandboxEngine(config);
    for (const id of args) {
      const report = await driver.destroy(id);
      console.log(`removed ${id}${report.problems.length ? ` (problems: ${report.problems.join('; ')})` : ''}`);
    }
    return 0;
  }

  if (command === 'check' || command === 'solve') {
    const [slug, stepId] = args;
    if (!slug || !stepId) throw new Error(USAGE);
    const { lab, problems } = await loadLab(config.labsDir, slug);
    if (!lab) throw new Error(problems.map(formatProblem).join('\n') || `no such lab: ${slug}`);
    const step = findStep(lab, stepId);
    const { driver } = await connectSandboxEngine(config);
    const id = await sandboxAt(driver, lab, step, values.sandbox, console.log);
    const ok = await runOne(driver, id, lab, step, command, console.log);
    if (!values.sandbox) console.log(`\nsandbox ${id} is kept: --sandbox ${id} to use it again, docker exec -it ${id} lab-shell to look around, ${removal(id)} to remove it`);
    return ok ? 0 : 1;
  }

  if (command === 'test') {
    const { labs, problems } = await loadLabs(config.labsDir);
    const targets: Lab[] = values.all ? labs : labs.filter((l) => args.includes(l.slug));
    const broken = problems.filter((p) => values.all || args.includes(p.slug));
    for (const p of broken) console.log(formatProblem(p));
    const unknown = args.filter((s) => !labs.some((l) => l.slug === s) && !problems.some((p) => p.slug === s));
    if (unknown.length) console.log(`no such lab: ${unknown.join(', ')}`);
    if (targets.length === 0 && !broken.length) throw new Error(USAGE);
    if ((values.from || values.only || values.watch) && targets.length !== 1) throw new Error('--from, --only and --watch take one lab');
    const { driver: engine } = await connectSandboxEngine(config);
    const { driver, removeAll } = trackSandboxes(engine);
    for (const signal of ['SIGINT', 'SIGTERM'] as const) {
      process.once(signal, () => {
        console.log(`\n${signal}: removing this run's sandboxes`);
        void removeAll().then((n) => {
          console.log(`removed ${n}`);
          process.exit(130);
        });
      });
    }
    let failed = broken.length + unknown.length > 0;
    const concurrency = values.concurrency === undefined ? SELF_TEST_CONCURRENCY : Number(values.concurrency);
    const slots = new SandboxSlots(concurrency);
    // Side by side, the labs with the most mistakes first: their sandboxes start first and the run ends on short ones.
    const sideBySide = targets.length > 1;
    const walkLane = new SandboxSlots(1);
    const byWork = [...targets].sort((a, b) => mistakeCount(b) - mistakeCount(a));
    const started = Date.now();
    if (sideBySide) console.log(`\ntesting ${targets.map((l) => l.slug).join(', ')} side by side, ${concurrency} sandboxes at a time`);
    const results = await Promise.all(
      byWork.map((lab) => testLab(driver, lab, { from: values.from, only: values.only, mistakes: !values['no-mistakes'], keep: !!values.keep, timings: !!values.timings, slots, walkLane, sideBySide })),
    );
    failed ||= results.some((r) => !r.ok);
    if (sideBySide) console.log(`\n${results.filter((r) => r.ok).length} of ${results.length} labs pass, in ${((Date.now() - started) / 1000).toFixed(1)} s`);
    if (values.watch) await watchLab(config, driver, targets[0]!.slug, !values['no-mistakes']);
    return failed ? 1 : 0;
  }

  throw new Error(USAGE);
}

main().then(
  (code) => process.exit(code),
  (err) => {
    console.error(err instanceof Error ? err.message : err);
    process.exit(err instanceof Error && err.message === USAGE ? 2 : 1);
  },
);
