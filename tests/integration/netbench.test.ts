// netbench on a learner's terminal: a row takes two timed runs, so it says which one is under way, on one line that
// the row then replaces; where nobody watches (a check, the benchmark), it prints the rows only.
import { afterAll, beforeAll, expect, it } from 'vitest';
import { loadConfig } from '@/lib/config';
import { connectSandboxEngine } from '@/lib/sandbox/engine';
import type { SandboxDriver } from '@/lib/sandbox/types';
import { Client, startAppServer, type AppServer } from '@/scripts/harness/app-server';

let server: AppServer;
let driver: SandboxDriver;
let sandbox: string;

beforeAll(async () => {
  server = await startAppServer();
  ({ driver } = await connectSandboxEngine(loadConfig({ ...process.env, EBPF_LABS_INSTANCE: server.instance })));
  const learner = new Client(server.url);
  await learner.fetch('/');
  const res = await learner.fetch('/api/labs/proxy-acceleration/sandbox', { method: 'POST' });
  sandbox = ((await res.json()) as { sandbox: { id: string } }).sandbox.id;
}, 180_000);
afterAll(async () => {
  await server?.stop();
  await server?.removeSandboxes();
});

it('says what it is measuring on a terminal, and prints only the rows elsewhere', async () => {
  // script(1) gives netbench a terminal, as the learner's tab does.
  const onTerminal = await driver.exec(sandbox, ['script', '-qec', "bash -lc 'netbench tax -t 1'", '/dev/null'], { timeoutMs: 60_000 });
  expect(onTerminal.exitCode, onTerminal.stderr).toBe(0);
  expect(onTerminal.stdout).toContain('\r\x1b[K... row 1 of 2, direct: iperf3 then sockperf, 1 s each\r\x1b[K');
  expect(onTerminal.stdout).toContain('... row 2 of 2, proxy:');
  expect(onTerminal.stdout).toMatch(/the proxy tax: throughput x/);

  const piped = await driver.exec(sandbox, ['bash', '-lc', 'netbench tax -t 1 2>&1 | cat'], { timeoutMs: 60_000 });
  expect(piped.exitCode, piped.stderr).toBe(0);
  expect(piped.stdout).not.toContain('... row');
  expect(piped.stdout.split('\n').filter((l) => /^(direct|proxy) /.test(l))).toHaveLength(2);
}, 150_000);
