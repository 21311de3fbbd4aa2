// A terminal client in Node that speaks the app's protocol (lib/terminal/protocol.ts) over a real WebSocket.
import WebSocket from 'ws';
import { stripEscapes } from '@/lib/ansi';
import { ADMIN_TERMINAL_PATH } from '@/lib/class/feed-messages';
import { FLOW, FRAME, TERMINAL_PATH, decodeData, encodeInput, type ControlToClient } from '@/lib/terminal/protocol';

export interface TermOptions {
  lab: string;
  tab: string;
  cookie: string;
  origin?: string;
  session?: string;
  resume?: number;
  fresh?: boolean;
  /** Acknowledge output as it arrives (a fast browser); false = a reader that never catches up. */
  autoAck?: boolean;
  cols?: number;
  rows?: number;
  /** Keep only the last this many characters of output (for benchmarks that stream hundreds of MB). */
  keepChars?: number;
  /** Ask for screen restores (as the page does): a fresh screen is the server's restore, not the raw output kept. */
  screen?: boolean;
  /** The instructor's read-only view of this learner's terminal (ADMIN_TERMINAL_PATH) instead of the learner's own. */
  watch?: { learner: string };
}

export class TermClient {
  text = '';
  offset = 0;
  received = 0;
  session?: string;
  controls: ControlToClient[] = [];
  /** Characters of a screen restore still to come. */
  restoring = 0;
  closed?: { code: number; reason: string };
  private unacked = 0;
  /** Characters acknowledged so far: never more than received (the server refuses acks for output never sent). */
  private acked = 0;
  private watchers: { pattern: RegExp; resolve: (at: number) => void }[] = [];
  readonly ws: WebSocket;
  readonly opened: Promise<void>;

  constructor(base: string, readonly opts: TermOptions) {
    const q = new URLSearchParams({ lab: opts.lab, tab: opts.tab, cols: String(opts.cols ?? 80), rows: String(opts.rows ?? 24) });
    if (opts.session) q.set('session', opts.session);
    if (opts.resume !== undefined) q.set('resume', String(opts.resume));
    if (opts.fresh) q.set('fresh', '1');
    if (opts.screen) q.set('screen', '1');
    if (opts.watch) q.set('learner', opts.watch.learner);
    const path = opts.watch ? ADMIN_TERMINAL_PATH : TERMINAL_PATH;
    this.ws = new WebSocket(`${base.replace(/^http/, 'ws')}${path}?${q}`, {
      headers: { cookie: opts.cookie, origin: opts.origin ?? base },
    });
    this.opened = new Promise((resolve, reject) => {
      this.ws.once('open', () => resolve());
      this.ws.once('unexpected-response', (_req, res) => reject(new Error(`HTTP ${res.statusCode}`)));
      this.ws.once('error', reject);
    });
    this.ws.on('message', (data: Buffer, isBinary) => {
      if (!isBinary) {
        const msg = JSON.parse(data.toString()) as ControlToClient;
        if (msg.type === 'hello') this.session = msg.session;
        if (msg.type === 'hello' && msg.screen) {
          this.text = '';
          this.offset = msg.offset;
          this.restoring = msg.screen.chars;
        }
        this.controls.push(msg);
        return;
      }
      const f = decodeData(new Uint8Array(data));
      const restorePiece = f.kind === FRAME.REPLAY && this.restoring > 0;
      if (f.kind === FRAME.REPLAY && !restorePiece) this.text = '';
      this.text += f.text;
      if (opts.keepChars && this.text.length > 2 * opts.keepChars) this.text = this.text.slice(-opts.keepChars);
      if (restorePiece) this.restoring -= f.text.length;
      else this.offset = f.offset + f.text.length;
      this.received += f.text.length;
      if (opts.autoAck !== false) this.ack(f.text.length);
      if (this.watchers.length) {
        const now = performance.now();
        const plain = this.plain;
        this.watchers = this.watchers.filter((w) => (w.pattern.test(plain) ? (w.resolve(now), false) : true));
      }
    });
    this.ws.on('close', (code, reason) => (this.closed = { code, reason: reason.toString() }));
  }

  ack(chars: number) {
    this.unacked += chars;
    if (this.unacked >= FLOW.ACK_SIZE) {
      this.send(this.unacked);
      this.unacked = 0;
    }
  }

  /** Acknowledges up to `chars` of what was received and not yet acknowledged, whatever the ack size. */
  ackAll(chars: number) {
    const n = Math.min(chars, this.received - this.acked - this.unacked);
    if (n > 0) this.send(n);
  }

  /** An ack as it is: `chars` may exceed what was received (a lying client, for tests of the server's refusal). */
  rawAck(chars: number) {
    this.control({ type: 'ack', chars });
  }

  private send(chars: number) {
    this.acked += chars;
    this.control({ type: 'ack', chars });
  }

  control(msg: object) {
    this.ws.send(JSON.stringify(msg));
  }

  type(text: string) {
    this.ws.send(encodeInput(text));
  }

  /** Resolves with the time (performance.now) of the frame that made the output match `pattern`. */
  watch(pattern: RegExp): Promise<number> {
    return new Promise((resolve) => this.watchers.push({ pattern, resolve }));
  }

  /** The output without escape sequences (colours, bracketed paste, titles). */
  get plain(): string {
    return stripEscapes(this.text);
  }

  /** Waits until the plain output matches. */
  async waitFor(pattern: RegExp, timeoutMs = 15_000): Promise<RegExpMatchArray> {
    const until = Date.now() + timeoutMs;
    for (;;) {
      const m = this.plain.match(pattern);
      if (m) return m;
      if (Date.now() > until) throw new Error(`no ${pattern} in terminal output within ${timeoutMs} ms:\n${this.plain.slice(-2000)}`);
      await new Promise((r) => setTimeout(r, 25));
    }
  }

  async waitClosed(timeoutMs = 10_000): Promise<{ code: number; reason: string }> {
    const until = Date.now() + timeoutMs;
    while (!this.closed) {
      if (Date.now() > until) throw new Error('socket did not close');
      await new Promise((r) => setTimeout(r, 25));
    }
    return this.closed;
  }

  close() {
    this.ws.close();
  }
}
