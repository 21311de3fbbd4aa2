// A terminal session: one shell in a sandbox, which outlives the browser's sockets. Everything the shell prints goes
// to a screen mirror (a headless terminal of the browser's size, mirror-host.ts) and to a short buffer of raw output
// (ReplayBuffer): a browser that reconnects after a blip gets exactly the output it missed; one that comes back with
// a fresh terminal (a reload, a server restart) gets the mirror's screen and scrollback, then the output that
// followed it.
// One browser at a time: a second one takes the session over and the first is told so (CLOSE.REPLACED). Observers
// (the instructor's read-only view) get the screen and the output too, without flow control: one that falls behind
// is dropped rather than buffered for.
import { EventEmitter } from 'node:events';
import { account, commit, newFlowState } from './flow-control';
import { MarkerFilter, type Marker } from './markers';
import type { Mirror, MirrorFactory } from './mirror-host';
import type { ScreenSnapshot } from './mirror-messages';
import { CLOSE, FLOW, FRAME, ProtocolError, encodeData, type ControlToClient } from './protocol';
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

/** A read-only viewer: what it has not sent yet is visible, so that one that falls behind can be dropped. */
export interface Observer extends Peer {
  bufferedBytes(): number;
}

/** Output frames are cut to this many characters so one huge read does not become one huge frame. */
const FRAME_CHARS = 64 * 1024;
/** An observer with this much unsent is too slow for the output: it is dropped, the learner's shell never waits for it. */
const OBSERVER_MAX_BUFFERED = 4 * 1024 * 1024;

export interface SessionEvents {
  marker: [Marker];
  exit: [{ code: number | null; signal?: number }];
  /** Milliseconds from a keystroke to the shell's next output (the server's share of the echo a learner sees). */
  echo: [number];
}

export interface SessionOptions {
  /** Where the session's screen mirror runs (a worker on the server). */
  mirrors: MirrorFactory;
  /** The size the shell was opened at. */
  cols: number;
  rows: number;
  replay?: ReplayBuffer;
}

export interface AttachOptions {
  /** The offset the browser has rendered up to: it gets only what it missed, when that is still held. */
  resumeFrom?: number;
  /**
   * The browser draws a screen restore (it asked with screen=1). Otherwise it gets the raw output kept, from a line
   * boundary, as pages from before the mirror expect.
   */
  screen?: boolean;
  /** The browser's terminal size: the shell and the mirror take it before the restore is made. */
  cols?: number;
  rows?: number;
}

export class TerminalSession extends EventEmitter<SessionEvents> {
  private peer?: Peer;
  /** A browser waiting for its screen restore (the mirror is making it): it gets no output until then. */
  private restoring?: Peer;
  private readonly flow = newFlowState();
  private readonly replay: ReplayBuffer;
  private readonly filter = new MarkerFilter();
  private readonly mirrors: MirrorFactory;
  private mirror: Mirror;
  /** Characters written to the mirror and not yet applied: past HIGH_WATERMARK the shell waits for it. */
  private mirrorBacklog = 0;
  private mirrorBehind = false;
  private size: { cols: number; rows: number };
  private ptyPaused = false;
  /** Output read in this turn of the event loop, sent as one frame at its end (fewer, larger frames). */
  private pending = '';
  private flushScheduled = false;
  /** Observers, from the moment their screen restore is sent. */
  private readonly watching = new Set<Observer>();
  /** Observers waiting for their screen restore. */
  private readonly watchRestoring = new Set<Observer>();
  /** When the oldest keystroke not yet answered by output arrived (for the echo event). */
  private keystrokeAt?: number;
  /** The clock for echo times (tests set it). */
  clock: () => number = () => performance.now();
  exit?: { code: number | null; signal?: number };
  lastActivity = Date.now();

  constructor(
    readonly id: string,
    readonly sandboxId: string,
    readonly tab: string,
    readonly pod: string | undefined,
    private readonly pty: PtyLike,
    opts: SessionOptions,
  ) {
    super();
    this.replay = opts.replay ?? new ReplayBuffer();
    this.mirrors = opts.mirrors;
    this.size = { cols: opts.cols, rows: opts.rows };
    this.mirror = this.newMirror();
    pty.onData((data, history) => (history ? this.onHistory(data) : this.onOutput(data)));
    pty.onExit(({ exitCode, signal }) => this.onExit(exitCode, signal));
  }

  private newMirror(): Mirror {
    this.mirrorBacklog = 0;
    const mirror = this.mirrors.create(this.size.cols, this.size.rows, {
      parsed: (chars) => {
        if (this.mirror !== mirror) return;
        this.mirrorBacklog = Math.max(0, this.mirrorBacklog - chars);
        this.updatePaused();
      },
      // Its worker died: a new mirror gets what the session still holds (raw output from a line boundary, as before
      // there were mirrors), which is exact when the screen fits in it and close to it otherwise.
      lost: () => {
        if (this.mirror !== mirror || this.exit) return;
        this.mirror = this.newMirror();
        this.toMirror(this.replay.snapshot().text);
        this.updatePaused();
      },
    });
    return mirror;
  }

  private toMirror(text: string) {
    if (!text) return;
    this.mirrorBacklog += text.length;
    this.mirror.write(text);
  }

  /** Output as the session keeps it: in the raw buffer (for resumes) and the mirror (for restores). */
  private record(text: string): number {
    const offset = this.replay.append(text);
    this.toMirror(text);
    this.updatePaused();
    return offset;
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

  /** The shell waits while the browser or the mirror is behind (each with its own high and low watermarks). */
  private updatePaused() {
    if (this.mirrorBacklog > FLOW.HIGH_WATERMARK) this.mirrorBehind = true;
    else if (this.mirrorBacklog < FLOW.LOW_WATERMARK) this.mirrorBehind = false;
    this.setPaused((this.peer !== undefined && this.flow.paused) || this.mirrorBehind);
  }

  private setPaused(paused: boolean) {
    if (this.exit) paused = false;
    if (paused === this.ptyPaused) return;
    this.ptyPaused = paused;
    if (paused) this.pty.pause();
    else this.pty.resume();
  }

  private onOutput(data: string) {
    this.lastActivity = Date.now();
    if (this.keystrokeAt !== undefined) {
      this.emit('echo', this.clock() - this.keystrokeAt);
      this.keystrokeAt = undefined;
    }
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
    const offset = this.record(text);
    if (this.peer) this.send(FRAME.OUTPUT, offset, text);
    this.toObservers(offset, text);
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
      const offset = this.record(text);
      if (this.peer) this.send(FRAME.OUTPUT, offset, text);
      this.toObservers(offset, text);
    }
    for (const m of markers) {
      this.emit('marker', m);
      // The page learns that a command finished here (its Run buttons turn back from Stop).
      if (m.name === 'done') this.peer?.sendControl({ type: 'event', name: 'command-done', data: { exit: Number(m.args[0]) } });
    }
  }

  /**
   * Sends text in frames, accounting each for flow control. Output: frames at their offsets in the output. A screen
   * restore (`restore`): REPLAY frames at their offsets in the restore, from 0.
   */
  private send(kind: typeof FRAME.OUTPUT | typeof FRAME.REPLAY, offset: number, text: string, restore = false) {
    this.sendTo(this.peer!, kind, offset, text, restore, this.accountFlow);
  }

  /** The attached browser's flow control hears of each frame sent to it. */
  private readonly accountFlow = (chars: number) => {
    if (account(this.flow, chars)) this.updatePaused();
  };

  private hello(offset: number, extra: { resumed: boolean; screen?: ScreenSnapshot }): ControlToClient {
    const { resumed, screen } = extra;
    return {
      type: 'hello',
      session: this.id,
      tab: this.tab,
      pod: this.pod,
      resumed,
      offset,
      ...(screen ? { screen: { cols: screen.cols, rows: screen.rows, chars: screen.screen.length } } : {}),
    };
  }

  /** A screen restore made when the output stood at `at`, then the output printed since (`after`). */
  private sendRestore(peer: Peer, at: number, snap: ScreenSnapshot, after: string, sent?: (chars: number) => void) {
    peer.sendControl(this.hello(at, { resumed: false, screen: snap }));
    this.sendTo(peer, FRAME.REPLAY, 0, snap.screen, true, sent);
    if (after) this.sendTo(peer, FRAME.OUTPUT, at, after, false, sent);
  }

  /** Frames to one peer; `sent` hears of each (the browser's flow control; observers have none). */
  private sendTo(
    peer: Peer,
    kind: typeof FRAME.OUTPUT | typeof FRAME.REPLAY,
    offset: number,
    text: string,
    restore = false,
    sent?: (chars: number) => void,
  ) {
    let first = true;
    for (let i = 0; i < text.length || first; ) {
      let end = Math.min(text.length, i + FRAME_CHARS);
      // Never between the halves of a surrogate pair: each frame is encoded as UTF-8 on its own.
      if (end < text.length && /[\uD800-\uDBFF]/.test(text[end - 1]!)) end--;
      const piece = text.slice(i, end);
      peer.sendBinary(encodeData(first || restore ? kind : FRAME.OUTPUT, offset + i, piece));
      first = false;
      sent?.(piece.length);
      i = end;
    }
  }

  private onExit(code: number | null, signal?: number) {
    if (this.flushScheduled) this.flush(); // the last output goes out before the exit notice
    this.exit = { code, signal: signal || undefined };
    this.setPaused(false);
    this.emit('exit', this.exit);
    for (const o of this.watching) this.sendExit(o);
    this.watching.clear();
    // A browser waiting for its restore gets the screen first, then the exit (see restore()).
    if (this.peer) this.sendExit(this.peer);
    this.peer = undefined;
  }

  private sendExit(peer: Peer) {
    peer.sendControl({ type: 'exit', code: this.exit!.code, signal: this.exit!.signal });
    peer.close(CLOSE.ENDED, exitReason(this.exit!));
  }

  /**
   * Attaches a browser. With `resumeFrom` (the offset it has rendered up to) it gets only what it missed, if that
   * is still held; otherwise a fresh screen: the mirror's restore (`screen`), or the raw output kept. A browser
   * already attached is told it was replaced.
   */
  attach(peer: Peer, opts: AttachOptions = {}): void {
    if (this.flushScheduled) this.flush(); // the replay must include everything read so far
    for (const other of [this.peer, this.restoring]) {
      if (!other || other === peer) continue;
      other.sendControl({ type: 'notice', message: 'This terminal was opened in another browser tab.' });
      other.close(CLOSE.REPLACED, 'This terminal was opened in another browser tab.');
    }
    this.peer = undefined;
    this.restoring = undefined;
    this.flow.unacked = 0;
    this.flow.paused = false;
    this.updatePaused();
    if (opts.cols && opts.rows) this.resize(opts.cols, opts.rows);
    const { resumeFrom } = opts;
    const missed = resumeFrom === undefined ? undefined : this.replay.since(resumeFrom);
    if (missed !== undefined) {
      this.peer = peer;
      peer.sendControl(this.hello(resumeFrom!, { resumed: true }));
      if (missed) this.send(FRAME.OUTPUT, resumeFrom!, missed);
    } else if (opts.screen) {
      this.restore(peer);
      return;
    } else {
      this.peer = peer;
      const snap = this.replay.snapshot();
      peer.sendControl(this.hello(snap.offset, { resumed: false }));
      this.send(FRAME.REPLAY, snap.offset, snap.text);
    }
    if (this.exit) {
      this.sendExit(peer);
      this.peer = undefined;
    }
  }

  /**
   * A fresh screen from the mirror: its restore is made (in the worker) from everything printed so far; output that
   * arrives meanwhile is kept and follows the restore. The browser is attached once the restore is sent.
   */
  private restore(peer: Peer) {
    this.restoring = peer;
    const at = this.replay.end;
    this.mirror.snapshot().then(
      (snap) => {
        if (this.restoring !== peer) return; // detached or replaced meanwhile
        const after = this.replay.since(at);
        // More output than the buffer holds arrived while the restore was made (the mirror is far behind): again.
        if (after === undefined) return this.restore(peer);
        this.restoring = undefined;
        this.peer = peer;
        this.sendRestore(peer, at, snap, after, this.accountFlow);
        this.updatePaused();
        if (this.exit) {
          this.sendExit(peer);
          this.peer = undefined;
        }
      },
      () => {
        // No mirror answered (its worker died): the raw output kept, as before there were mirrors.
        if (this.restoring !== peer) return;
        this.restoring = undefined;
        this.attach(peer, { screen: false });
      },
    );
  }

  /** The browser went away: keep the shell running and its output flowing into the replay buffer. */
  detach(peer: Peer): void {
    if (this.restoring === peer) this.restoring = undefined;
    if (this.peer !== peer) return;
    this.peer = undefined;
    this.updatePaused();
  }

  input(text: string): void {
    if (this.exit) return;
    this.lastActivity = Date.now();
    this.keystrokeAt ??= this.clock();
    this.pty.write(text);
  }

  /**
   * A read-only viewer (the instructor): the screen as it is now (from the mirror, at the shell's size), then the
   * output as it comes. It never writes, resizes or acknowledges. Returns the function that ends the watch.
   */
  observe(observer: Observer): () => void {
    if (this.flushScheduled) this.flush();
    this.watchRestoring.add(observer);
    const at = this.replay.end;
    this.mirror.snapshot().then(
      (snap) => {
        if (!this.watchRestoring.delete(observer)) return; // it left meanwhile
        this.sendRestore(observer, at, snap, this.replay.since(at) ?? '');
        if (this.exit) return this.sendExit(observer);
        this.watching.add(observer);
      },
      () => {
        if (!this.watchRestoring.delete(observer)) return;
        observer.close(CLOSE.SERVER_ERROR, 'The screen of this terminal could not be read.');
      },
    );
    return () => {
      this.watchRestoring.delete(observer);
      this.watching.delete(observer);
    };
  }

  /** Observers now watching (screens sent). */
  get observers(): number {
    return this.watching.size;
  }

  private toObservers(offset: number, text: string) {
    for (const o of this.watching) {
      if (o.bufferedBytes() > OBSERVER_MAX_BUFFERED) {
        this.watching.delete(o);
        o.close(CLOSE.TRY_AGAIN_LATER, 'This view fell behind the terminal\'s output: open it again.');
        continue;
      }
      this.sendTo(o, FRAME.OUTPUT, offset, text);
    }
  }

  /** The browser's terminal size, for the shell and the mirror (a size it already has changes nothing). */
  resize(cols: number, rows: number): void {
    if (this.exit || (cols === this.size.cols && rows === this.size.rows)) return;
    this.size = { cols, rows };
    this.pty.resize(cols, rows);
    this.mirror.resize(cols, rows);
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
    if (commit(this.flow, chars)) this.updatePaused();
  }

  /** Ends the shell. */
  kill(): void {
    if (!this.exit) this.pty.kill();
  }

  /** Lets go of the shell without ending it: the server is stopping, and the next one reattaches to it. */
  release(): void {
    this.mirror.dispose();
    if (this.exit) return;
    if (!this.pty.release) return this.pty.kill();
    this.pty.release();
    this.peer = undefined;
    this.restoring = undefined;
  }

  /** Frees the mirror once the session is done with (its shell ended, or its sandbox went away). */
  dispose(): void {
    this.mirror.dispose();
  }
}

function exitReason(exit: { code: number | null; signal?: number }): string {
  if (exit.signal) return `The shell was killed (signal ${exit.signal}).`;
  return exit.code === null ? 'The shell ended.' : `The shell exited (code ${exit.code}).`;
}
