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
  /** A fresh screen: reset the terminal, then write `text`. Call `done` once written (it acknowledges). */
  replay(text: string, done: () => void): void;
  /** Live output, in order, never twice. Call `done` once written. */
  output(text: string, done: () => void): void;
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
        this.cb.status({ state: 'connected', resumed: msg.resumed });
      }
      this.cb.control?.(msg);
      return;
    }
    const frame = decodeData(new Uint8Array(data));
    // Acks go to the socket the output came from: xterm may finish writing after that socket closed, and the
    // server refuses acks for output it did not send on the socket (a protocol error).
    const ws = this.ws;
    if (frame.kind === FRAME.REPLAY) {
      this.offset = frame.offset + frame.text.length;
      this.cb.replay(frame.text, () => this.ack(ws, frame.text.length));
      return;
    }
    // Live output continues exactly where we are. Anything else means we would duplicate or lose output:
    // start over with a full replay.
    if (frame.offset !== this.offset) {
      this.session = undefined;
      this.ws?.close(CLOSE.NORMAL);
      this.ws = undefined;
      this.connect();
      return;
    }
    this.offset += frame.text.length;
    this.cb.output(frame.text, () => this.ack(ws, frame.text.length));
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
