// A terminal session: one shell in a sandbox, which outlives the browser's sockets. It keeps its recent output
// (ReplayBuffer) so that a browser coming back gets exactly what it missed, or a full screen after a reload.
// One browser at a time: a second one takes the session over and the first is told so (CLOSE.REPLACED).
import { EventEmitter } from 'node:events';
import { account, commit, newFlowState } from './flow-control';
import { MarkerFilter, type Marker } from './markers';
import { CLOSE, FRAME, ProtocolError, encodeData, type ControlToClient } from './protocol';
import { ReplayBuffer } from './replay-buffer';

/** What the session needs of a pty (node-pty's IPty has it, and HeldShell; unit tests pass a fake). */
export interface PtyLike {
  readonly pid: number;
  /** Output; `history` marks output the shell printed before this session (a holder's replay after a restart). */
  onData(listener: (data: string, history?: boolean) => void): unknown;
  /** `exitCode` null: the shell is gone and nobody knows how it ended. */
  onExit(listener: (e: { exitCode: number | null; signal?: number }) => void): unknown;
  write(data: string): void;
  resize(cols: number, rows: number): void;
  pause(): void;
  resume(): void;
  kill(signal?: string): void;
  /** Resolves once the history is in: a browser attached before would get a partial replay. */
  readonly ready?: Promise<void>;
  /** Lets go of the shell without ending it (the server stops; the shell's holder keeps it). */
  release?(): void;
}

/** One browser connection, as the session sees it. */
export interface Peer {
  sendBinary(frame: Uint8Array): void;
  sendControl(msg: ControlToClient): void;
  close(code: number, reason: string): void;
}

/** Output frames are cut to this many characters so one huge read does not become one huge frame. */
const FRAME_CHARS = 64 * 1024;

export interface SessionEvents {
  marker: [Marker];
  exit: [{ code: number | null; signal?: number }];
}

export class TerminalSession extends EventEmitter<SessionEvents> {
  private peer?: Peer;
  private readonly flow = newFlowState();
  private readonly replay: ReplayBuffer;
  private readonly filter = new MarkerFilter();
  private ptyPaused = false;
  /** Output read in this turn of the event loop, sent as one frame at its end (fewer, larger frames). */
  private pending = '';
  private flushScheduled = false;
  exit?: { code: number | null; signal?: number };
  lastActivity = Date.now();

  constructor(
    readonly id: string,
    readonly sandboxId: string,
    readonly tab: string,
    readonly pod: string | undefined,
    private readonly pty: PtyLike,
    replay = new ReplayBuffer(),
  ) {
    super();
    this.replay = replay;
    pty.onData((data, history) => (history ? this.onHistory(data) : this.onOutput(data)));
    pty.onExit(({ exitCode, signal }) => this.onExit(exitCode, signal));
  }

  get attached(): boolean {
    return this.peer !== undefined;
  }

  /** Characters unacknowledged by the attached browser (for tests and the benchmark). */
  get unacked(): number {
    return this.flow.unacked;
  }

  get paused(): boolean {
    return this.ptyPaused;
  }

  private setPaused(paused: boolean) {
    if (paused === this.ptyPaused) return;
    this.ptyPaused = paused;
    if (paused) this.pty.pause();
    else this.pty.resume();
  }

  private onOutput(data: string) {
    this.lastActivity = Date.now();
    this.pending += data;
    if (!this.flushScheduled) {
      this.flushScheduled = true;
      // setImmediate runs right after the current I/O callbacks: a lone keystroke echo is not delayed, while a
      // burst of reads becomes one frame.
      setImmediate(() => this.flush());
    }
  }

  /**
   * Output from before this session (the holder's replay after a server restart): kept for the screen, but its
   * markers are old news (those commands finished long ago), so they raise no events.
   */
  private onHistory(data: string) {
    if (this.flushScheduled) this.flush();
    const { text } = this.filter.feed(data);
    if (!text) return;
    const offset = this.replay.append(text);
    if (this.peer) this.send(FRAME.OUTPUT, offset, text);
  }

  /** Resolves when the shell's history is in (or after `timeoutMs`, or when it ended): then attach browsers. */
  whenReady(timeoutMs: number): Promise<void> {
    if (!this.pty.ready || this.exit) return Promise.resolve();
    let timer: ReturnType<typeof setTimeout> | undefined;
    const timeout = new Promise<void>((resolve) => (timer = setTimeout(resolve, timeoutMs)));
    return Promise.race([this.pty.ready, timeout]).finally(() => clearTimeout(timer));
  }

  private flush() {
    this.flushScheduled = false;
    const data = this.pending;
    this.pending = '';
    const { text, markers } = this.filter.feed(data);
    if (text) {
      const offset = this.replay.append(text);
      if (this.peer) this.send(FRAME.OUTPUT, offset, text);
    }
    for (const m of markers) {
      this.emit('marker', m);
      // The page learns that a command finished here (its Run buttons turn back from Stop).
      if (m.name === 'done') this.peer?.sendControl({ type: 'event', name: 'command-done', data: { exit: Number(m.args[0]) } });
    }
  }

  /** Sends output in frames, accounting each for flow control. */
  private send(kind: typeof FRAME.OUTPUT | typeof FRAME.REPLAY, offset: number, text: string) {
    const peer = this.peer!;
    let first = true;
    for (let i = 0; i < text.length || first; i += FRAME_CHARS) {
      const piece = text.slice(i, i + FRAME_CHARS);
      peer.sendBinary(encodeData(first ? kind : FRAME.OUTPUT, offset + i, piece));
      first = false;
      if (account(this.flow, piece.length)) this.setPaused(true);
    }
  }

  private onExit(code: number | null, signal?: number) {
    if (this.flushScheduled) this.flush(); // the last output goes out before the exit notice
    this.exit = { code, signal: signal || undefined };
    this.setPaused(false);
    this.emit('exit', this.exit);
    this.peer?.sendControl({ type: 'exit', code, signal: this.exit.signal });
    this.peer?.close(CLOSE.ENDED, exitReason(this.exit));
    this.peer = undefined;
  }

  /**
   * Attaches a browser. With `resumeFrom` (the offset it has rendered up to) it gets only what it missed, if that
   * is still held; otherwise a full screen replay. A browser already attached is told it was replaced.
   */
  attach(peer: Peer, resumeFrom?: number): void {
    if (this.flushScheduled) this.flush(); // the replay must include everything read so far
    if (this.peer && this.peer !== peer) {
      this.peer.sendControl({ type: 'notice', message: 'This terminal was opened in another browser tab.' });
      this.peer.close(CLOSE.REPLACED, 'This terminal was opened in another browser tab.');
    }
    this.peer = peer;
    this.flow.unacked = 0;
    this.flow.paused = false;
    this.setPaused(false);
    const missed = resumeFrom === undefined ? undefined : this.replay.since(resumeFrom);
    const base = { type: 'hello' as const, session: this.id, tab: this.tab, pod: this.pod };
    if (missed !== undefined) {
      peer.sendControl({ ...base, resumed: true, offset: resumeFrom! });
      if (missed) this.send(FRAME.OUTPUT, resumeFrom!, missed);
    } else {
      const snap = this.replay.snapshot();
      peer.sendControl({ ...base, resumed: false, offset: snap.offset });
      this.send(FRAME.REPLAY, snap.offset, snap.text);
    }
    if (this.exit) {
      peer.sendControl({ type: 'exit', code: this.exit.code, signal: this.exit.signal });
      peer.close(CLOSE.ENDED, exitReason(this.exit));
      this.peer = undefined;
    }
  }

  /** The browser went away: keep the shell running and its output flowing into the replay buffer. */
  detach(peer: Peer): void {
    if (this.peer !== peer) return;
    this.peer = undefined;
    this.setPaused(false);
  }

  input(text: string): void {
    if (this.exit) return;
    this.lastActivity = Date.now();
    this.pty.write(text);
  }

  resize(cols: number, rows: number): void {
    if (!this.exit) this.pty.resize(cols, rows);
  }

  /**
   * The browser `from` has written `chars` more characters. Acks from a browser that was replaced are ignored (they
   * count another browser's output). Acknowledging more than was sent is a protocol error: believing it would let
   * a client lift flow control and make the server buffer without bound.
   */
  ack(chars: number, from?: Peer): void {
    if (from && from !== this.peer) return;
    if (chars > this.flow.unacked) {
      throw new ProtocolError(`ack for ${chars} characters, but only ${this.flow.unacked} are unacknowledged`);
    }
    if (commit(this.flow, chars)) this.setPaused(false);
  }

  /** Ends the shell. */
  kill(): void {
    if (!this.exit) this.pty.kill();
  }

  /** Lets go of the shell without ending it: the server is stopping, and the next one reattaches to it. */
  release(): void {
    if (this.exit) return;
    if (!this.pty.release) return this.pty.kill();
    this.pty.release();
    this.peer = undefined;
  }
}

function exitReason(exit: { code: number | null; signal?: number }): string {
  if (exit.signal) return `The shell was killed (signal ${exit.signal}).`;
  return exit.code === null ? 'The shell ended.' : `The shell exited (code ${exit.code}).`;
}
