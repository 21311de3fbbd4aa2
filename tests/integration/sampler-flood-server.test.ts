// End to end, on the real app server: a learner replaces the datapath sampler in their sandbox with a program that
// prints one endless line and opens the Datapath pane. The server must stay within 50 MB of its memory, tell the page,
// stay up, and leave nothing of the printer running in the sandbox. (Measured before the limits: 182 MiB to 3.3 GB in
// 30 s, and the printer ran on after the pane closed.)
import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SAMPLER_PATH } from '@/lib/datapath/hub';
import type { DockerSandboxDriver } from '@/lib/sandbox/docker-driver';
import { runLabScript } from '@/lib/sandbox/lab-exec';
import { Client, startAppServer, type AppServer } from '@/scripts/harness/app-server';
import { LabEventsClient } from '@/scripts/harness/lab-events-client';
import { testDriver, waitFor } from '../helpers/sandbox';

const LAB = 'transparent-proxy';
const MB = 1000 * 1000;

/** Resident memory of a process, from /proc (bytes); 0 once it is gone (before the limits, the server died of it). */
function rss(pid: number): number {
  try {
    const kb = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1];
    return Number(kb) * 1024;
  } catch {
    return 0;
  }
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

describe('the app server, when the sampler prints an endless line', () => {
  let server: AppServer;
  let driver: DockerSandboxDriver;
  let client: Client;
  let sandboxId: string;

  beforeAll(async () => {
    server = await startAppServer();
    ({ driver } = await testDriver(server.instance));
    client = new Client(server.url);
    await client.fetch(`/labs/${LAB}`);
    const res = await client.fetch(`/api/labs/${LAB}/sandbox`, { method: 'POST' });
    const body = await res.json();
    expect(res.status, JSON.stringify(body)).toBe(200);
    sandboxId = body.sandbox.id;
  });
  afterAll(async () => {
    await server?.stop();
    await server?.removeSandboxes();
  });

  it("reports in the sandbox's status that it shares the host's kernel (a container, not a VM)", async () => {
    const status = await (await client.fetch(`/api/labs/${LAB}/sandbox`)).json();
    expect(status).toMatchObject({ state: 'running', sandbox: { id: sandboxId, kernel: 'shared' } });
  });

  it('stays within 50 MB, tells the page, stays up, and kills the printer in the sandbox', async () => {
    const replaced = await runLabScript(
      driver,
      sandboxId,
      `cat > ${SAMPLER_PATH} <<'EOF'\n#!/bin/bash\nhead -c 1G /dev/zero | tr '\\0' x\nEOF\nchmod 755 ${SAMPLER_PATH}\n`,
      { timeoutMs: 10_000 },
    );
    expect(replaced.exitCode).toBe(0);

    const page = new LabEventsClient(server.url, LAB, client.cookie);
    await page.opened;
    await new Promise((r) => setTimeout(r, 1000)); // the socket's first events and lookups settle
    const start = rss(server.pid);
    let peak = start;
    const sampler = setInterval(() => (peak = Math.max(peak, rss(server.pid))), 25);
    try {
      const error = page.next((e) => e.type === 'datapath-error', 30_000);
      page.ws.send(JSON.stringify({ type: 'datapath', watch: true }));
      expect(await error).toMatchObject({
        type: 'datapath-error',
        message: `The datapath sampler printed a line longer than 64 KiB: stopped. Reset the lab if you replaced ${SAMPLER_PATH}.`,
      });
      await new Promise((r) => setTimeout(r, 2000)); // whatever the server would still read or keep
      peak = Math.max(peak, rss(server.pid));
    } finally {
      clearInterval(sampler);
      page.close();
    }
    expect(alive(server.pid)).toBe(true);
    expect(peak - start, `server RSS from ${Math.round(start / MB)} MB to a peak of ${Math.round(peak / MB)} MB`).toBeLessThan(50 * MB);
    await waitFor(async () => {
      const ps = await driver.exec(sandboxId, ['ps', '-eo', 'args', '--no-headers']);
      return !/head -c 1G|datapath-sampler/.test(ps.stdout);
    }, 5000, 200);
    expect((await client.fetch(`/api/labs/${LAB}/sandbox`)).status).toBe(200);
  });
});
