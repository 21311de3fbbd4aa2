// Terminals end to end: a real server, a real sandbox, a real pty running docker exec, a WebSocket client.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CLOSE, FLOW, MAX_FRAME_BYTES } from '@/lib/terminal/protocol';
import { Client, startAppServer, type AppServer } from '@/scripts/harness/app-server';
import { TermClient } from '@/scripts/harness/terminal-client';

const LAB = 'sandbox-tour';
let server: AppServer;
let learner: Client;

beforeAll(async () => {
  server = await startAppServer();
  learner = new Client(server.url);
  await learner.fetch('/');
  const started = await learner.fetch(`/api/labs/${LAB}/sandbox`, { method: 'POST' });
  expect(started.status).toBe(200);
});
afterAll(async () => {
  await server?.stop();
  await server?.removeSandboxes();
});

const open = async (extra: Partial<ConstructorParameters<typeof TermClient>[1]> = {}) => {
  const t = new TermClient(server.url, { lab: LAB, tab: 'sandbox', cookie: learner.cookie, ...extra });
  await t.opened;
  return t;
};

describe('a terminal', () => {
  it('runs what is typed and shows its output', async () => {
    const t = await open();
    await t.waitFor(/^sandbox:~# $/m);
    t.type('echo "sum=$((40 + 2))"\r');
    await t.waitFor(/sum=42/);
    expect(t.text).not.toContain('\x1b]6973'); // command markers never reach the browser
    t.close();
  });

  it('follows resizes (stty size)', async () => {
    const t = await open({ cols: 90, rows: 30 });
    await t.waitFor(/# $/m);
    t.control({ type: 'resize', cols: 132, rows: 43 });
    await new Promise((r) => setTimeout(r, 200));
    t.type('stty size\r');
    await t.waitFor(/^43 132\r?$/m);
    t.close();
  });

  it('pauses the shell for a reader that falls behind, and resumes when it catches up', async () => {
    const t = await open({ autoAck: false, fresh: true });
    await t.waitFor(/# $/m);
    t.ackAll(t.received);
    const base = t.received;
    t.type('seq 1 400000; echo FLOW-$((6*7))-DONE\r'); // about 2.7 MB of output
    // Without acknowledgements the server sends a little past the high watermark, then stops.
    await new Promise((r) => setTimeout(r, 2000));
    const stalled = t.received - base;
    expect(stalled).toBeGreaterThan(FLOW.HIGH_WATERMARK);
    expect(stalled).toBeLessThan(FLOW.HIGH_WATERMARK + 128 * 1024);
    await new Promise((r) => setTimeout(r, 1000));
    expect(t.received - base).toBe(stalled); // still paused
    expect(t.text).not.toContain('FLOW-42-DONE');
    // Catching up: acknowledge as it comes.
    const timer = setInterval(() => t.ackAll(FLOW.ACK_SIZE * 4), 5);
    try {
      await t.waitFor(/FLOW-42-DONE/, 60_000);
    } finally {
      clearInterval(timer);
    }
    expect(t.text).toContain('\n400000\r\n');
    t.close();
  });

  it('after a reconnect, sends only what was missed, once', async () => {
    const t = await open({ fresh: true });
    await t.waitFor(/# $/m);
    t.type('echo BEFORE-$((1+1)); (sleep 1; echo AFTER-$((2+2))) &\r');
    await t.waitFor(/BEFORE-2/);
    const { session, offset } = t;
    t.close();
    await new Promise((r) => setTimeout(r, 2000)); // AFTER-4 is printed while nobody is attached

    const back = await open({ session, resume: offset });
    await back.waitFor(/AFTER-4/);
    expect(back.controls[0]).toMatchObject({ type: 'hello', resumed: true, offset });
    expect(back.text).not.toContain('BEFORE-2');
    expect(back.text.match(/AFTER-4/g)).toHaveLength(1);
    back.close();
  });

  it('restores the whole screen after a reload (no resume point), and it is the same shell', async () => {
    const t = await open({ fresh: true });
    await t.waitFor(/# $/m);
    t.type('echo PID=$$\r');
    const [, pid] = await t.waitFor(/PID=(\d+)/);
    t.close();
    const reload = await open();
    await reload.waitFor(/PID=\d+/);
    expect(reload.controls[0]).toMatchObject({ type: 'hello', resumed: false });
    reload.type('echo AGAIN=$$\r');
    await reload.waitFor(new RegExp(`AGAIN=${pid}`));
    reload.close();
  });

  it('lets a second tab take the terminal over and tells the first', async () => {
    const a = await open({ fresh: true });
    await a.waitFor(/# $/m);
    const b = await open();
    const closed = await a.waitClosed();
    expect(closed).toEqual({ code: CLOSE.REPLACED, reason: expect.stringMatching(/another browser tab/) });
    b.close();
  });

  it('says when the shell exits, and starts a new one on request', async () => {
    const t = await open({ fresh: true });
    await t.waitFor(/# $/m);
    t.type('exit 7\r');
    expect(await t.waitClosed()).toEqual({ code: CLOSE.ENDED, reason: 'The shell exited (code 7).' });
    expect(t.controls).toContainEqual({ type: 'exit', code: 7 });
    const fresh = await open({ fresh: true });
    await fresh.waitFor(/# $/m);
    fresh.close();
  });
});

describe('terminal security', () => {
  it('refuses an upgrade from another origin before it happens', async () => {
    const t = new TermClient(server.url, { lab: LAB, tab: 'sandbox', cookie: learner.cookie, origin: 'http://evil.example' });
    await expect(t.opened).rejects.toThrow(/HTTP 403/);
  });

  it('refuses a browser without the session cookie, and one whose learner has no sandbox', async () => {
    const anon = new TermClient(server.url, { lab: LAB, tab: 'sandbox', cookie: '' });
    await anon.opened;
    expect(await anon.waitClosed()).toMatchObject({ code: CLOSE.NOT_AUTHENTICATED, reason: expect.stringMatching(/cookie/) });

    const other = new Client(server.url);
    await other.fetch('/'); // a different learner: valid cookie, but the sandbox is not theirs
    const t = new TermClient(server.url, { lab: LAB, tab: 'sandbox', cookie: other.cookie });
    await t.opened;
    expect(await t.waitClosed()).toMatchObject({ code: CLOSE.NOT_FOUND, reason: expect.stringMatching(/start it first/) });

    const forged = new TermClient(server.url, { lab: LAB, tab: 'sandbox', cookie: learner.cookie.replace(/\.[^.]+$/, '.forged') });
    await forged.opened;
    expect((await forged.waitClosed()).code).toBe(CLOSE.NOT_AUTHENTICATED);
  });

  it.each([
    ['malformed JSON', (t: TermClient) => t.ws.send('{oops'), CLOSE.PROTOCOL, /malformed JSON/],
    ['an unknown message type', (t: TermClient) => t.control({ type: 'shell', cmd: 'id' }), CLOSE.PROTOCOL, /unknown control message type "shell"/],
    ['a binary frame that is not input', (t: TermClient) => t.ws.send(Buffer.from([9, 9, 9])), CLOSE.PROTOCOL, /must be input/],
    ['a frame over the size cap', (t: TermClient) => t.ws.send(Buffer.alloc(MAX_FRAME_BYTES + 1, 3)), CLOSE.TOO_BIG, /larger than 64 KiB/],
  ])('closes on %s with a code and a reason, and the server lives on', async (_name, send, code, reason) => {
    const t = await open();
    await t.waitFor(/# $/m);
    send(t);
    const closed = await t.waitClosed();
    expect(closed.code).toBe(code);
    expect(closed.reason).toMatch(reason);
    const next = await open();
    await next.waitFor(/# $/m);
    next.close();
  });

  it('closes on an ack for output it never sent (a client lifting flow control), and the server lives on', async () => {
    const t = await open({ autoAck: false });
    await t.waitFor(/# $/m);
    t.rawAck(t.received + FLOW.HIGH_WATERMARK);
    expect(await t.waitClosed()).toEqual({ code: CLOSE.PROTOCOL, reason: expect.stringMatching(/^ack for \d+ characters, but only \d+ are unacknowledged$/) });
    const next = await open();
    await next.waitFor(/# $/m);
    next.close();
  });

  it('refuses unknown labs and tabs with a reason', async () => {
    const t = new TermClient(server.url, { lab: LAB, tab: 'nope', cookie: learner.cookie });
    await t.opened;
    expect(await t.waitClosed()).toMatchObject({ code: CLOSE.NOT_FOUND, reason: expect.stringMatching(/no terminal "nope"/) });
  });
});

it('uses TCP_NODELAY-friendly small frames: a keystroke echo is one small frame', async () => {
  const t = await open();
  await t.waitFor(/# $/m);
  const before = t.received;
  t.type('x');
  await t.waitFor(/x$/);
  expect(t.received - before).toBe(1);
  t.type('\x15'); // Ctrl+U: clear the line
  t.close();
});
