// npm run bench -- --lab <slug> [--reps N] [--sizes 64,1024,...] [--duration S] [--modes the lab's modes, e.g. direct,proxy]
//                  [--unpinned] [--out FILE] [--keep]
// A fresh sandbox, brought to the lab's benchmark state through its solutions, then the benchmark: a markdown table
// (medians with min-max, ratios to direct) on stdout, everything as JSON in FILE.
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { loadConfig } from '../lib/config';
import { formatBenchTable } from '../lib/bench/report';
import { BenchConfigSchema, estimateSeconds, summarizeSamples, type Sample } from '../lib/bench/model';
import { labProfile, modeNames, modeRoles, unknownModes } from '../lib/bench/profile';
import { BenchRunner } from '../lib/bench/runner';
import type { Environment } from '../lib/bench/types';
import { loadLabs } from '../lib/labs/loader';
import { applySolutions, runLabSetup } from '../lib/labs/setup';
import { connectSandboxEngine } from '../lib/sandbox/engine';
import { runLabScript } from '../lib/sandbox/lab-exec';

const USAGE = 'usage: npm run bench -- --lab <slug> [--reps N] [--sizes 64,1024,16384,131072] [--duration S] [--modes ...] [--unpinned] [--out FILE] [--keep]';

async function main() {
  const { values } = parseArgs({
    options: {
      lab: { type: 'string' },
      reps: { type: 'string' },
      sizes: { type: 'string' },
      duration: { type: 'string' },
      modes: { type: 'string' },
      unpinned: { type: 'boolean' },
      out: { type: 'string' },
      keep: { type: 'boolean' },
    },
  });
  if (!values.lab) throw new Error(USAGE);
  const parsed = BenchConfigSchema.safeParse({
    ...(values.reps ? { repetitions: Number(values.reps) } : {}),
    ...(values.sizes ? { sizes: values.sizes.split(',').map(Number) } : {}),
    ...(values.duration ? { durationS: Number(values.duration) } : {}),
    ...(values.modes ? { modes: values.modes.split(',') } : {}),
    pinned: !values.unpinned,
  });
  if (!parsed.success) throw new Error(`${parsed.error.issues.map((i) => `--${String(i.path[0])}: ${i.message}`).join('\n')}\n${USAGE}`);

  const appConfig = loadConfig();
  const { labs, problems } = await loadLabs(appConfig.labsDir);
  const lab = labs.find((l) => l.slug === values.lab);
  if (!lab) {
    const broken = problems.some((p) => p.slug === values.lab);
    throw new Error(`no lab "${String(values.lab)}"${broken ? ' (it has problems: npm run lab -- validate)' : ''}`);
  }
  if (!lab.meta.benchmark) throw new Error(`the lab "${lab.slug}" has no benchmark (lab.yaml: benchmark)`);
  // The lab's own modes (lab.yaml benchmark.modes), all of them unless --modes picks some.
  const profile = labProfile(lab);
  const config = values.modes ? parsed.data : { ...parsed.data, modes: modeNames(profile) };
  const unknown = unknownModes(config.modes, profile);
  if (unknown.length) throw new Error(`the lab "${lab.slug}" has no mode ${unknown.join(', ')} (its modes: ${modeNames(profile).join(', ')})`);

  const { docker, engine, driver } = await connectSandboxEngine(appConfig);
  const log = (m: string) => console.error(`[bench] ${m}`);
  const sandbox = await driver.create({ owner: 'bench-cli', lab: lab.slug, purpose: 'bench' });
  try {
    log(`sandbox ${sandbox.id}: setting up ${lab.slug}`);
    await runLabSetup(driver, sandbox.id, lab);
    await applySolutions(driver, sandbox.id, lab, lab.meta.benchmark.after, (id) => log(`applied the solution of ${id}`));
    const image = await docker.getImage(appConfig.sandbox.image).inspect().catch(() => undefined);
    const platform: Partial<Environment> = {
      image: `${appConfig.sandbox.image} (${image?.Id.slice(7, 19) ?? 'unknown'})`,
      engine: `Docker ${engine.version}, cgroup ${engine.cgroupVersion}`,
    };
    log(`running ${config.repetitions} repetition(s) x ${config.sizes.length} size(s) x ${config.modes.length} mode(s), about ${Math.round(estimateSeconds(config) / 60)} min`);
    let env: Environment | undefined;
    const runner = new BenchRunner((script, timeoutMs) => runLabScript(driver, sandbox.id, script, { timeoutMs }), profile);
    const samples: Sample[] = [];
    const abort = new AbortController();
    process.once('SIGINT', () => {
      log('cancelling (the samples so far are kept)');
      abort.abort();
    });
    const started = new Date();
    await runner.run(
      config,
      {
        signal: abort.signal,
        onEnvironment: (e) => (env = e),
        onProgress: (p) => log(`${p.index + 1}/${p.total} rep ${p.rep} size ${p.size} ${p.mode} (about ${p.secondsLeft} s left)`),
        onSample: (s) => {
          samples.push(s);
          if (s.error || !s.datapath.ok) log(`  flagged: ${[s.error, ...s.datapath.problems].filter(Boolean).join('; ')}`);
        },
      },
      platform,
    );
    const summary = summarizeSamples(samples, modeRoles(profile), modeNames(profile));
    console.log(formatBenchTable(summary, { config, environment: env, lab: lab.slug, at: started, roles: modeRoles(profile), samples, modes: modeNames(profile) }));
    const out = values.out ?? path.join('bench-results', `${lab.slug}-${started.toISOString().replace(/[:.]/g, '-')}.json`);
    mkdirSync(path.dirname(out), { recursive: true });
    writeFileSync(out, JSON.stringify({ lab: lab.slug, config, environment: env, startedAt: started, summary, samples }, null, 2));
    log(`results: ${out}`);
  } finally {
    if (values.keep) log(`kept sandbox ${sandbox.id} (docker exec -it ${sandbox.id} lab-shell)`);
    else await driver.destroy(sandbox.id);
  }
}

main().catch((err) => {
  console.error(err instanceof Error ? err.message : err);
  process.exit(1);
});
