// The app server on the real engine: catalog, learner cookie, sandbox start/stop, orphans, and a missing engine.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { LABEL } from '@/lib/sandbox/types';
import { Client, newInstanceName, startAppServer, type AppServer } from '@/scripts/harness/app-server';
import { testDriver } from '../helpers/sandbox';

describe('the app server', () => {
  let server: AppServer;
  let orphanId: string;

  beforeAll(async () => {
    // A sandbox left by an earlier run of this instance: the server must remove it when it starts.
    const instance = newInstanceName();
    const { driver } = await testDriver(instance);
    orphanId = (await driver.create({ owner: 'gone', lab: 'sandbox-tour' })).id;
    server = await startAppServer({}, instance);
  });
  afterAll(async () => {
    await server?.stop();
    await server?.removeSandboxes();
  });

  it('removed the orphan sandbox of its previous run at start-up', async () => {
    const { docker } = await testDriver();
    const left = await docker.listContainers({ all: true, filters: { label: [`${LABEL.instance}=${server.instance}`] } });
    expect(left.map((c) => c.Names[0])).not.toContain(`/${orphanId}`);
  });

  it('serves the catalog and gives the visitor a signed HttpOnly cookie', async () => {
    const client = new Client(server.url);
    const res = await client.fetch('/');
    expect(res.status).toBe(200);
    expect(res.headers.get('set-cookie')).toMatch(/ebpf_labs_learner=[a-f0-9]{24}\.[\w-]+; Path=\/; HttpOnly; SameSite=Lax/);
    const html = await res.text();
    expect(html).toContain('A tour of the sandbox');
    expect(html).toMatch(/proxy in the sandbox: .*(HAProxy|Envoy)/);
  });

  it('starts and stops a sandbox for the learner, labelled with the learner and the lab', async () => {
    const client = new Client(server.url);
    await client.fetch('/');
    const learner = client.cookie.split('=')[1]!.split('.')[0];
    const started = await client.fetch('/api/labs/sandbox-tour/sandbox', { method: 'POST' });
    const body = await started.json();
    expect(started.status).toBe(200);
    expect(body).toMatchObject({ state: 'running', sandbox: { proxy: expect.stringMatching(/haproxy|envoy/) } });

    const { docker } = await testDriver();
    const info = await docker.getContainer(body.sandbox.id).inspect();
    expect(info.Config.Labels).toMatchObject({ [LABEL.owner]: learner, [LABEL.lab]: 'sandbox-tour' });
    expect(info.HostConfig.NetworkMode).toBe('none');

    const again = await (await client.fetch('/api/labs/sandbox-tour/sandbox', { method: 'POST' })).json();
    expect(again.sandbox.id).toBe(body.sandbox.id);

    const stopped = await client.fetch('/api/labs/sandbox-tour/sandbox', { method: 'DELETE' });
    expect(await stopped.json()).toMatchObject({ state: 'none', stopped: true });
    await expect(docker.getContainer(body.sandbox.id).inspect()).rejects.toMatchObject({ statusCode: 404 });
  });

  it('serves Monaco itself (no CDN), and nothing outside its directory', async () => {
    const client = new Client(server.url);
    const loader = await client.fetch('/monaco/vs/loader.js');
    expect(loader.status).toBe(200);
    expect(loader.headers.get('content-type')).toMatch(/javascript/);
    expect((await client.fetch('/monaco/vs/editor/editor.main.js')).status).toBe(200);
    for (const p of ['/monaco/vs/..%2F..%2F..%2Fpackage.json', '/monaco/vs/%2e%2e/%2e%2e/package.json', '/monaco/vs/missing.js', '/monaco/vs/editor']) {
      expect((await client.fetch(p)).status, p).toBe(404);
    }
  });

  it('answers editor calls without a sandbox with what to do, and refuses paths out of the workspace', async () => {
    const client = new Client(server.url);
    await client.fetch('/');
    const noSandbox = await client.fetch('/api/labs/proxy-acceleration/files');
    expect(noSandbox.status).toBe(409);
    expect((await noSandbox.json()).error.hint).toMatch(/Start sandbox/);
    const noEditor = await client.fetch('/api/labs/sandbox-tour/files');
    expect(noEditor.status).toBe(404);
    expect((await noEditor.json()).error.code).toBe('no_editor');
    const bad = await client.fetch('/api/labs/proxy-acceleration/files/content', { method: 'PUT', body: '{"path":1}' });
    expect(bad.status).toBe(400);
  });

  it('refuses state changes from another origin and unknown labs, with a hint', async () => {
    const client = new Client(server.url);
    await client.fetch('/');
    const cross = await client.fetch('/api/labs/sandbox-tour/sandbox', { method: 'POST', headers: { origin: 'http://evil.example' } });
    expect(cross.status).toBe(403);
    const missing = await client.fetch('/api/labs/no-such-lab/sandbox', { method: 'POST' });
    expect(missing.status).toBe(404);
    expect((await missing.json()).error.hint).toBeTruthy();
  });
});

describe('WebSocket upgrades', () => {
  it('refuses paths nobody owns with 404, and passes /_next/ to Next (hot reload in development)', async () => {
    const dev = await startAppServer({ NODE_ENV: 'development' });
    try {
      await new Client(dev.url).fetch('/'); // compiles the page; Next attaches its upgrade handler
      const ws = (path: string) =>
        new Promise<string>((resolve) => {
          const sock = new WebSocket(dev.url.replace('http', 'ws') + path);
          sock.once('message', (m) => {
            resolve(`message ${String(m).slice(0, 40)}`);
            sock.close();
          });
          sock.once('unexpected-response', (_req, res) => resolve(`status ${res.statusCode}`));
          sock.once('error', () => resolve('error'));
          setTimeout(() => resolve('timeout'), 10_000);
        });
      expect(await ws('/_next/hmr')).toMatch(/^message /);
      expect(await ws('/not-a-socket')).toBe('status 404');
    } finally {
      await dev.stop();
    }
  });
});

describe('without a Docker engine', () => {
  let server: AppServer;
  beforeAll(async () => {
    server = await startAppServer({ DOCKER_HOST: 'unix:///tmp/ebpf-labs-no-such-docker.sock' });
  });
  afterAll(() => server?.stop());

  it('still serves pages, which explain what to do', async () => {
    const res = await new Client(server.url).fetch('/');
    expect(res.status).toBe(200);
    const html = await res.text();
    expect(html).toContain('The sandbox engine is not available');
    expect(html).toContain('ebpf-labs-no-such-docker.sock');
    expect(html).toContain('npm run setup');
  });

  it('answers API calls with 503 and the same hint', async () => {
    const client = new Client(server.url);
    await client.fetch('/');
    const res = await client.fetch('/api/labs/sandbox-tour/sandbox', { method: 'POST' });
    expect(res.status).toBe(503);
    const body = await res.json();
    expect(body.error.code).toBe('docker_unavailable');
    expect(body.error.hint).toMatch(/npm run setup/);
  });
});
