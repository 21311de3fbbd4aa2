import { describe, expect, it } from 'vitest';
import { localMirrors } from './local-mirrors';
import type { Mirror, MirrorEvents, MirrorFactory } from './mirror-host';
import type { ScreenSnapshot } from './mirror-messages';
import { CLOSE, FLOW, FRAME, ProtocolError, decodeData, type ControlToClient } from './protocol';
import { ReplayBuffer } from './replay-buffer';
import { ScreenMirror } from './screen-mirror';
import { TerminalSession, type Peer, type PtyLike } from './session';

class FakePty implements PtyLike {
  pid = 42;
  written: string[] = [];
  paused = false;
  size = { cols: 80, rows: 24 };
  killed = false;
  private onDataCb?: (d: string, history?: boolean) => void;
  private onExitCb?: (e: { exitCode: number | null; signal?: number }) => void;
  ready?: Promise<void>;
  released = false;
  onData(cb: (d: string, history?: boolean) => void) {
    this.onDataCb = cb;
  }
  onExit(cb: (e: { exitCode: number | null; signal?: number }) => void) {
    this.onExitCb = cb;
  }
  write(d: string) {
    this.written.push(d);
  }
  resize(cols: number, rows: number) {
    this.size = { cols, rows };
  }
  pause() {
    this.paused = true;
  }
  resume() {
    this.paused = false;
  }
  kill() {
    this.killed = true;
    this.exit(0, 1);
  }
  release() {
    this.released = true;
  }
  emit(d: string, history = false) {
    this.onDataCb!(d, history);
  }
  exit(code: number | null, signal = 0) {
    this.onExitCb!({ exitCode: code, signal });
  }
}

class FakePeer implements Peer {
  frames: ReturnType<typeof decodeData>[] = [];
  controls: ControlToClient[] = [];
  closed?: { code: number; reason: string };
  sendBinary(f: Uint8Array) {
    this.frames.push(decodeData(f));
  }
  sendControl(m: ControlToClient) {
    this.controls.push(m);
  }
  close(code: number, reason: string) {
    this.closed = { code, reason };
  }
  get text() {
    return this.frames.map((f) => f.text).join('');
  }
}

/** Output is sent at the end of the event-loop turn: let that turn end. */
const tick = () => new Promise<void>((r) => setImmediate(r));

/** Mirrors that keep up with any output at once (for tests of everything but restores). */
const instantMirrors: MirrorFactory = {
  create: (_cols, _rows, events) => ({
    write: (text) => events.parsed(text.length),
    resize: () => {},
    snapshot: () => Promise.reject(new Error('no screen here')),
    dispose: () => {},
  }),
  close: () => {},
};

const setup = (mirrors: MirrorFactory = instantMirrors, replay?: ReplayBuffer) => {
  const pty = new FakePty();
  return { pty, session: new TerminalSession('s1', 'sb', 'server', 'server', pty, { mirrors, cols: 80, rows: 24, replay }) };
};

/** Mirrors whose progress the test decides: what they were told, parsed when asked, snapshots answered by hand. */
class ManualMirrors implements MirrorFactory {
  made: { events: MirrorEvents; written: string[]; sizes: [number, number][]; snapshots: ((s: ScreenSnapshot) => void)[]; fail: ((e: Error) => void)[] }[] = [];
  create(cols: number, rows: number, events: MirrorEvents): Mirror {
    const m = { events, written: [] as string[], sizes: [[cols, rows]] as [number, number][], snapshots: [] as ((s: ScreenSnapshot) => void)[], fail: [] as ((e: Error) => void)[] };
    this.made.push(m);
    return {
      write: (text) => m.written.push(text),
      resize: (c, r) => m.sizes.push([c, r]),
      snapshot: () => new Promise((resolve, reject) => (m.snapshots.push(resolve), m.fail.push(reject))),
      dispose: () => {},
    };
  }
  close() {}
}

/** The screen a browser shows after drawing everything a peer received on a fresh terminal of the restore's size. */
async function browserScreen(peer: FakePeer): Promise<{ lines: string[]; size: [number, number] }> {
  const hello = peer.controls.find((c) => c.type === 'hello');
  if (hello?.type !== 'hello' || !hello.screen) throw new Error('no screen restore');
  const term = new ScreenMirror(hello.screen.cols, hello.screen.rows);
  term.write(peer.frames.map((f) => f.text).join(''));
  const lines = await term.lines();
  term.dispose();
  return { lines, size: [hello.screen.cols, hello.screen.rows] };
}


describe('TerminalSession', () => {
  it('replays everything to a fresh browser, then streams live output at the right offsets', async () => {
    const { pty, session } = setup();
    pty.emit('before\r\n');
    const peer = new FakePeer();
    session.attach(peer);
    expect(peer.controls[0]).toEqual({ type: 'hello', session: 's1', tab: 'server', pod: 'server', resumed: false, offset: 0 });
    expect(peer.frames[0]).toEqual({ kind: FRAME.REPLAY, offset: 0, text: 'before\r\n' });
    pty.emit('after');
    await tick();
    expect(peer.frames[1]).toEqual({ kind: FRAME.OUTPUT, offset: 8, text: 'after' });
  });

  it('sends a reconnecting browser only what it missed', async () => {
    const { pty, session } = setup();
    const first = new FakePeer();
    session.attach(first);
    pty.emit('one ');
    await tick();
    session.detach(first);
    pty.emit('two ');
    pty.emit('three');
    const again = new FakePeer();
    session.attach(again, { resumeFrom: 4 });
    expect(again.controls[0]).toMatchObject({ type: 'hello', resumed: true, offset: 4 });
    expect(again.frames).toEqual([{ kind: FRAME.OUTPUT, offset: 4, text: 'two three' }]);
  });

  it('keeps the shell running while no browser is attached', async () => {
    const { pty, session } = setup();
    const peer = new FakePeer();
    session.attach(peer);
    session.detach(peer);
    pty.emit('x'.repeat(FLOW.HIGH_WATERMARK * 2));
    await tick();
    expect(pty.paused).toBe(false);
  });

  it('pauses the shell when the browser falls behind and resumes when it catches up', async () => {
    const { pty, session } = setup();
    const peer = new FakePeer();
    session.attach(peer);
    pty.emit('x'.repeat(FLOW.HIGH_WATERMARK + 1));
    await tick();
    expect(pty.paused).toBe(true);
    session.ack(FLOW.HIGH_WATERMARK - FLOW.LOW_WATERMARK);
    expect(pty.paused).toBe(true);
    session.ack(FLOW.ACK_SIZE);
    expect(pty.paused).toBe(false);
  });

  it('hands the terminal to a second browser and tells the first', () => {
    const { session } = setup();
    const a = new FakePeer();
    const b = new FakePeer();
    session.attach(a);
    session.attach(b);
    expect(a.closed).toEqual({ code: CLOSE.REPLACED, reason: expect.stringMatching(/another browser tab/) });
    session.detach(a); // the first one's late close must not detach the second
    expect(session.attached).toBe(true);
  });

  it('sends output read in one turn of the event loop as one frame', async () => {
    const { pty, session } = setup();
    const peer = new FakePeer();
    session.attach(peer);
    pty.emit('a');
    pty.emit('b');
    pty.emit('c');
    await tick();
    expect(peer.frames.slice(1)).toEqual([{ kind: FRAME.OUTPUT, offset: 0, text: 'abc' }]);
  });

  it('removes command markers from the output and raises them as events', async () => {
    const { pty, session } = setup();
    const seen: string[] = [];
    session.on('marker', (m) => seen.push(`${m.name}:${m.args.join(',')}`));
    const peer = new FakePeer();
    session.attach(peer);
    pty.emit('ok\r\n\x1b]6973;do');
    await tick();
    pty.emit('ne;0\x07# ');
    await tick();
    expect(peer.text).toBe('ok\r\n# ');
    expect(seen).toEqual(['done:0']);
  });

  it('says when the shell exited, to the browser attached and to the next one', () => {
    const { pty, session } = setup();
    const peer = new FakePeer();
    session.attach(peer);
    pty.emit('bye\r\n');
    pty.exit(130);
    expect(peer.text).toBe('bye\r\n'); // the last output goes out before the exit notice
    expect(peer.controls.at(-1)).toEqual({ type: 'exit', code: 130, signal: undefined });
    expect(peer.closed).toEqual({ code: CLOSE.ENDED, reason: 'The shell exited (code 130).' });
    const later = new FakePeer();
    session.attach(later);
    expect(later.closed?.code).toBe(CLOSE.ENDED);
  });

  it('passes input and sizes to the pty, and nothing after the shell ended', () => {
    const { pty, session } = setup();
    session.input('ls\r');
    session.resize(120, 40);
    expect(pty.written).toEqual(['ls\r']);
    expect(pty.size).toEqual({ cols: 120, rows: 40 });
    pty.exit(0);
    session.input('more\r');
    expect(pty.written).toEqual(['ls\r']);
  });

  it('refuses an ack for more than was sent: a protocol error, and flow control stays in force', async () => {
    const { pty, session } = setup();
    const peer = new FakePeer();
    session.attach(peer);
    pty.emit('x'.repeat(FLOW.HIGH_WATERMARK + 1));
    await tick();
    expect(pty.paused).toBe(true);
    expect(() => session.ack(FLOW.HIGH_WATERMARK + 2, peer)).toThrow(ProtocolError);
    expect(() => session.ack(FLOW.HIGH_WATERMARK + 2, peer)).toThrow(/ack for 100002 characters, but only 100001 are unacknowledged/);
    expect(pty.paused).toBe(true);
    expect(session.unacked).toBe(FLOW.HIGH_WATERMARK + 1);
    session.ack(FLOW.HIGH_WATERMARK + 1, peer); // exactly what was sent is fine
    expect(pty.paused).toBe(false);
    expect(() => session.ack(1, peer)).toThrow(ProtocolError);
  });

  it('ignores acks from a browser that was replaced: they count another browser\'s output', async () => {
    const { pty, session } = setup();
    const a = new FakePeer();
    const b = new FakePeer();
    session.attach(a);
    session.attach(b);
    pty.emit('x'.repeat(FLOW.HIGH_WATERMARK + 1));
    await tick();
    session.ack(FLOW.HIGH_WATERMARK, a);
    expect(session.unacked).toBe(FLOW.HIGH_WATERMARK + 1);
    expect(pty.paused).toBe(true);
  });

  it('keeps the output the shell printed before the session (after a restart) without raising its markers', async () => {
    const { pty, session } = setup();
    const seen: string[] = [];
    session.on('marker', (m) => seen.push(m.name));
    pty.emit('old command\r\n\x1b]6973;done;0\x07# ', true);
    pty.emit('new\r\n\x1b]6973;done;0\x07');
    await tick();
    expect(seen).toEqual(['done']);
    const peer = new FakePeer();
    session.attach(peer);
    expect(peer.frames).toEqual([{ kind: FRAME.REPLAY, offset: 0, text: 'old command\r\n# new\r\n' }]);
  });

  it('waits for the shell\'s history before a browser is attached, but not forever', async () => {
    const { pty, session } = setup();
    let ready!: () => void;
    pty.ready = new Promise((r) => (ready = r));
    let done = false;
    void session.whenReady(60_000).then(() => (done = true));
    await tick();
    expect(done).toBe(false);
    ready();
    await tick();
    expect(done).toBe(true);
    pty.ready = new Promise(() => {});
    await expect(session.whenReady(10)).resolves.toBeUndefined();
  });

  it('lets go of the shell without ending it when the server stops', () => {
    const { pty, session } = setup();
    session.attach(new FakePeer());
    session.release();
    expect(pty.released).toBe(true);
    expect(pty.killed).toBe(false);
    expect(session.attached).toBe(false);
  });

  it('says the shell ended when nobody knows how', () => {
    const { pty, session } = setup();
    const peer = new FakePeer();
    session.attach(peer);
    pty.exit(null);
    expect(peer.closed).toEqual({ code: CLOSE.ENDED, reason: 'The shell ended.' });
  });
});

const PROMPT = 'sandbox:~# ';
const LONG = `bpftool prog load redirect.bpf.o /sys/fs/bpf/accel_msg type sk_msg${' && bpftool prog list'.repeat(6)}`;

describe('TerminalSession screen restores (screen=1)', () => {
  it('gives a fresh browser the screen and scrollback exactly, at its size, then the live output', async () => {
    const { pty, session } = setup(localMirrors());
    // Printed at 80 columns, with the cursor movements readline uses to redraw a long line it edits.
    pty.emit(`${PROMPT}${LONG}\r\n`);
    pty.emit(`result\r\n${PROMPT}echo one two\x1b[3Dfour\x1b[K`);
    await tick();
    const peer = new FakePeer();
    session.attach(peer, { screen: true, cols: 57, rows: 20 });
    await until(() => peer.frames.length > 0);
    const hello = peer.controls[0]!;
    expect(hello).toMatchObject({ type: 'hello', resumed: false, screen: { cols: 57, rows: 20 } });
    expect(peer.frames[0]).toMatchObject({ kind: FRAME.REPLAY, offset: 0 });
    expect(peer.frames[0]!.text.startsWith('\x1bc')).toBe(true);
    const { lines } = await browserScreen(peer);
    expect(lines.slice(0, 3)).toEqual([`${PROMPT}${LONG}`, 'result', `${PROMPT}echo one four`]);
    // Live output continues where the restore left off.
    pty.emit('!');
    await tick();
    expect(peer.frames.at(-1)).toEqual({ kind: FRAME.OUTPUT, offset: (hello as { offset: number }).offset, text: '!' });
    expect(pty.size).toEqual({ cols: 57, rows: 20 });
  });

  it('restores the whole screen even when the raw output kept no longer reaches back to it', async () => {
    const { pty, session } = setup(localMirrors(), new ReplayBuffer(2000));
    pty.emit(`\x1b[44m${PROMPT}${LONG}\x1b[0m\r\n`);
    await tick();
    for (let i = 0; i < 20; i++) {
      pty.emit(`${'x'.repeat(150)}\r\n`);
      await tick();
    }
    const peer = new FakePeer();
    session.attach(peer, { screen: true, cols: 80, rows: 24 });
    await until(() => peer.frames.length > 0);
    const { lines } = await browserScreen(peer);
    expect(lines[0]).toBe(`${PROMPT}${LONG}`);
    expect(lines.filter((l) => l === 'x'.repeat(150))).toHaveLength(20);
  });

  it('sends output printed while the restore was being made after it, once', async () => {
    const mirrors = new ManualMirrors();
    const { pty, session } = setup(mirrors);
    pty.emit('before ');
    await tick();
    const peer = new FakePeer();
    session.attach(peer, { screen: true });
    pty.emit('during');
    await tick();
    expect(peer.frames).toEqual([]); // nothing before the restore
    mirrors.made[0]!.snapshots[0]!({ screen: '\x1bcbefore ', cols: 80, rows: 24 });
    await tick();
    expect(peer.controls[0]).toMatchObject({ type: 'hello', offset: 7, screen: { chars: 9 } });
    expect(peer.frames).toEqual([
      { kind: FRAME.REPLAY, offset: 0, text: '\x1bcbefore ' },
      { kind: FRAME.OUTPUT, offset: 7, text: 'during' },
    ]);
  });

  it('sends nothing to a browser that left or was replaced while its restore was made', async () => {
    const mirrors = new ManualMirrors();
    const { session } = setup(mirrors);
    const gone = new FakePeer();
    session.attach(gone, { screen: true });
    session.detach(gone);
    const first = new FakePeer();
    const second = new FakePeer();
    session.attach(first, { screen: true });
    session.attach(second, { screen: true });
    expect(first.closed?.code).toBe(CLOSE.REPLACED);
    for (const answer of mirrors.made[0]!.snapshots) answer({ screen: '\x1bc', cols: 80, rows: 24 });
    await tick();
    expect(gone.frames).toEqual([]);
    expect(first.frames).toEqual([]);
    expect(second.frames).toHaveLength(1);
    expect(session.attached).toBe(true);
  });

  it('gives the screen, then the exit, when the shell ended while the restore was made', async () => {
    const mirrors = new ManualMirrors();
    const { pty, session } = setup(mirrors);
    const peer = new FakePeer();
    session.attach(peer, { screen: true });
    pty.exit(0);
    mirrors.made[0]!.snapshots[0]!({ screen: '\x1bcbye', cols: 80, rows: 24 });
    await tick();
    expect(peer.frames).toHaveLength(1);
    expect(peer.controls.at(-1)).toMatchObject({ type: 'exit', code: 0 });
    expect(peer.closed?.code).toBe(CLOSE.ENDED);
  });

  it('pauses the shell while its mirror is behind, with or without a browser', async () => {
    const mirrors = new ManualMirrors();
    const { pty, session } = setup(mirrors);
    pty.emit('x'.repeat(FLOW.HIGH_WATERMARK + 1));
    await tick();
    expect(pty.paused).toBe(true);
    const events = mirrors.made[0]!.events;
    events.parsed(FLOW.HIGH_WATERMARK - FLOW.LOW_WATERMARK);
    expect(pty.paused).toBe(true);
    events.parsed(FLOW.LOW_WATERMARK);
    expect(pty.paused).toBe(false);
    // A browser keeping up does not lift it.
    session.attach(new FakePeer());
    pty.emit('y'.repeat(FLOW.HIGH_WATERMARK + 1));
    await tick();
    session.ack(FLOW.HIGH_WATERMARK + 1);
    expect(pty.paused).toBe(true);
  });

  it('resizes the mirror with the shell, in order with the output, and not for the size it already has', async () => {
    const mirrors = new ManualMirrors();
    const { pty, session } = setup(mirrors);
    session.resize(80, 24);
    session.resize(100, 30);
    session.attach(new FakePeer(), { screen: true, cols: 100, rows: 30 });
    expect(mirrors.made[0]!.sizes).toEqual([
      [80, 24],
      [100, 30],
    ]);
    expect(pty.size).toEqual({ cols: 100, rows: 30 });
  });

  it('rebuilds a lost mirror from the output it still has, and falls back to that output for a waiting browser', async () => {
    const mirrors = new ManualMirrors();
    const { pty, session } = setup(mirrors);
    pty.emit('kept\r\n');
    await tick();
    const peer = new FakePeer();
    session.attach(peer, { screen: true });
    mirrors.made[0]!.fail[0]!(new Error('worker died'));
    mirrors.made[0]!.events.lost();
    await tick();
    expect(mirrors.made[1]!.written).toEqual(['kept\r\n']);
    expect(peer.frames).toEqual([{ kind: FRAME.REPLAY, offset: 0, text: 'kept\r\n' }]);
  });
});

async function until(cond: () => boolean, timeoutMs = 5000) {
  const end = Date.now() + timeoutMs;
  while (!cond()) {
    if (Date.now() > end) throw new Error('condition not met');
    await new Promise((r) => setTimeout(r, 5));
  }
}

/** An instructor's read-only view, with a send buffer the test fills. */
class FakeObserver extends FakePeer {
  buffered = 0;
  bufferedBytes() {
    return this.buffered;
  }
}

describe('TerminalSession observers (the instructor watching, read-only)', () => {
  it('gives an observer the screen as it is, then the live output, without touching the learner\'s flow control or size', async () => {
    const { pty, session } = setup(localMirrors());
    const learner = new FakePeer();
    session.attach(learner, { cols: 80, rows: 24 });
    pty.emit(`${PROMPT}ls\r\nfile\r\n${PROMPT}`);
    await tick();
    const unackedBefore = session.unacked;
    const watcher = new FakeObserver();
    const ended = session.observe(watcher);
    await until(() => watcher.frames.length > 0);
    expect(watcher.controls[0]).toMatchObject({ type: 'hello', resumed: false, screen: { cols: 80, rows: 24 } });
    const { lines } = await browserScreen(watcher);
    expect(lines.slice(0, 3).map((l) => l.trimEnd())).toEqual([`${PROMPT}ls`, 'file', PROMPT.trimEnd()]);
    pty.emit('echo hi');
    await tick();
    expect(watcher.frames.at(-1)).toMatchObject({ kind: FRAME.OUTPUT, text: 'echo hi' });
    expect(learner.frames.at(-1)).toMatchObject({ kind: FRAME.OUTPUT, text: 'echo hi' });
    // Only the learner's browser counts for flow control, and the observer's size is never the shell's.
    expect(session.unacked).toBe(unackedBefore + 'echo hi'.length);
    expect(pty.size).toEqual({ cols: 80, rows: 24 });
    expect(session.observers).toBe(1);
    ended();
    pty.emit('more');
    await tick();
    expect(watcher.text).not.toContain('more');
    expect(session.observers).toBe(0);
  });

  it('drops an observer that does not keep up, instead of buffering for it', async () => {
    const { pty, session } = setup(localMirrors());
    const watcher = new FakeObserver();
    session.observe(watcher);
    await until(() => watcher.controls.length > 0);
    watcher.buffered = 64 * 1024 * 1024;
    pty.emit('x'.repeat(10));
    await tick();
    expect(watcher.closed?.code).toBe(CLOSE.TRY_AGAIN_LATER);
    expect(session.observers).toBe(0);
  });

  it('tells observers when the shell ends', async () => {
    const { pty, session } = setup(localMirrors());
    const watcher = new FakeObserver();
    session.observe(watcher);
    await until(() => watcher.controls.length > 0);
    pty.exit(0);
    expect(watcher.closed?.code).toBe(CLOSE.ENDED);
    expect(session.observers).toBe(0);
  });
});

describe('TerminalSession keystroke echo', () => {
  it('reports the time from a keystroke to the shell\'s next output, once per keystroke answered', async () => {
    let now = 1000;
    const { pty, session } = setup();
    session.clock = () => now;
    const echoes: number[] = [];
    session.on('echo', (ms) => echoes.push(ms));
    pty.emit('unasked output');
    session.input('a');
    now += 3;
    session.input('b'); // typed before the first echo: timed from the first
    now += 2;
    pty.emit('ab');
    pty.emit('more');
    await tick();
    expect(echoes).toEqual([5]);
  });
});
