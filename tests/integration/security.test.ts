// The server trusts neither the browser nor the network: hosts and origins it does not answer for, oversized
// bodies, malformed paths, cookies it did not sign, oversized frames, too many sandboxes or sessions from one
// client, a second server on the same data directory or instance. Each of these was accepted before (issue 13).
import { mkdtempSync, readFileSync } from 'node:fs';
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { Client, newInstanceName, startAppServer, type AppServer } from '@/scripts/harness/app-server';
import { LabEventsClient } from '@/scripts/harness/lab-events-client';

/** A raw HTTP request with chosen headers (fetch would correct Host and Origin). */
function raw(url: string, opts: { method?: string; headers?: Record<string, string | number>; body?: Buffer; writeBody?: number }) {
  return new Promise<{ status: number; headers: http.IncomingHttpHeaders; body: string; bodyBytesSent: number }>((resolve, reject) => {
    const u = new URL(url);
    let sent = 0;
    const req = http.request({ host: u.hostname, port: u.port, path: u.pathname + u.search, method: opts.method ?? 'GET', headers: opts.headers }, (res) => {
      let body = '';
      res.on('data', (c: Buffer) => (body += c.toString()));
      res.on('end', () => resolve({ status: res.statusCode!, headers: res.headers, body, bodyBytesSent: sent }));
    });
    req.on('error', (err) => (sent > 0 ? undefined : reject(err)));
    if (opts.body) req.write(opts.body);
    if (opts.writeBody) {
      // Announce a large body, send only the start: a server that reads it whole first never answers.
      const chunk = Buffer.alloc(64 * 1024, 'x');
      for (let i = 0; i < opts.writeBody; i++) sent += req.write(chunk) ? chunk.length : chunk.length;
      return;
    }
    req.end();
  });
}

const rssMiB = (pid: number) => Number(/VmRSS:\s+(\d+)/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))![1]) / 1024;

describe('the server answers only for its own hosts and origins', () => {
  let server: AppServer;
  beforeAll(async () => {
    server = await startAppServer({ MAX_SANDBOXES_PER_LEARNER: '1', NEW_LEARNERS_PER_MINUTE: '8' });
  });
  afterAll(async () => {
    await server?.stop();
    await server?.removeSandboxes();
  });

  it('refuses a rebound Host before any cookie is set, on requests and on upgrades', async () => {
    const port = new URL(server.url).port;
    const res = await raw(`${server.url}/`, { headers: { host: `evil.example:${port}`, origin: `http://evil.example:${port}` } });
    expect(res.status).toBe(421);
    expect(res.headers['set-cookie']).toBeUndefined();
    const api = await raw(`${server.url}/api/labs/sandbox-tour/sandbox`, { method: 'POST', headers: { host: `evil.example:${port}`, origin: `http://evil.example:${port}`, 'content-length': 0 } });
    expect(api.status).toBe(421);
    expect(JSON.parse(api.body).error.code).toBe('unknown_host');
    const ws = new WebSocket(`${server.url.replace('http', 'ws')}/ws/terminal?lab=sandbox-tour&tab=sandbox`, { headers: { host: `evil.example:${port}`, origin: `http://evil.example:${port}` } });
    const status = await new Promise<number>((resolve) => ws.on('unexpected-response', (_req, r) => resolve(r.statusCode!)));
    expect(status).toBe(421);
    // localhost is the same server, under a name it answers for.
    expect((await raw(`${server.url}/`, { headers: { host: `localhost:${port}` } })).status).toBe(200);
  });

  it('compares the Origin scheme too: https is not this http server', async () => {
    const client = new Client(server.url);
    await client.fetch('/');
    const res = await client.fetch('/api/labs/sandbox-tour/sandbox', { method: 'POST', headers: { origin: server.url.replace('http:', 'https:') } });
    expect(res.status).toBe(403);
  });

  it('refuses a 50 MiB body with 413 before reading it, and keeps its memory', async () => {
    const before = rssMiB(server.pid);
    const client = new Client(server.url);
    await client.fetch('/');
    const res = await raw(`${server.url}/api/labs/sandbox-tour/check`, {
      method: 'POST',
      headers: { host: new URL(server.url).host, origin: server.url, cookie: client.cookie, 'content-type': 'application/json', 'content-length': 50 * 1024 * 1024 },
      writeBody: 4,
    });
    expect(res.status).toBe(413);
    expect(JSON.parse(res.body).error.code).toBe('body_too_large');
    expect(rssMiB(server.pid) - before).toBeLessThan(20);
  });

  it('answers malformed %-escapes with 400 and an unknown lab with 404 on every method', async () => {
    const client = new Client(server.url);
    await client.fetch('/');
    for (const p of ['/api/labs/%ff/sandbox', '/api/labs/%/sandbox', '/labs/%E0%A4%A']) {
      const res = await client.fetch(p);
      expect(res.status, p).toBe(400);
    }
    expect((await (await client.fetch('/api/labs/%ff/sandbox')).json()).error.code).toBe('bad_path');
    for (const method of ['GET', 'POST', 'DELETE']) {
      const res = await client.fetch('/api/labs/no-such-lab/sandbox', { method });
      expect(res.status, method).toBe(404);
    }
  });

  it('refuses a cookie it did not sign with 401 and a reason, on HTTP and on WebSocket alike', async () => {
    const forged = 'ebpf_labs_learner=0123456789abcdef01234567.forged';
    const api = await fetch(`${server.url}/api/labs/sandbox-tour/progress`, { headers: { cookie: forged } });
    expect(api.status).toBe(401);
    expect((await api.json()).error).toMatchObject({ code: 'invalid_session', message: expect.stringMatching(/not valid/) });
    const page = await fetch(`${server.url}/labs/sandbox-tour`, { headers: { cookie: forged }, redirect: 'manual' });
    expect(page.status).toBe(401);
    expect(await page.text()).toContain('Start a new session');
    const fresh = await fetch(`${server.url}/session/new?next=/labs/sandbox-tour`, { headers: { cookie: forged }, redirect: 'manual' });
    expect(fresh.status).toBe(303);
    expect(fresh.headers.get('location')).toBe('/labs/sandbox-tour');
    expect(fresh.headers.get('set-cookie')).toMatch(/^ebpf_labs_learner=/);

    const ws = new WebSocket(`${server.url.replace('http', 'ws')}/ws/lab?lab=sandbox-tour`, { headers: { cookie: forged, origin: server.url } });
    const closed = await new Promise<{ code: number; reason: string }>((resolve) => ws.on('close', (code, reason) => resolve({ code, reason: reason.toString() })));
    expect(closed.code).toBe(4401);
    expect(closed.reason).toMatch(/not valid/);
  });

  it('closes a WebSocket whose frame is over the cap with 1009 and a reason', async () => {
    const client = new Client(server.url);
    await client.fetch('/');
    const events = new LabEventsClient(server.url, 'sandbox-tour', client.cookie);
    await events.opened;
    const closed = new Promise<{ code: number; reason: string }>((resolve) => events.ws.on('close', (code, reason) => resolve({ code, reason: reason.toString() })));
    events.ws.send('x'.repeat(64 * 1024));
    const { code, reason } = await closed;
    expect(code).toBe(1009);
    expect(reason).toMatch(/larger than 4 KiB/);
  });

  it('caps the sandboxes of one learner, with what to do', async () => {
    const client = new Client(server.url);
    await client.fetch('/');
    expect((await client.fetch('/api/labs/sandbox-tour/sandbox', { method: 'POST' })).status).toBe(200);
    const second = await client.fetch('/api/labs/transparent-proxy/sandbox', { method: 'POST' });
    expect(second.status).toBe(429);
    expect((await second.json()).error).toMatchObject({ code: 'learner_limit', hint: expect.stringContaining('sandbox-tour') });
    await client.fetch('/api/labs/sandbox-tour/sandbox', { method: 'DELETE' });
  });

  it('gives an address only so many new sessions a minute', async () => {
    let refused: Response | undefined;
    for (let i = 0; i < 12 && !refused; i++) {
      const res = await fetch(`${server.url}/`);
      if (res.status === 429) refused = res;
    }
    expect(refused?.headers.get('retry-after')).toBe('60');
    expect(refused?.headers.get('set-cookie')).toBeNull();
  });
});

describe('a full server', () => {
  let server: AppServer;
  beforeAll(async () => {
    server = await startAppServer({ MAX_SANDBOXES: '1', MAX_SANDBOXES_PER_ADDRESS: '5', SANDBOX_IDLE_MINUTES: '0.15', SANDBOX_IDLE_WARNING_MINUTES: '0.1' });
  });
  afterAll(async () => {
    await server?.stop();
    await server?.removeSandboxes();
  });

  it('puts the next learner in line, then stops the idle sandbox after a warning, keeping its progress, and lets the next one in', async () => {
    const first = new Client(server.url);
    await first.fetch('/');
    expect((await first.fetch('/api/labs/sandbox-tour/sandbox', { method: 'POST' })).status).toBe(200);
    await first.fetch('/api/labs/sandbox-tour/steps/01-pin-a-map/hint', { method: 'POST' });
    const page = new LabEventsClient(server.url, 'sandbox-tour', first.cookie);
    await page.opened;

    const second = new Client(server.url);
    await second.fetch('/');
    const full = await second.fetch('/api/labs/sandbox-tour/sandbox', { method: 'POST' });
    expect(full.status).toBe(503);
    expect(full.headers.get('retry-after')).toBe('5');
    expect((await full.json()).error).toMatchObject({ code: 'server_full', data: { position: 1 }, hint: expect.stringMatching(/number 1 in line/) });

    const warned = await page.next((e) => e.type === 'idle', 20_000);
    expect(warned).toMatchObject({ type: 'idle', stopsAt: expect.any(Number) });
    await page.next((e) => e.type === 'sandbox-stopped', 20_000);
    expect(await (await first.fetch('/api/labs/sandbox-tour/sandbox')).json()).toMatchObject({ state: 'none' });
    const progress = await (await first.fetch('/api/labs/sandbox-tour/progress')).json();
    expect(progress.steps[0].hintsShown).toBe(1);

    // The head of the line gets the freed slot.
    expect((await second.fetch('/api/labs/sandbox-tour/sandbox', { method: 'POST' })).status).toBe(200);
    page.close();
  });
});

describe('one server per data directory and instance', () => {
  it('refuses a second server on the same DATA_DIR, naming the first', async () => {
    const dataDir = mkdtempSync(path.join(os.tmpdir(), 'ebpf-labs-lock-'));
    const first = await startAppServer({ DATA_DIR: dataDir });
    try {
      const error = await startAppServer({ DATA_DIR: dataDir }).then(
        async (s) => (await s.stop(), undefined),
        (err: Error) => err,
      );
      expect(error?.message).toMatch(/server exited 1/);
      expect(error?.message).toMatch(new RegExp(`Another eBPF Labs server \\(pid ${first.pid} `));
      expect(error?.message).toMatch(/give this one its own DATA_DIR/);
    } finally {
      await first.stop();
    }
    // Stopped cleanly: the lock is gone, and the next server starts.
    const next = await startAppServer({ DATA_DIR: dataDir });
    await next.stop();
  });

  it('refuses a second server with the same instance on the engine', async () => {
    const instance = newInstanceName();
    const first = await startAppServer({}, instance);
    try {
      const error = await startAppServer({}, instance).then(
        async (s) => (await s.stop(), undefined),
        (err: Error) => err,
      );
      expect(error?.message).toMatch(new RegExp(`runs with EBPF_LABS_INSTANCE=${instance} on this Docker engine`));
    } finally {
      await first.stop();
    }
  });
});
