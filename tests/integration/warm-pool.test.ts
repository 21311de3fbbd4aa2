// Warm sandboxes for a class on the real engine: a pool of 2 hands two learners prepared sandboxes (the lab's setup
// already done, no creation while they wait), each with its first terminal's shell already running (the learner's page
// attaches to it), refills in the background, and a restarted server knows whose each is.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '@/lib/config';
import { connectSandboxEngine } from '@/lib/sandbox/engine';
import type { SandboxDriver } from '@/lib/sandbox/types';
import { parseSessionList, type HeldSession } from '@/lib/terminal/session-records';
import { Client, startAppServer, type AppServer } from '@/scripts/harness/app-server';
import { TermClient } from '@/scripts/harness/terminal-client';

const LAB = 'transparent-proxy';
/** The lab's first terminal tab: the one a learner's page shows at Start. */
const FIRST_TAB = 'server';

describe('warm sandbox pool', () => {
  let server: AppServer;
  let driver: SandboxDriver;

  const poolIds = async () => (await driver.list()).filter((s) => s.purpose === 'pool' && s.running).map((s) => s.id);
  const metric = async (state: string) => {
    const text = await (await fetch(`${server.url}/metrics`)).text();
    return Number(new RegExp(`^ebpf_labs_sandboxes\\{state="${state}"\\} (\\d+)$`, 'm').exec(text)?.[1]);
  };
  const waitForPool = async (n: number, excluding: string[] = []) => {
    const deadline = Date.now() + 120_000;
    for (;;) {
      const ids = (await poolIds()).filter((id) => !excluding.includes(id));
      if (ids.length >= n && (await metric('pool')) === n) return ids;
      if (Date.now() > deadline) throw new Error(`pool did not reach ${n}: ${ids.join(', ')}\n${server.output.join('').slice(-3000)}`);
      await new Promise((r) => setTimeout(r, 500));
    }
  };

  /** The shells the sandbox's holders keep, by tab. */
  const heldShells = async (id: string): Promise<HeldSession[]> =>
    parseSessionList((await driver.exec(id, ['/opt/ebpf-labs/bin/lab-session', 'list'])).stdout);
  const waitForShell = async (id: string): Promise<HeldSession> => {
    const deadline = Date.now() + 30_000;
    for (;;) {
      const shell = (await heldShells(id)).find((h) => h.name === FIRST_TAB && h.shellPid);
      if (shell) return shell;
      if (Date.now() > deadline) throw new Error(`no ${FIRST_TAB} shell in pool sandbox ${id}: ${JSON.stringify(await heldShells(id))}`);
      await new Promise((r) => setTimeout(r, 250));
    }
  };

  beforeAll(async () => {
    server = await startAppServer({ SANDBOX_WARM_POOL: `${LAB}:2` });
    ({ driver } = await connectSandboxEngine(loadConfig({ ...process.env, EBPF_LABS_INSTANCE: server.instance })));
  }, 180_000);
  afterAll(async () => {
    await server?.stop();
    await server?.removeSandboxes();
  });

  it('hands out two prepared sandboxes, one per learner, and refills', async () => {
    const ready = await waitForPool(2);
    const waiting = await Promise.all(ready.map(waitForShell));
    const learners = [new Client(server.url), new Client(server.url)];
    for (const l of learners) await l.fetch('/');
    const started = await Promise.all(
      learners.map(async (l) => {
        const res = await l.fetch(`/api/labs/${LAB}/sandbox`, { method: 'POST' });
        expect(res.status).toBe(200);
        return ((await res.json()) as { sandbox: { id: string } }).sandbox.id;
      }),
    );
    expect(new Set(started).size).toBe(2);
    expect([...started].sort()).toEqual([...ready].sort());
    // The lab's setup ran before the learner asked: its pods are there.
    for (const id of started) {
      const netns = (await driver.exec(id, ['ip', 'netns', 'list'])).stdout;
      expect(netns).toContain('client');
      expect(netns).toContain('server');
    }
    // Each learner's terminal is the shell that waited in the pool: the same process, and no second one.
    for (const [i, l] of learners.entries()) {
      const term = new TermClient(server.url, { lab: LAB, tab: FIRST_TAB, cookie: l.cookie });
      await term.opened;
      await term.waitFor(/# $/m, 20_000);
      term.close();
      const id = started[i]!;
      const shells = (await heldShells(id)).filter((h) => h.name === FIRST_TAB);
      expect(shells).toEqual([waiting[ready.indexOf(id)]]);
    }
    const text = await (await fetch(`${server.url}/metrics`)).text();
    expect(text).toMatch(/^ebpf_labs_sandbox_start_seconds_count\{source="pool"\} 2$/m);
    expect(text).not.toMatch(/source="fresh"/);
    const refilled = await waitForPool(2, started);
    expect(refilled.some((id) => started.includes(id))).toBe(false);

    // Restarted (killed): each learner has the same sandbox, and the pool's two are taken back, not made again.
    await server.restart({ kill: true });
    for (const [i, l] of learners.entries()) {
      const res = await l.fetch(`/api/labs/${LAB}/sandbox`);
      expect(((await res.json()) as { sandbox?: { id: string } }).sandbox?.id).toBe(started[i]);
    }
    expect((await waitForPool(2, started)).sort()).toEqual([...refilled].sort());
  }, 300_000);
});
