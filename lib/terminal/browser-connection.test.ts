import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { TerminalConnection, type ConnectionStatus } from './browser-connection';
import { CLOSE, FLOW, FRAME, encodeData } from './protocol';

class FakeSocket {
  static all: FakeSocket[] = [];
  readyState = 0;
  binaryType = '';
  sent: (string | Uint8Array)[] = [];
  onmessage?: (ev: { data: unknown }) => void;
  onclose?: (ev: { code: number; reason: string }) => void;
  onopen?: () => void;
  constructor(readonly url: string) {
    FakeSocket.all.push(this);
  }
  open() {
    this.readyState = 1;
    this.onopen?.();
  }
  send(d: string | Uint8Array) {
    this.sent.push(d);
  }
  close(code: number = CLOSE.NORMAL, reason = '') {
    this.readyState = 3;
    this.onclose?.({ code, reason });
  }
  server(data: unknown) {
    const d = data instanceof Uint8Array ? data.buffer.slice(data.byteOffset, data.byteOffset + data.byteLength) : data;
    this.onmessage?.({ data: d });
  }
}

function setup(opts: { slowWrites?: (() => void)[] } = {}) {
  FakeSocket.all = [];
  const screen: string[] = [];
  const statuses: ConnectionStatus[] = [];
  const events: string[] = [];
  // xterm calls `done` once it has written the text: at once, or later when the test says (slowWrites).
  const written = (done: () => void) => (opts.slowWrites ? opts.slowWrites.push(done) : done());
  const conn = new TerminalConnection(
    { endpoint: 'ws://x/ws/terminal', lab: 'l', tab: 'server' },
    {
      reset(size) {
        screen.length = 0;
        events.push(size ? `reset ${size.cols}x${size.rows}` : 'reset');
      },
      output(text, done) {
        screen.push(text);
        written(done);
      },
      restored: () => events.push('restored'),
      status: (s) => statuses.push(s),
    },
    (url) => new FakeSocket(url) as unknown as WebSocket,
  );
  return { conn, screen, statuses, events };
}

const hello = (session: string, resumed: boolean, offset = 0, screen?: { cols: number; rows: number; chars: number }) =>
  JSON.stringify({ type: 'hello', session, tab: 'server', resumed, offset, ...(screen ? { screen } : {}) });

describe('TerminalConnection', () => {
  beforeEach(() => vi.useFakeTimers());
  afterEach(() => vi.useRealTimers());

  it('sends its size on open and acknowledges written output in ACK_SIZE steps', () => {
    const { conn, screen } = setup();
    conn.resize(100, 30);
    conn.connect();
    const ws = FakeSocket.all[0]!;
    expect(ws.url).toContain('cols=100');
    ws.open();
    expect(ws.sent[0]).toBe('{"type":"resize","cols":100,"rows":30}');
    ws.server(hello('s1', false));
    ws.server(encodeData(FRAME.REPLAY, 0, 'x'.repeat(FLOW.ACK_SIZE - 1)));
    expect(ws.sent).toHaveLength(1);
    ws.server(encodeData(FRAME.OUTPUT, FLOW.ACK_SIZE - 1, 'yy'));
    expect(ws.sent[1]).toBe(JSON.stringify({ type: 'ack', chars: FLOW.ACK_SIZE + 1 }));
    expect(screen.join('')).toHaveLength(FLOW.ACK_SIZE + 1);
  });

  it('reconnects by itself after a drop, resuming from what it rendered', () => {
    const { conn, screen, statuses } = setup();
    conn.connect();
    const ws = FakeSocket.all[0]!;
    ws.open();
    ws.server(hello('s1', false));
    ws.server(encodeData(FRAME.REPLAY, 0, 'abc'));
    ws.close(CLOSE.ABNORMAL);
    expect(statuses.at(-1)).toMatchObject({ state: 'reconnecting', attempt: 1 });
    vi.advanceTimersByTime(300);
    const again = FakeSocket.all[1]!;
    expect(again.url).toContain('session=s1');
    expect(again.url).toContain('resume=3');
    again.open();
    again.server(hello('s1', true, 3));
    again.server(encodeData(FRAME.OUTPUT, 3, 'def'));
    expect(screen.join('')).toBe('abcdef');
    expect(statuses.at(-1)).toEqual({ state: 'connected', resumed: true });
  });

  it('starts over with a full replay when output does not continue where it is', () => {
    const { conn } = setup();
    conn.connect();
    const ws = FakeSocket.all[0]!;
    ws.open();
    ws.server(hello('s1', false));
    ws.server(encodeData(FRAME.REPLAY, 0, 'abc'));
    ws.server(encodeData(FRAME.OUTPUT, 10, 'gap'));
    const again = FakeSocket.all[1]!;
    expect(again.url).not.toContain('resume=');
  });

  it('does not reconnect when replaced, ended or refused, and says why', () => {
    for (const [code, state] of [
      [CLOSE.REPLACED, 'replaced'],
      [CLOSE.ENDED, 'ended'],
      [CLOSE.PROTOCOL, 'refused'],
    ] as const) {
      const { conn, statuses } = setup();
      conn.connect();
      FakeSocket.all[0]!.open();
      FakeSocket.all[0]!.close(code, 'because');
      vi.advanceTimersByTime(10_000);
      expect(FakeSocket.all).toHaveLength(1);
      expect(statuses.at(-1)).toMatchObject({ state, reason: 'because' });
    }
  });

  it('asks for a new shell after the old one ended', () => {
    const { conn } = setup();
    conn.connect();
    FakeSocket.all[0]!.open();
    FakeSocket.all[0]!.server(hello('s1', false));
    FakeSocket.all[0]!.close(CLOSE.ENDED, 'exited');
    conn.connect({ fresh: true });
    expect(FakeSocket.all[1]!.url).toContain('fresh=1');
    expect(FakeSocket.all[1]!.url).not.toContain('session=');
  });

  it('never acknowledges output of a closed socket on the next one', () => {
    const slowWrites: (() => void)[] = [];
    const { conn } = setup({ slowWrites });
    conn.connect();
    const first = FakeSocket.all[0]!;
    first.open();
    first.server(hello('s1', false));
    first.server(encodeData(FRAME.REPLAY, 0, 'x'.repeat(FLOW.ACK_SIZE * 2)));
    first.close(CLOSE.ABNORMAL);
    vi.advanceTimersByTime(1000);
    const second = FakeSocket.all[1]!;
    second.open();
    second.server(hello('s1', true, FLOW.ACK_SIZE * 2));
    for (const done of slowWrites.splice(0)) done(); // xterm finishes writing the first socket's output now
    expect(second.sent.filter((m) => typeof m === 'string' && m.includes('"ack"'))).toEqual([]);
    second.server(encodeData(FRAME.OUTPUT, FLOW.ACK_SIZE * 2, 'y'.repeat(FLOW.ACK_SIZE)));
    for (const done of slowWrites.splice(0)) done();
    expect(second.sent.filter((m) => typeof m === 'string' && m.includes('"ack"'))).toEqual([
      JSON.stringify({ type: 'ack', chars: FLOW.ACK_SIZE }),
    ]);
  });

  it('asks for screen restores, draws one at its size in pieces, then goes on with live output', () => {
    const { conn, screen, events } = setup();
    conn.connect();
    const ws = FakeSocket.all[0]!;
    expect(ws.url).toContain('screen=1');
    ws.open();
    const restore = '\x1bc' + 'r'.repeat(FLOW.ACK_SIZE);
    ws.server(hello('s1', false, 500, { cols: 90, rows: 20, chars: restore.length }));
    expect(events).toEqual(['reset 90x20']);
    ws.server(encodeData(FRAME.REPLAY, 0, restore.slice(0, 100)));
    expect(events).toEqual(['reset 90x20']);
    ws.server(encodeData(FRAME.REPLAY, 100, restore.slice(100)));
    expect(events).toEqual(['reset 90x20', 'restored']);
    ws.server(encodeData(FRAME.OUTPUT, 500, 'live'));
    expect(screen.join('')).toBe(restore + 'live');
    // The restore counts for flow control like any output the server sent.
    expect(ws.sent.at(-1)).toBe(JSON.stringify({ type: 'ack', chars: restore.length }));
    ws.close(CLOSE.ABNORMAL);
    vi.advanceTimersByTime(300);
    expect(FakeSocket.all[1]!.url).toContain('resume=504');
  });

  it('asks for a whole new restore when the connection dropped in the middle of one', () => {
    const { conn } = setup();
    conn.connect();
    const ws = FakeSocket.all[0]!;
    ws.open();
    ws.server(hello('s1', false, 500, { cols: 90, rows: 20, chars: 10 }));
    ws.server(encodeData(FRAME.REPLAY, 0, '\x1bcabc'));
    ws.close(CLOSE.ABNORMAL);
    vi.advanceTimersByTime(300);
    expect(FakeSocket.all[1]!.url).not.toContain('resume=');
    expect(FakeSocket.all[1]!.url).not.toContain('session=');
  });

  it('starts over when a restore comes out of order or live output overtakes it', () => {
    for (const wrong of [encodeData(FRAME.REPLAY, 3, 'abc'), encodeData(FRAME.OUTPUT, 500, 'abc')]) {
      const { conn } = setup();
      conn.connect();
      const ws = FakeSocket.all[0]!;
      ws.open();
      ws.server(hello('s1', false, 500, { cols: 90, rows: 20, chars: 10 }));
      ws.server(wrong);
      expect(FakeSocket.all).toHaveLength(2);
      expect(FakeSocket.all[1]!.url).not.toContain('resume=');
    }
  });
});
