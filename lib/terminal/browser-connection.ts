// The browser's side of a terminal connection: WebSocket, protocol, flow-control acks, and reconnection without a
// click. It knows nothing of xterm: the view gives it callbacks. No Node dependencies.
import {
  CLOSE,
  FLOW,
  FRAME,
  chunkInput,
  decodeData,
  encodeInput,
  shouldReconnect,
  type ControlToClient,
  type ControlToServer,
} from './protocol';

export type ConnectionStatus =
  | { state: 'connecting' }
  | { state: 'connected'; resumed: boolean }
  | { state: 'reconnecting'; attempt: number; inMs: number }
  | { state: 'ended'; reason: string }
  | { state: 'replaced'; reason: string }
  | { state: 'refused'; code: number; reason: string };

export interface ConnectionCallbacks {
  /**
   * A fresh screen follows. With `size`, a screen restore drawn for a terminal of that size (it starts with a full
   * reset): take that size until it is written. Without, the kept output of an older server: reset the terminal.
   */
  reset(size?: { cols: number; rows: number }): void;
  /** What to write, in order, never twice: a fresh screen's pieces, then live output. Call `done` once written. */
  output(text: string, done: () => void): void;
  /** The fresh screen is all here (scroll to its bottom, take the pane's size again). */
  restored?(): void;
  status(status: ConnectionStatus): void;
  /** Other control messages (events, notices). */
  control?(msg: ControlToClient): void;
}

export interface ConnectionTarget {
  /** ws(s)://host/ws/terminal */
  endpoint: string;
  lab: string;
  tab: string;
}

/** Words for closes that carry no reason (the WebSocket library closes some by itself). */
export function describeClose(code: number): string {
  if (code === CLOSE.TOO_BIG) return 'The browser sent a message larger than the server accepts.';
  if (code === CLOSE.NORMAL) return 'The terminal was closed.';
  return `The connection closed (code ${code}).`;
}

/** WebSocket.OPEN, spelled out: the WebSocket class is not a global in Node, where the tests run this file. */
const SOCKET_OPEN = 1;

/** Delays between reconnection attempts; the last one repeats. */
export const RECONNECT_DELAYS_MS = [250, 500, 1000, 2000, 4000, 5000];

/** A WebSocket-like constructor, so tests can run this with the `ws` package in Node. */
export type SocketFactory = (url: string) => WebSocket;

export class TerminalConnection {
  private ws?: WebSocket;
  private session?: string;
  /** Characters of this session's output rendered so far (the resume point). */
  private offset = 0;
  /** A screen restore on its way: where its next piece starts, and how many characters are still to come. */
  private restore?: { at: number; left: number };
  private pendingAck = 0;
  private attempt = 0;
  private timer?: ReturnType<typeof setTimeout>;
  private disposed = false;
  private size = { cols: 80, rows: 24 };

  constructor(
    private readonly target: ConnectionTarget,
    private readonly cb: ConnectionCallbacks,
    private readonly socketFactory: SocketFactory = (url) => new WebSocket(url),
  ) {}

  /** Opens the connection; `fresh` asks for a new shell (after the old one ended). */
  connect(opts: { fresh?: boolean } = {}): void {
    clearTimeout(this.timer);
    if (this.disposed) return;
    if (opts.fresh) {
      this.session = undefined;
      this.offset = 0;
    }
    const q = new URLSearchParams({
      lab: this.target.lab,
      tab: this.target.tab,
      cols: String(this.size.cols),
      rows: String(this.size.rows),
    });
    if (this.session) {
      q.set('session', this.session);
      q.set('resume', String(this.offset));
    }
    if (opts.fresh) q.set('fresh', '1');
    // A fresh screen comes as the server's screen restore, not as raw output (protocol.ts).
    q.set('screen', '1');
    this.cb.status(this.attempt ? { state: 'reconnecting', attempt: this.attempt, inMs: 0 } : { state: 'connecting' });
    const ws = this.socketFactory(`${this.target.endpoint}?${q}`);
    ws.binaryType = 'arraybuffer';
    this.ws = ws;
    ws.onmessage = (ev) => {
      if (this.ws === ws) this.onMessage(ev.data as ArrayBuffer | string);
    };
    ws.onclose = (ev) => {
      if (this.ws === ws) this.onClose(ev.code, ev.reason);
    };
    ws.onopen = () => this.sendControl({ type: 'resize', ...this.size });
  }

  private onMessage(data: ArrayBuffer | string) {
    if (typeof data === 'string') {
      const msg = JSON.parse(data) as ControlToClient;
      if (msg.type === 'hello') {
        this.attempt = 0;
        if (msg.session !== this.session) this.offset = 0;
        this.session = msg.session;
        if (msg.screen) {
          this.offset = msg.offset;
          this.restore = { at: 0, left: msg.screen.chars };
          this.cb.reset({ cols: msg.screen.cols, rows: msg.screen.rows });
          if (!msg.screen.chars) this.restoreDone();
        }
        this.cb.status({ state: 'connected', resumed: msg.resumed });
      }
      this.cb.control?.(msg);
      return;
    }
    const frame = decodeData(new Uint8Array(data));
    // Acks go to the socket the output came from: xterm may finish writing after that socket closed, and the
    // server refuses acks for output it did not send on the socket (a protocol error).
    const ws = this.ws;
    const written = () => this.ack(ws, frame.text.length);
    if (frame.kind === FRAME.REPLAY && this.restore) {
      if (frame.offset !== this.restore.at) return this.startOver();
      this.restore.at += frame.text.length;
      this.restore.left -= frame.text.length;
      this.cb.output(frame.text, written);
      if (this.restore.left <= 0) this.restoreDone();
      return;
    }
    if (frame.kind === FRAME.REPLAY) {
      // The kept raw output (the server had no screen to give): it covers the stream up to where live output goes on.
      this.offset = frame.offset + frame.text.length;
      this.cb.reset();
      this.cb.output(frame.text, written);
      this.cb.restored?.();
      return;
    }
    // Live output continues exactly where we are, after any restore. Anything else means we would duplicate or
    // lose output: start over with a fresh screen.
    if (this.restore || frame.offset !== this.offset) return this.startOver();
    this.offset += frame.text.length;
    this.cb.output(frame.text, written);
  }

  private restoreDone() {
    this.restore = undefined;
    this.cb.restored?.();
  }

  private startOver() {
    this.session = undefined;
    this.restore = undefined;
    const ws = this.ws;
    this.ws = undefined; // its close is not news: we are the ones closing it
    ws?.close(CLOSE.NORMAL);
    this.connect();
  }

  private ack(from: WebSocket | undefined, chars: number) {
    if (from !== this.ws) return;
    this.pendingAck += chars;
    if (this.pendingAck >= FLOW.ACK_SIZE) {
      this.sendControl({ type: 'ack', chars: this.pendingAck });
      this.pendingAck = 0;
    }
  }

  private onClose(code: number, reason: string) {
    this.ws = undefined;
    this.pendingAck = 0;
    // Half a screen restore is no place to resume from: the next connection asks for a whole one.
    if (this.restore) {
      this.restore = undefined;
      this.session = undefined;
    }
    if (this.disposed) return;
    if (code === CLOSE.REPLACED) return this.cb.status({ state: 'replaced', reason });
    if (code === CLOSE.ENDED) return this.cb.status({ state: 'ended', reason });
    if (shouldReconnect(code)) {
      const inMs = RECONNECT_DELAYS_MS[Math.min(this.attempt, RECONNECT_DELAYS_MS.length - 1)]!;
      this.attempt++;
      this.cb.status({ state: 'reconnecting', attempt: this.attempt, inMs });
      this.timer = setTimeout(() => this.connect(), inMs);
      return;
    }
    this.cb.status({ state: 'refused', code, reason: reason || describeClose(code) });
  }

  /** Reconnect now (the network came back, or the learner asked). */
  retryNow(): void {
    if (!this.ws && !this.disposed) this.connect();
  }

  get connected(): boolean {
    return this.ws?.readyState === SOCKET_OPEN;
  }

  /** Keystrokes and pastes; dropped while disconnected (the status says so). */
  input(text: string): void {
    if (!this.connected) return;
    for (const piece of chunkInput(text)) this.ws!.send(encodeInput(piece));
  }

  resize(cols: number, rows: number): void {
    this.size = { cols, rows };
    this.sendControl({ type: 'resize', cols, rows });
  }

  private sendControl(msg: ControlToServer) {
    if (this.connected) this.ws!.send(JSON.stringify(msg));
  }

  dispose(): void {
    this.disposed = true;
    clearTimeout(this.timer);
    this.ws?.close(CLOSE.NORMAL);
    this.ws = undefined;
  }
}
