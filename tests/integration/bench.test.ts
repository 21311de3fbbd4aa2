// A short benchmark in a real sandbox: every mode, one size, one repetition, 2 s per tool. The datapath checks must
// hold: the redirect counter moves only with acceleration, the proxy counts connections only in proxy modes.
import { afterAll, beforeAll, expect, it } from 'vitest';
import { LAB_EXEC } from '@/lib/checks/runner';
import { BenchConfigSchema, summarizeSamples } from '@/lib/bench/model';
import { BenchRunner } from '@/lib/bench/runner';
import type { DockerSandboxDriver } from '@/lib/sandbox/docker-driver';
import type { Sandbox } from '@/lib/sandbox/types';
import { testDriver, type Tracker } from '../helpers/sandbox';

let driver: DockerSandboxDriver;
let track: Tracker;
let sandbox: Sandbox;

beforeAll(async () => {
  ({ driver, track } = await testDriver());
  sandbox = await track.create({ lab: 'proxy-acceleration' });
  const setup = await driver.exec(sandbox.id, [LAB_EXEC], { stdin: 'lab-pods up && redirectctl on', timeoutMs: 60_000 });
  expect(setup.exitCode).toBe(0);
});
afterAll(() => track.cleanup());

it('measures each mode and verifies each sample took the datapath its mode claims', async () => {
  const runner = new BenchRunner((script, timeoutMs) => driver.exec(sandbox.id, [LAB_EXEC], { stdin: script, timeoutMs }));
  const config = BenchConfigSchema.parse({ sizes: [1024], repetitions: 1, durationS: 2 });
  const { samples, cancelled } = await runner.run(config);
  expect(cancelled).toBe(false);
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
  const state = await driver.exec(sandbox.id, [LAB_EXEC], { stdin: 'redirectctl status --json; accelctl status --json', timeoutMs: 20_000 });
  const [redirect, accelState] = state.stdout.trim().split('\n').map((l) => JSON.parse(l));
  expect(redirect.on).toBe(true);
  expect(accelState.on).toBe(false);
});
