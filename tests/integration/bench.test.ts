// A short benchmark in a real sandbox, started through the benchmark service as the app starts it: every mode, one
// size, one repetition, 2 s per tool. The datapath checks must hold: the redirect counter moves only with
// acceleration, the proxy counts connections only in proxy modes. The lab's checks wait while it runs.
import { mkdtempSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { BenchConfigSchema, summarizeSamples } from '@/lib/bench/model';
import { BenchService } from '@/lib/bench/service';
import { BenchStore } from '@/lib/bench/store';
import type { BenchEvent } from '@/lib/bench/types';
import { CheckScheduler } from '@/lib/checks/scheduler';
import { openDb, type Db } from '@/lib/db';
import { LabEventChannel } from '@/lib/lab-events/channel';
import { LabCatalog } from '@/lib/labs/catalog';
import type { Lab } from '@/lib/labs/schema';
import { ProgressStore } from '@/lib/progress/store';
import type { DockerSandboxDriver } from '@/lib/sandbox/docker-driver';
import { runLabScript, type LabScriptRunner } from '@/lib/sandbox/lab-exec';
import type { Sandbox } from '@/lib/sandbox/types';
import { testDriver, waitFor, type Tracker } from '../helpers/sandbox';

let driver: DockerSandboxDriver;
let track: Tracker;
let sandbox: Sandbox;
let db: Db;
let lab: Lab;

beforeAll(async () => {
  ({ driver, track } = await testDriver());
  lab = (await new LabCatalog('labs', true).get('proxy-acceleration'))!;
  sandbox = await track.create({ lab: lab.slug });
  const setup = await runLabScript(driver, sandbox.id, 'lab-pods up && redirectctl on', { timeoutMs: 60_000 });
  expect(setup.exitCode).toBe(0);
  db = openDb(mkdtempSync(path.join(os.tmpdir(), 'ebpf-labs-bench-')));
});
afterAll(async () => {
  db?.close();
  await track.cleanup();
});

it('measures each mode and verifies each sample took the datapath its mode claims', async () => {
  const runScript: LabScriptRunner = (id, script, opts) => runLabScript(driver, id, script, opts);
  const events = new LabEventChannel();
  const checks = new CheckScheduler({ store: new ProgressStore(db), events, runScript, sandboxOf: async () => sandbox });
  const store = new BenchStore(db);
  const bench = new BenchService({ store, events, checks, runScript, platform: async () => ({ engine: 'test' }) });
  const got: BenchEvent[] = [];
  events.subscribe('test', lab.slug, (e) => e.type === 'bench' && got.push(e));

  const config = BenchConfigSchema.parse({ sizes: [1024], repetitions: 1, durationS: 2 });
  const run = bench.start('test', lab, sandbox, config);
  expect(checks.isPaused('test', lab.slug)).toBe(true);
  expect(await checks.check({ learner: 'test', lab, sandbox }, 'button', lab.steps[0]!.id)).toEqual([]); // held
  await waitFor(async () => got.some((e) => e.status !== 'running'), 110_000, 500);
  expect(got.at(-1)).toMatchObject({ runId: run.id, status: 'done', samples: 3 });
  expect(store.getRun(run.id)).toMatchObject({ status: 'done', environment: { engine: 'test' } });
  expect(checks.isPaused('test', lab.slug)).toBe(false);
  checks.close();

  const samples = store.samples(run.id);
  expect(samples.map((s) => s.mode)).toEqual(['direct', 'proxy', 'proxy+accel']);
  for (const s of samples) {
    expect(s.error).toBeUndefined();
    expect(s.datapath.problems).toEqual([]);
    expect(s.iperf!.gbps).toBeGreaterThan(0);
    expect(s.sockperf!.p50Us).toBeGreaterThan(0);
  }
  const [direct, proxy, accel] = samples;
  expect(direct!.datapath).toMatchObject({ proxyConnections: 0, redirected: 0 });
  expect(proxy!.datapath.proxyConnections).toBeGreaterThan(0);
  expect(proxy!.datapath.redirected).toBe(0);
  expect(accel!.datapath.proxyConnections).toBeGreaterThan(0);
  expect(accel!.datapath.redirected).toBeGreaterThan(0);

  const { comparisons } = summarizeSamples(samples);
  expect(comparisons[0]!.latencyRatio.proxy).toBeGreaterThan(1); // the proxy adds latency: a sanity check

  // The sandbox is as it was: redirect on, acceleration off.
  const state = await runLabScript(driver, sandbox.id, 'redirectctl status --json; accelctl status --json', { timeoutMs: 20_000 });
  const [redirect, accelState] = state.stdout.trim().split('\n').map((l) => JSON.parse(l));
  expect(redirect.on).toBe(true);
  expect(accelState.on).toBe(false);
});

it('re-pins without starting the image\'s proxy where a lab stopped it (its own proxy holds :15006)', async () => {
  // A listener on the proxy's port stands in for the lab's own proxy (proxy-splicing's splice-proxy).
  const r = await runLabScript(
    driver,
    sandbox.id,
    `. /opt/ebpf-labs/lib/lab.sh; pin=$(pin_cpu); proxyctl stop >/dev/null
     in_pod server iperf3 -s -p "$PROXY_PORT" -D --pidfile "$STATE/stand-in.pid"; sleep 0.3
     : > "$STATE/proxy.log"
     lab-pods pin none >/dev/null; echo "stopped: $(proxyctl status >/dev/null && echo running || echo stopped)"
     grep -c 'Address already in use' "$STATE/proxy.log"
     kill "$(cat "$STATE/stand-in.pid")"; sleep 0.2
     proxyctl start >/dev/null; lab-pods pin "$pin" >/dev/null; echo "running: $(proxyctl status >/dev/null && echo running || echo stopped)"`,
    { timeoutMs: 60_000 },
  );
  expect(r.stdout.trim().split('\n')).toEqual(['stopped: stopped', '0', 'running: running']);
});
