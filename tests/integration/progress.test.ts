// Auto-checks and progress through the real server: a command typed in the terminal completes a step, a failed check
// says what is wrong with a reason code and the hint keyed to that reason comes first, hints and solutions are
// recorded, progress and the sandbox survive a server restart, and Reset starts over.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Client, startAppServer, type AppServer } from '@/scripts/harness/app-server';
import { LabEventsClient } from '@/scripts/harness/lab-events-client';
import { TermClient } from '@/scripts/harness/terminal-client';

const LAB = 'sandbox-tour';
let server: AppServer;
let learner: Client;
let sandboxId: string;

beforeAll(async () => {
  server = await startAppServer();
  learner = new Client(server.url);
  await learner.fetch('/');
  sandboxId = (await (await learner.fetch(`/api/labs/${LAB}/sandbox`, { method: 'POST' })).json()).sandbox.id;
});
afterAll(async () => {
  await server?.stop();
  await server?.removeSandboxes();
});

const progress = async () => (await learner.fetch(`/api/labs/${LAB}/progress`)).json();

describe('auto-checks', () => {
  it('complete a step right after the command that does it, without a Check', async () => {
    const events = new LabEventsClient(server.url, LAB, learner.cookie, '01-pin-a-map');
    await events.opened;
    await events.next((e) => e.type === 'progress');
    const term = new TermClient(server.url, { lab: LAB, tab: 'sandbox', cookie: learner.cookie });
    await term.opened;
    await term.waitFor(/# $/m);

    const done = events.next((e) => e.type === 'check' && e.passed);
    term.type('bpftool map create /sys/fs/bpf/tour_counts type hash key 4 value 8 entries 16 name tour_counts\r');
    const outcome = await done;
    expect(outcome).toMatchObject({
      step: '01-pin-a-map',
      passed: true,
      trigger: 'command',
      newlyDone: true,
      message: 'A hash map (4-byte keys, 8-byte values) is pinned at /sys/fs/bpf/tour_counts: it stays there after bpftool exits.',
    });
    expect(outcome).not.toHaveProperty('reason');
    const p = await progress();
    expect(p.steps[0]).toMatchObject({ step: '01-pin-a-map', status: 'done' });
    expect(p.doneCount).toBe(1);
    term.close();
    events.close();
  });

  it('checks on the Check button and says what is missing', async () => {
    const res = await learner.fetch(`/api/labs/${LAB}/check`, { method: 'POST', body: JSON.stringify({ step: '02-attach-to-your-cgroup' }) });
    const outcome = await res.json();
    expect(outcome).toMatchObject({ passed: false, trigger: 'button', reason: 'not-built', message: expect.stringMatching(/^The program is not built yet/) });
    const bad = await learner.fetch(`/api/labs/${LAB}/check`, { method: 'POST', body: '{"nope":1}' });
    expect(bad.status).toBe(400);
  });

  it('checks by itself every few seconds while the page is open (changes made outside a terminal)', async () => {
    const events = new LabEventsClient(server.url, LAB, learner.cookie, '02-attach-to-your-cgroup');
    await events.opened;
    const { testDriver } = await import('../helpers/sandbox');
    const { driver } = await testDriver(server.instance);
    // Opening the page re-checks the done step 01 too: only step 02's outcome answers this test.
    const polled = events.next((e) => e.type === 'check' && e.trigger === 'poll' && e.step === '02-attach-to-your-cgroup' && e.passed, 20_000);
    await driver.exec(sandboxId, ['bash', '-lc', 'clang -O2 -target bpf -I/usr/include/$(uname -m)-linux-gnu -c /opt/ebpf-labs/bpf/preflight/preflight.bpf.c -o /tmp/h.o && bpftool prog load /tmp/h.o /sys/fs/bpf/hello type sockops && bpftool cgroup attach $LAB_CGROUP sock_ops pinned /sys/fs/bpf/hello']);
    expect(await polled).toMatchObject({ step: '02-attach-to-your-cgroup', passed: true });
    events.close();
  });
});

describe('hints and solutions', () => {
  it('offer the hint keyed to the last failure first, then the general ones, one at a time', async () => {
    await learner.fetch(`/api/labs/${LAB}/reset`, { method: 'POST' });
    const { testDriver } = await import('../helpers/sandbox');
    const { driver } = await testDriver(server.instance);
    const fresh = (await (await learner.fetch(`/api/labs/${LAB}/sandbox`)).json()).sandbox.id;
    await driver.exec(fresh, ['bpftool', 'map', 'create', '/sys/fs/bpf/tour_counts', 'type', 'array', 'key', '4', 'value', '8', 'entries', '16', 'name', 'tour_counts']);
    const failed = await (await learner.fetch(`/api/labs/${LAB}/check`, { method: 'POST', body: JSON.stringify({ step: '01-pin-a-map' }) })).json();
    expect(failed).toMatchObject({ passed: false, reason: 'wrong-type', message: expect.stringContaining('of type array, not hash') });
    const h1 = await (await learner.fetch(`/api/labs/${LAB}/steps/01-pin-a-map/hint`, { method: 'POST' })).json();
    expect(h1).toEqual({ hints: [expect.stringMatching(/^A map's type and sizes are fixed when it is created/)], remaining: 2 });
    const h2 = await (await learner.fetch(`/api/labs/${LAB}/steps/01-pin-a-map/hint`, { method: 'POST' })).json();
    expect(h2).toEqual({ hints: [h1.hints[0], expect.stringMatching(/^`bpftool map create` takes a path/)], remaining: 1 });
    await driver.exec(fresh, ['rm', '/sys/fs/bpf/tour_counts']);
  });

  it('count a step solved after its solution as solved with help', async () => {
    const sol = await (await learner.fetch(`/api/labs/${LAB}/steps/01-pin-a-map/solution`, { method: 'POST' })).json();
    expect(sol.solution).toMatch(/bpftool map create/);
    const term = new TermClient(server.url, { lab: LAB, tab: 'sandbox', cookie: learner.cookie, fresh: true });
    await term.opened;
    await term.waitFor(/# $/m);
    term.type(sol.solution.split('\n').filter((l: string) => l.startsWith('bpftool')).join('\n') + '\r');
    await term.waitFor(/sandbox:~# $/m);
    let p = await progress();
    for (let i = 0; i < 50 && p.steps[0].status === 'todo'; i++) {
      await new Promise((r) => setTimeout(r, 100));
      p = await progress();
    }
    expect(p.steps[0]).toMatchObject({ status: 'done-with-help', hintsShown: 2, solutionShown: true });
    term.close();
  });
});

describe('across a server restart', () => {
  it('keeps progress and gives the learner the same sandbox back', async () => {
    const before = await progress();
    const sandboxBefore = (await (await learner.fetch(`/api/labs/${LAB}/sandbox`)).json()).sandbox.id;
    await server.restart();
    const after = await progress();
    const kept = (p: { steps: { step: string; status: string; doneAt?: number; hintsShown: number; solutionShown: boolean }[] }) =>
      p.steps.map(({ step, status, doneAt, hintsShown, solutionShown }) => ({ step, status, doneAt, hintsShown, solutionShown }));
    expect(kept(after)).toEqual(kept(before));
    expect(before.doneCount).toBeGreaterThan(0);
    const status = await (await learner.fetch(`/api/labs/${LAB}/sandbox`)).json();
    expect(status).toMatchObject({ state: 'running', sandbox: { id: sandboxBefore } });
  });

  it('Reset lab clears progress and gives a fresh sandbox', async () => {
    const old = (await (await learner.fetch(`/api/labs/${LAB}/sandbox`)).json()).sandbox.id;
    const reset = await (await learner.fetch(`/api/labs/${LAB}/reset`, { method: 'POST' })).json();
    expect(reset.state).toBe('running');
    expect(reset.sandbox.id).not.toBe(old);
    expect((await progress()).doneCount).toBe(0);
  });
});
