// The instructor view on the real server and engine: who may use it, what it shows of two learners in two labs (one
// failing a check), its live feed, and what its actions do to a learner's sandbox and page.
import WebSocket from 'ws';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AdminFeedMessage } from '@/lib/class/feed-messages';
import type { ClassSnapshot } from '@/lib/class/report';
import { loadConfig } from '@/lib/config';
import { connectSandboxEngine } from '@/lib/sandbox/engine';
import type { SandboxDriver } from '@/lib/sandbox/types';
import { Client, startAppServer, type AppServer } from '@/scripts/harness/app-server';
import { LabEventsClient } from '@/scripts/harness/lab-events-client';
import { TermClient } from '@/scripts/harness/terminal-client';
import { CLOSE } from '@/lib/terminal/protocol';

const TOKEN = 'an-instructor-token-for-tests';
const json = { 'content-type': 'application/json' };

/** The instructor view's socket, collecting what it sends. */
function openFeed(base: string, cookie: string) {
  const ws = new WebSocket(`${base.replace(/^http/, 'ws')}/ws/admin`, { headers: { cookie, origin: base } });
  const messages: AdminFeedMessage[] = [];
  ws.on('message', (d) => messages.push(JSON.parse(d.toString()) as AdminFeedMessage));
  const closed = new Promise<{ code: number; reason: string }>((resolve) => ws.on('close', (code, reason) => resolve({ code, reason: reason.toString() })));
  return { ws, messages, closed };
}

async function until<T>(what: string, fn: () => Promise<T | undefined> | T | undefined, timeoutMs = 30_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const v = await fn();
    if (v !== undefined && v !== false) return v;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 250));
  }
}

describe('instructor view', () => {
  let server: AppServer;
  let driver: SandboxDriver;
  const admin = () => new Client(server.url);
  let instructor: Client;

  beforeAll(async () => {
    server = await startAppServer({ ADMIN_TOKEN: TOKEN });
    ({ driver } = await connectSandboxEngine(loadConfig({ ...process.env, EBPF_LABS_INSTANCE: server.instance })));
  }, 120_000);
  afterAll(async () => {
    await server?.stop();
    await server?.removeSandboxes();
  });

  it('answers 401 to everyone without the instructor session, and logs in only with the right token', async () => {
    const stranger = admin();
    await stranger.fetch('/');
    const attempts: [string, RequestInit][] = [
      ['/api/admin/class', {}],
      ['/api/admin/export', {}],
      ['/api/admin/broadcast', { method: 'POST', body: JSON.stringify({ message: 'hi' }), headers: json }],
      ['/api/admin/pool', { method: 'PUT', body: JSON.stringify({ targets: {} }), headers: json }],
      ['/api/admin/learners/0123456789abcdef01234567/sandbox-tour', { method: 'POST', body: JSON.stringify({ action: 'stop' }), headers: json }],
    ];
    for (const [path, init] of attempts) expect((await stranger.fetch(path, init)).status, path).toBe(401);
    expect((await fetch(`${server.url}/metrics`)).status).toBe(401);
    const feed = openFeed(server.url, stranger.cookie);
    expect((await feed.closed).code).toBe(4401);

    const wrong = await stranger.fetch('/api/admin/session', { method: 'POST', body: JSON.stringify({ token: 'not-the-token-at-all' }), headers: json });
    expect(wrong.status).toBe(401);
    expect(wrong.headers.get('set-cookie')).toBeNull();
    instructor = admin();
    await instructor.fetch('/');
    const ok = await instructor.fetch('/api/admin/session', { method: 'POST', body: JSON.stringify({ token: TOKEN }), headers: json });
    expect(ok.status).toBe(204);
    expect(ok.headers.get('set-cookie')).toMatch(/^ebpf_labs_admin=.*HttpOnly.*SameSite=Strict/);
    expect((await instructor.fetch('/api/admin/class')).status).toBe(200);
    expect((await fetch(`${server.url}/metrics`, { headers: { cookie: instructor.cookie } })).status).toBe(200);
    // A script may send the token itself.
    expect((await fetch(`${server.url}/api/admin/class`, { headers: { authorization: `Bearer ${TOKEN}` } })).status).toBe(200);
    // The token is in no log line.
    expect(server.output.join('')).not.toContain(TOKEN);
  });

  it('shows two learners in two labs live, with step, time and reason; acts on one and their page is told', async () => {
    const feed = openFeed(server.url, instructor.cookie);
    await until('the feed history', () => feed.messages.find((m) => m.type === 'history'));

    const ann = new Client(server.url);
    const bea = new Client(server.url);
    await ann.fetch('/');
    await bea.fetch('/');
    expect((await bea.fetch('/api/me/name', { method: 'PUT', body: JSON.stringify({ name: '  Bea   B ' }), headers: json })).status).toBe(200);
    expect((await bea.fetch('/api/me/name', { method: 'PUT', body: JSON.stringify({ name: '<b>x</b>' }), headers: json })).status).toBe(400);
    const [annBox, beaBox] = await Promise.all([
      ann.fetch('/api/labs/sandbox-tour/sandbox', { method: 'POST' }).then((r) => r.json() as Promise<{ sandbox: { id: string } }>),
      bea.fetch('/api/labs/transparent-proxy/sandbox', { method: 'POST' }).then((r) => r.json() as Promise<{ sandbox: { id: string } }>),
    ]);
    // Ann fails step 1 (nothing pinned); Bea does step 1 and fails step 2.
    await ann.fetch('/api/labs/sandbox-tour/check', { method: 'POST', body: JSON.stringify({ step: '01-pin-a-map' }), headers: json });
    expect((await driver.exec(beaBox.sandbox.id, ['bash', '-lc', 'pod client iperf3 -c 10.10.0.2 -t 1'])).exitCode).toBe(0);
    const passed = await (await bea.fetch('/api/labs/transparent-proxy/check', { method: 'POST', body: JSON.stringify({ step: '01-meet-the-pods' }), headers: json })).json();
    expect(passed).toMatchObject({ passed: true });
    const beaFails = (await (await bea.fetch('/api/labs/transparent-proxy/check', { method: 'POST', body: JSON.stringify({ step: '02-capture-inbound' }), headers: json })).json()) as { passed: boolean; reason?: string };
    expect(beaFails.passed).toBe(false);

    const feedItem = await until('Ann\'s failure in the feed', () =>
      feed.messages.flatMap((m) => (m.type === 'item' ? [m.item] : [])).find((i) => i.kind === 'check' && i.lab === 'sandbox-tour' && i.passed === false),
    );
    expect(feedItem).toMatchObject({ step: '01-pin-a-map', reason: 'not-pinned' });
    expect(feed.messages.some((m) => m.type === 'item' && m.item.text === 'finished 01-meet-the-pods')).toBe(true);

    const snap = (await (await instructor.fetch('/api/admin/class')).json()) as ClassSnapshot;
    const annRow = snap.report.learners.find((r) => r.lab === 'sandbox-tour')!;
    const beaRow = snap.report.learners.find((r) => r.lab === 'transparent-proxy')!;
    expect(annRow).toMatchObject({ step: '01-pin-a-map', stepNumber: 1, lastCheck: { passed: false, reason: 'not-pinned' }, sandbox: { state: 'running', id: annBox.sandbox.id } });
    expect(annRow.sandbox.memoryBytes).toBeGreaterThan(0);
    expect(Date.now() - annRow.onStepSince!).toBeLessThan(120_000);
    expect(beaRow).toMatchObject({ displayName: 'Bea B', step: '02-capture-inbound', stepNumber: 2, doneCount: 1, lastCheck: { passed: false, reason: beaFails.reason } });
    const step1 = snap.report.steps.find((s) => s.lab === 'transparent-proxy' && s.step === '01-meet-the-pods')!;
    expect(step1).toMatchObject({ passed: 1, working: 0 });
    expect(step1.medianMs).toBeGreaterThanOrEqual(0);
    expect(snap.report.steps.find((s) => s.step === '01-pin-a-map')!.failures).toEqual([{ reason: 'not-pinned', coded: true, count: 1 }]);
    // A second reading gives the sandbox's CPU rate.
    await new Promise((r) => setTimeout(r, 600));
    const again = (await (await instructor.fetch('/api/admin/class')).json()) as ClassSnapshot;
    expect(again.report.learners.find((r) => r.lab === 'sandbox-tour')!.sandbox.cpuCores).toBeGreaterThanOrEqual(0);

    const csv = await (await instructor.fetch('/api/admin/export')).text();
    expect(csv.split('\r\n')[0]).toMatch(/^learner,name,lab,step/);
    expect(csv).toContain('Bea B');
    expect(csv).toContain('not-pinned');

    // A fresh sandbox for Bea: a new container, her progress kept, her page told.
    const beaPage = new LabEventsClient(server.url, 'transparent-proxy', bea.cookie);
    await beaPage.opened;
    const replaced = beaPage.next((e) => e.type === 'sandbox-replaced', 60_000);
    const beaId = snap.report.learners.find((r) => r.lab === 'transparent-proxy')!.learner;
    const reset = await instructor.fetch(`/api/admin/learners/${beaId}/transparent-proxy`, { method: 'POST', body: JSON.stringify({ action: 'reset' }), headers: json });
    expect(reset.status).toBe(200);
    await replaced;
    const now = (await (await bea.fetch('/api/labs/transparent-proxy/sandbox')).json()) as { sandbox: { id: string } };
    expect(now.sandbox.id).not.toBe(beaBox.sandbox.id);
    expect(await driver.inspect(beaBox.sandbox.id)).toBeUndefined();
    expect(((await (await bea.fetch('/api/labs/transparent-proxy/progress')).json()) as { doneCount: number }).doneCount).toBe(1);
    expect(server.output.join('')).toMatch(/instructor reset a sandbox/);

    // A message to every lab page; a page opened after it still gets it.
    const sent = beaPage.next((e) => e.type === 'broadcast');
    expect((await instructor.fetch('/api/admin/broadcast', { method: 'POST', body: JSON.stringify({ message: 'Break until 11:00' }), headers: json })).status).toBe(200);
    expect(await sent).toMatchObject({ message: 'Break until 11:00' });
    const annPage = new LabEventsClient(server.url, 'sandbox-tour', ann.cookie);
    expect(await annPage.next((e) => e.type === 'broadcast')).toMatchObject({ message: 'Break until 11:00' });

    // The instructor watches Ann's terminal: the screen as it is, then what follows; her page is told; nothing the
    // view sends reaches her shell.
    const annTerm = new TermClient(server.url, { lab: 'sandbox-tour', tab: 'sandbox', cookie: ann.cookie });
    await annTerm.opened;
    await annTerm.waitFor(/# $/m, 30_000);
    annTerm.type('echo before-$((6*7))\r');
    await annTerm.waitFor(/before-42/);
    const told = annPage.next((e) => e.type === 'watched');
    const view = new TermClient(server.url, { lab: 'sandbox-tour', tab: 'sandbox', cookie: instructor.cookie, watch: { learner: annRow.learner } });
    await view.opened;
    await view.waitFor(/before-42/);
    expect(view.controls.find((c) => c.type === 'hello')).toMatchObject({ screen: { cols: 80, rows: 24 } });
    expect(await told).toEqual({ type: 'watched', watching: true });
    annTerm.type('echo after-$((2*3))\r');
    await view.waitFor(/after-6/);
    const untold = annPage.next((e) => e.type === 'watched');
    view.type('echo injected-$((3*3))\r');
    expect(await view.waitClosed()).toMatchObject({ code: CLOSE.FORBIDDEN });
    expect(await untold).toEqual({ type: 'watched', watching: false });
    annTerm.type('echo still-$((1+1))\r');
    await annTerm.waitFor(/still-2/);
    expect(annTerm.plain).not.toContain('injected');
    // A learner cannot watch anyone: the view is the instructor's.
    const sneaky = new TermClient(server.url, { lab: 'sandbox-tour', tab: 'sandbox', cookie: bea.cookie, watch: { learner: annRow.learner } });
    expect(await sneaky.waitClosed()).toMatchObject({ code: CLOSE.NOT_AUTHENTICATED });
    annTerm.close();

    // The server's metrics saw the keystrokes' echo and the terminal's messages.
    const metrics = await (await instructor.fetch('/metrics')).text();
    expect(Number(/^ebpf_labs_keystroke_echo_seconds_count (\d+)/m.exec(metrics)?.[1])).toBeGreaterThan(0);
    expect(Number(/^ebpf_labs_ws_messages_total\{endpoint="terminal",direction="in"\} (\d+)/m.exec(metrics)?.[1])).toBeGreaterThan(0);

    // Stop Ann's: gone, and her page says the instructor did it.
    const stopped = annPage.next((e) => e.type === 'sandbox-stopped');
    const annId = annRow.learner;
    expect((await instructor.fetch(`/api/admin/learners/${annId}/sandbox-tour`, { method: 'POST', body: JSON.stringify({ action: 'stop' }), headers: json })).status).toBe(200);
    expect(await stopped).toMatchObject({ reason: 'instructor' });
    expect(await driver.inspect(annBox.sandbox.id)).toBeUndefined();
    beaPage.close();
    annPage.close();
    feed.ws.close();
  }, 240_000);
});
