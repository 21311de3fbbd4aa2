// Sandbox output is untrusted input: on a real sandbox, commands that flood, endless lines, garbage JSON and a stream
// that ignores end-of-file are stopped within their limits, killed in the sandbox (with what they started), and
// reported with a message; the server's own memory stays bounded throughout.
import { mkdtempSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CheckScheduler } from '@/lib/checks/scheduler';
import { DatapathHub, SAMPLER_PATH } from '@/lib/datapath/hub';
import { openDb } from '@/lib/db';
import { EditorService } from '@/lib/editor/service';
import { LAB_FILE } from '@/lib/editor/lab-file';
import { LabEventChannel } from '@/lib/lab-events/channel';
import { LabCatalog } from '@/lib/labs/catalog';
import { runLabSetup } from '@/lib/labs/setup';
import { silentLogger } from '@/lib/log';
import { ProgressStore } from '@/lib/progress/store';
import type { DockerSandboxDriver } from '@/lib/sandbox/docker-driver';
import { LAB_SCRIPT_OUTPUT_LIMIT, runLabScript } from '@/lib/sandbox/lab-exec';
import type { Lab } from '@/lib/labs/schema';
import type { Sandbox } from '@/lib/sandbox/types';
import { testLab } from '../doubles/lab';
import { testDriver, waitFor, type Tracker } from '../helpers/sandbox';

let driver: DockerSandboxDriver;
let track: Tracker;
let sandbox: Sandbox;

beforeAll(async () => {
  ({ driver, track } = await testDriver());
  sandbox = await track.create({ lab: 'proxy-acceleration' });
});
afterAll(() => track.cleanup());

/** The command lines running in the sandbox (ps, but not the ps itself). */
async function running(id = sandbox.id): Promise<string> {
  return (await driver.exec(id, ['ps', '-eo', 'args', '--no-headers'])).stdout;
}

/** Replaces a tool in the sandbox with a script, as a learner (root in it) can. */
async function replaceTool(file: string, script: string, id = sandbox.id): Promise<void> {
  const r = await runLabScript(driver, id, `cat > ${file} <<'EOF'\n#!/bin/bash\n${script}\nEOF\nchmod 755 ${file}\n`, { timeoutMs: 10_000 });
  expect(r.exitCode, r.stderr).toBe(0);
}

/** The peak resident memory of this process while `fn` runs, above where it started (bytes). */
async function peakGrowth<T>(fn: () => Promise<T>): Promise<{ result: T; growth: number }> {
  const start = process.memoryUsage().rss;
  let peak = start;
  const timer = setInterval(() => (peak = Math.max(peak, process.memoryUsage().rss)), 20);
  try {
    const result = await fn();
    peak = Math.max(peak, process.memoryUsage().rss);
    return { result, growth: peak - start };
  } finally {
    clearInterval(timer);
  }
}

const MiB = 1024 * 1024;

describe('an exec that prints past its output limit', () => {
  it('is ended at the limit, says so, and is killed in the sandbox with what it started (detached ones too)', async () => {
    const t0 = Date.now();
    const { result: r, growth } = await peakGrowth(() =>
      driver.exec(sandbox.id, ['bash', '-c', 'setsid sleep 331 </dev/null & yes flood-a & yes flood-b'], { outputLimit: 64 * 1024, timeoutMs: 60_000 }),
    );
    expect(r.overflow).toBe(true);
    expect(r.outputLimit).toBe(64 * 1024);
    expect(r.stdout.length).toBeLessThanOrEqual(64 * 1024);
    expect(r.stdout).toMatch(/^flood-[ab]\n/);
    expect(Date.now() - t0).toBeLessThan(10_000); // not its 60 s timeout
    expect(growth).toBeLessThan(64 * MiB);
    expect(await running()).not.toMatch(/yes flood|sleep 331/);
  });

  it('does the same for a lab script (lab-exec) that floods without a newline', async () => {
    const r = await runLabScript(driver, sandbox.id, 'cat /dev/zero &\nhead -c 2G /dev/zero | tr "\\0" y\n', { timeoutMs: 60_000 });
    expect(r).toMatchObject({ overflow: true, outputLimit: LAB_SCRIPT_OUTPUT_LIMIT });
    expect(r.stdout.length).toBeLessThanOrEqual(LAB_SCRIPT_OUTPUT_LIMIT);
    expect(await running()).not.toMatch(/cat \/dev\/zero|head -c 2G|tr /);
  });

  it('leaves a command within its limit alone, and its daemons running', async () => {
    const r = await runLabScript(driver, sandbox.id, 'setsid sleep 332 </dev/null >/dev/null 2>&1 &\necho started\n', { timeoutMs: 10_000 });
    expect(r).toMatchObject({ exitCode: 0, overflow: false, stdout: 'started\n' });
    expect(await running()).toMatch(/sleep 332/);
    await driver.exec(sandbox.id, ['pkill', '-f', 'sleep 332']);
  });
});

describe('checks whose output is not a message', () => {
  const lab = testLab('untrusted', {
    '01-flood': 'echo "looking..."\nwhile :; do echo "still going"; done\n',
    '02-garbage': "head -c 3000 /dev/urandom | tr -d '\\n'\nprintf '\\n\\x1b[31m\\x00bad\\x07 \\x01state\\x1b[0m\\n'\nexit 1\n",
  });
  let scheduler: CheckScheduler;
  let store: ProgressStore;
  beforeAll(() => {
    store = new ProgressStore(openDb(mkdtempSync(path.join(os.tmpdir(), 'untrusted-'))));
    scheduler = new CheckScheduler({
      store,
      events: new LabEventChannel(),
      runScript: (id, script, opts) => runLabScript(driver, id, script, opts),
      sandboxOf: async () => sandbox,
      log: silentLogger,
      pollIntervalMs: 3_600_000,
    });
  });
  afterAll(() => scheduler.close());

  it('a check that prints endlessly fails with a message saying it was stopped, and is gone from the sandbox', async () => {
    const [o] = await scheduler.check({ learner: 'ann', lab, sandbox }, 'button', '01-flood');
    expect(o).toMatchObject({ step: '01-flood', passed: false, message: `The check printed more than ${LAB_SCRIPT_OUTPUT_LIMIT / 1024} KiB and was stopped.` });
    expect(o!.durationMs).toBeLessThan(5000);
    expect(store.forLab('ann', lab).steps.find((s) => s.step === '01-flood')?.status).toBe('todo');
    expect(await running()).not.toMatch(/01-flood|script\./);
  });

  it('a check that prints binary garbage fails with a printable message', async () => {
    const [o] = await scheduler.check({ learner: 'ann', lab, sandbox }, 'button', '02-garbage');
    expect(o).toMatchObject({ passed: false, message: 'bad state' });
  });
});

describe('the editor, when lab-file is replaced by something else', () => {
  let editor: EditorService;
  let lab: Lab;
  let s: Sandbox;
  beforeAll(async () => {
    s = await track.create({ lab: 'proxy-acceleration' });
    lab = (await new LabCatalog('labs', true).get('proxy-acceleration'))!;
    await driver.copyIn(s.id, lab.meta.workspace!.to, lab.workspaceFiles);
    editor = new EditorService(driver);
    expect((await editor.list(s.id, lab)).length).toBeGreaterThan(0); // the real lab-file first
  });

  it('refuses a read that floods with a 413, and lists garbage as a 502, both saying what to do', async () => {
    const file = lab.meta.editor!.files[0]!.path;
    await replaceTool(LAB_FILE, `echo '{"size":1,"mtime":1,"sha256":"${'0'.repeat(64)}"}'\nexec cat /dev/zero`, s.id);
    await expect(editor.read(s.id, lab, file)).rejects.toMatchObject({ code: 'file_too_large', status: 413 });
    expect(await running(s.id)).not.toMatch(/cat \/dev\/zero/);
    await replaceTool(LAB_FILE, 'echo "{not json"\necho "[1,2]"', s.id);
    await expect(editor.list(s.id, lab)).rejects.toMatchObject({ code: 'lab_file_garbled', status: 502, hint: expect.stringMatching(/Reset the lab/) });
    await expect(editor.read(s.id, lab, file)).rejects.toMatchObject({ code: 'lab_file_garbled' });
  });
});

describe('the lab setup, when it floods', () => {
  it('fails with a message naming the limit, and is gone from the sandbox', async () => {
    const lab = { ...testLab('flood-setup', {}), setupScript: 'yes "setting up"\n' };
    lab.meta.setupTimeout = 60;
    const s = await track.create({ lab: 'flood-setup' });
    await expect(runLabSetup(driver, s.id, lab)).rejects.toMatchObject({
      code: 'lab_setup_failed',
      options: { details: expect.arrayContaining(['setup printed more than 1 MiB and was stopped']) },
    });
    expect(await running(s.id)).not.toMatch(/^yes/m);
  });
});

describe('the datapath sampler, replaced by something that misbehaves', () => {
  const events = new LabEventChannel();
  let hub: DatapathHub;
  const errors: string[] = [];
  let frames = 0;
  beforeAll(() => {
    hub = new DatapathHub({ driver: async () => driver, events, log: silentLogger, stopGraceMs: 300 });
    events.subscribe('ann', 'dp', (e) => {
      if (e.type === 'datapath-error') errors.push(e.message);
      if (e.type === 'datapath') frames++;
    });
  });
  afterAll(() => hub.closeAll());
  const watch = (s: Sandbox) => hub.watch({ learner: 'ann', lab: 'dp', sandboxId: s.id }, []);

  it('an endless line ends the stream with a message, the printer is killed, and memory stays bounded', async () => {
    const s = await track.create();
    await replaceTool(SAMPLER_PATH, "head -c 1G /dev/zero | tr '\\0' x", s.id);
    errors.length = 0;
    const { growth } = await peakGrowth(async () => {
      watch(s);
      await waitFor(async () => errors.length > 0, 20_000, 20);
    });
    expect(errors).toEqual([`The datapath sampler printed a line longer than 64 KiB: stopped. Reset the lab if you replaced ${SAMPLER_PATH}.`]);
    expect(growth).toBeLessThan(64 * MiB);
    expect(await running(s.id)).not.toMatch(/head -c 1G|datapath-sampler/);
    expect(hub.running()).toEqual([]);
  });

  it('a flood of short lines is stopped too', async () => {
    const s = await track.create();
    await replaceTool(SAMPLER_PATH, 'exec yes \'{"seq":1,"t_ms":1,"m":{}}\'', s.id); // samples, far too many
    errors.length = 0;
    watch(s);
    await waitFor(async () => errors.length > 0, 20_000, 20);
    expect(errors[0]).toMatch(/^The datapath sampler printed more than (50 lines|256 KiB) a second: stopped\./);
    expect(await running(s.id)).not.toMatch(/^yes/m);
  });

  it('garbage JSON lines are dropped, then reported; nothing is thrown', async () => {
    const s = await track.create();
    await replaceTool(SAMPLER_PATH, 'for i in $(seq 1000); do echo \'{"seq": "x", "m": [1,2\'; echo \'null\'; echo \'{"seq":1,"t_ms":"soon","m":{}}\'; sleep 0.2; done', s.id);
    errors.length = 0;
    frames = 0;
    watch(s);
    await waitFor(async () => errors.length > 0, 20_000, 20);
    expect(errors[0]).toMatch(/^The datapath sampler printed 10 lines that are not samples \(the last: ".*"\): stopped\. Reset the lab/);
    expect(frames).toBe(0);
    await waitFor(async () => !/datapath-sampler|sleep 0.2/.test(await running(s.id)), 6000, 200);
  });

  it('a sampler that ignores end-of-file is killed once nobody watches', async () => {
    const s = await track.create();
    await replaceTool(SAMPLER_PATH, 'exec 0</dev/null\nwhile :; do echo "{\\"seq\\":$((++n)),\\"t_ms\\":$((n*500)),\\"m\\":{}}"; sleep 0.5; done', s.id);
    frames = 0;
    const unwatch = watch(s);
    await waitFor(async () => frames >= 2, 10_000);
    unwatch();
    // 0.3 s before the hub stops it, 2 s for it to exit on end-of-file, then it is killed.
    await waitFor(async () => !/datapath-sampler|sleep 0.5/.test(await running(s.id)), 8000, 200);
    expect(hub.running()).toEqual([]);
  });
});
