// The shell behind a tab as the session sees it (a PtyLike), when the shell belongs to a holder in the sandbox
// (lab-session, sandbox/session/) instead of to the server. The server reaches the holder through a link: node-pty
// running `docker exec -it … lab-session attach`. Links come and go; the shell stays:
//   - the first link replays what the holder kept (all of it after a server restart) as history, then live output;
//   - a link that breaks without the shell ending (its docker exec killed, replaced by another attach) is made
//     again at once, to the same holder (by its id), from the byte offset received so far: no output is lost or
//     repeated, and keystrokes typed meanwhile wait for it;
//   - the shell ended when a link's stream ends with the exit record, or when no link to its holder can be made.
// Byte offsets stay in here: the session and the browser count characters of the decoded output, as before.
import { silentLogger, type Logger } from '../log';
import type { PtyLike } from './session';
import {
  EXIT_RECORD_MAX_BYTES,
  parseExitRecord,
  scanHeader,
  type SessionHeader,
} from './session-records';

/** node-pty with `encoding: null`: output as bytes, so that they can be counted. */
export interface RawPty {
  readonly pid: number;
  onData(listener: (data: Buffer) => void): unknown;
  onExit(listener: (e: { exitCode: number; signal?: number }) => void): unknown;
  write(data: string): void;
  resize(cols: number, rows: number): void;
  pause(): void;
  resume(): void;
  kill(signal?: string): void;
}

export interface LinkOptions {
  /** Replay the holder's output from this byte offset (0: all it holds). */
  offset: number;
  /** Attach to this holder only, never start a new shell. */
  holder?: string;
  /** End the tab's current shell first and start a new one ("New shell"). */
  replace?: boolean;
  cols: number;
  rows: number;
}

export interface HeldShellDeps {
  /** Starts a link to the tab's holder (lab-session attach). */
  link(opts: LinkOptions): RawPty;
  /** Ends the shell of this holder, and only this one (lab-session kill NAME ID). */
  killHolder(holder: string): Promise<void>;
  log?: Logger;
}

/** Keystrokes kept while a link is being made again; more is dropped (nobody types this much in 200 ms). */
const MAX_QUEUED_INPUT = 64 * 1024;
/** A link that keeps breaking is given up after this many attempts within RELINK_WINDOW_MS. */
const MAX_RELINKS = 5;
const RELINK_WINDOW_MS = 10_000;
/** After kill(), how long the holder has to report the shell's end before the session ends it by itself. */
const KILL_TIMEOUT_MS = 5_000;
/** A link that says nothing for this long (a docker exec that hangs) is given up and made again. */
const LINK_TIMEOUT_MS = 20_000;
/**
 * A history the holder had to trim starts anywhere, maybe inside an escape sequence or a UTF-8 character: it is read
 * from its first line boundary, looked for this far at most.
 */
const MAX_PARTIAL_LINE_BYTES = 16 * 1024;

type ExitEvent = { exitCode: number | null; signal?: number };

export class HeldShell implements PtyLike {
  private link?: RawPty;
  /** What the current link has said so far: waiting for its header, a holder's stream, or plain output. */
  private linkState: 'header' | 'stream' | 'plain' = 'header';
  private headerBytes = Buffer.alloc(0);
  private header?: SessionHeader;
  /** Byte offset of the next byte of the shell's output. */
  private offset = 0;
  /** While set, bytes before this offset are the first replay: history, not new output. */
  private historyEnd?: number;
  /** Bytes of a trimmed history still to drop before its first line boundary. */
  private partialLine = 0;
  private readonly decoder = new TextDecoder('utf-8');
  private tail = '';
  private queued = '';
  private size: { cols: number; rows: number };
  private isPaused = false;
  private relinks: number[] = [];
  private ended = false;
  private killTimer?: ReturnType<typeof setTimeout>;
  private linkTimer?: ReturnType<typeof setTimeout>;
  private readonly dataListeners: ((data: string, history?: boolean) => void)[] = [];
  private readonly exitListeners: ((e: ExitEvent) => void)[] = [];
  private markReady!: () => void;
  /** Resolves once the first replay is in (or the shell ended, or the link turned out not to be a holder's). */
  readonly ready = new Promise<void>((resolve) => (this.markReady = resolve));
  private readonly log: Logger;

  constructor(
    private readonly deps: HeldShellDeps,
    opts: { replace?: boolean; cols: number; rows: number },
  ) {
    this.log = deps.log ?? silentLogger;
    this.size = { cols: opts.cols, rows: opts.rows };
    this.openLink({ offset: 0, replace: opts.replace });
  }

  /** The shell's pid in the sandbox once known, the link's before. */
  get pid(): number {
    return this.header?.shellPid ?? this.link?.pid ?? 0;
  }

  /** The holder's identity, once the first link reported it. */
  get holder(): string | undefined {
    return this.header?.holder;
  }

  onData(listener: (data: string, history?: boolean) => void): void {
    this.dataListeners.push(listener);
  }

  onExit(listener: (e: ExitEvent) => void): void {
    this.exitListeners.push(listener);
  }

  write(data: string): void {
    if (this.ended) return;
    if (this.link && this.linkState !== 'header') this.link.write(data);
    else if (this.queued.length + data.length <= MAX_QUEUED_INPUT) this.queued += data;
  }

  resize(cols: number, rows: number): void {
    this.size = { cols, rows };
    this.link?.resize(cols, rows);
  }

  pause(): void {
    this.isPaused = true;
    this.link?.pause();
  }

  resume(): void {
    this.isPaused = false;
    this.link?.resume();
  }

  /** Ends the shell: its holder kills it and reports how it ended through the link. */
  kill(): void {
    if (this.ended || this.killTimer) return;
    this.killTimer = setTimeout(() => this.end({ exitCode: null, signal: 1 }), KILL_TIMEOUT_MS);
    const holder = this.header?.holder;
    if (!holder || !this.link) return this.end({ exitCode: null, signal: 1 });
    this.deps.killHolder(holder).catch((err) => this.log.warn('ending a shell failed', err));
  }

  /** Lets go of the shell without ending it (the server is stopping): the holder keeps it for the next server. */
  release(): void {
    this.ended = true;
    clearTimeout(this.killTimer);
    clearTimeout(this.linkTimer);
    const link = this.link;
    this.link = undefined;
    link?.kill();
  }

  private openLink(opts: { offset: number; holder?: string; replace?: boolean }) {
    this.linkState = 'header';
    this.headerBytes = Buffer.alloc(0);
    this.tail = '';
    const link = this.deps.link({ ...opts, ...this.size });
    this.link = link;
    clearTimeout(this.linkTimer);
    this.linkTimer = setTimeout(() => {
      if (this.link !== link || this.linkState !== 'header') return;
      this.log.warn(`no answer from the link to shell ${this.pid} in ${LINK_TIMEOUT_MS / 1000} s: making it again`);
      this.link = undefined;
      link.kill();
      this.onLinkExit({ exitCode: -1 }, true);
    }, LINK_TIMEOUT_MS);
    if (this.isPaused) link.pause();
    link.onData((data) => {
      if (this.link === link) this.onLinkData(data);
    });
    link.onExit((e) => {
      if (this.link === link) this.onLinkExit(e);
    });
  }

  private onLinkData(data: Buffer) {
    if (this.linkState === 'header') {
      const scan = scanHeader(Buffer.concat([this.headerBytes, data]));
      if (scan.state === 'partial') {
        this.headerBytes = Buffer.concat([this.headerBytes, data]);
        return;
      }
      clearTimeout(this.linkTimer);
      if (scan.state === 'plain') {
        this.linkState = 'plain';
        this.emitText(Buffer.concat([this.headerBytes, data]), false);
        this.headerBytes = Buffer.alloc(0);
        this.markReady();
        return;
      }
      this.onHeader(scan.header);
      data = scan.rest;
    }
    if (this.linkState === 'plain') return this.emitText(data, false);
    this.onStream(data);
  }

  private onHeader(header: SessionHeader) {
    const first = !this.header;
    if (!first && header.start !== this.offset) {
      this.log.warn(`shell output ${this.offset}..${header.start} was no longer held when its link came back`);
    }
    this.header = header;
    this.offset = header.start;
    if (first && header.end > header.start) {
      this.historyEnd = header.end;
      if (header.start > 0) this.partialLine = MAX_PARTIAL_LINE_BYTES;
    } else this.markReady();
    this.linkState = 'stream';
    if (this.queued) {
      this.link!.write(this.queued);
      this.queued = '';
    }
  }

  private onStream(data: Buffer) {
    if (this.historyEnd !== undefined) {
      const n = Math.min(data.length, this.historyEnd - this.offset);
      this.offset += n;
      this.emitText(this.fromLineBoundary(data.subarray(0, n)), true);
      data = data.subarray(n);
      if (this.offset >= this.historyEnd) {
        this.historyEnd = undefined;
        this.markReady();
      }
    }
    if (!data.length) return;
    this.offset += data.length;
    this.emitText(data, false);
  }

  /** A trimmed history's bytes after its first newline (a newline is never inside a UTF-8 character). */
  private fromLineBoundary(bytes: Buffer): Buffer {
    if (!this.partialLine) return bytes;
    const nl = bytes.subarray(0, this.partialLine).indexOf(0x0a);
    if (nl >= 0 || bytes.length >= this.partialLine) {
      const from = nl >= 0 ? nl + 1 : this.partialLine;
      this.partialLine = 0;
      return bytes.subarray(from);
    }
    this.partialLine -= bytes.length;
    return bytes.subarray(bytes.length);
  }

  private emitText(bytes: Buffer, history: boolean) {
    if (!bytes.length) return;
    const text = this.decoder.decode(bytes, { stream: true });
    this.tail = (this.tail + bytes.toString('latin1')).slice(-EXIT_RECORD_MAX_BYTES);
    if (text) for (const l of this.dataListeners) l(text, history);
  }

  private onLinkExit(e: { exitCode: number; signal?: number }, hung = false) {
    this.link = undefined;
    clearTimeout(this.linkTimer);
    if (this.ended) return;
    const exit = this.linkState === 'stream' ? parseExitRecord(this.tail) : undefined;
    if (exit) return this.end(exit);
    if (hung && !this.header) return this.end({ exitCode: null });
    if ((this.linkState !== 'stream' && !hung) || this.killTimer) {
      // Never a holder's stream (docker could not run the exec, the sandbox is gone), or the holder is gone while
      // we came back for it, or we asked for the end: the shell is over.
      return this.end(this.header ? { exitCode: null } : { exitCode: e.exitCode, signal: e.signal || undefined });
    }
    const now = Date.now();
    this.relinks = this.relinks.filter((t) => now - t < RELINK_WINDOW_MS);
    if (this.relinks.length >= MAX_RELINKS) {
      this.log.warn(`the link to shell ${this.pid} keeps breaking: giving up`);
      return this.end({ exitCode: null });
    }
    this.relinks.push(now);
    this.log.info(`link to shell ${this.pid} broke (exit ${e.exitCode}): attaching again from byte ${this.offset}`);
    this.openLink({ offset: this.offset, holder: this.header!.holder });
  }

  private end(exit: ExitEvent) {
    if (this.ended) return;
    this.ended = true;
    clearTimeout(this.killTimer);
    clearTimeout(this.linkTimer);
    const link = this.link;
    this.link = undefined;
    link?.kill();
    const rest = this.decoder.decode();
    if (rest) for (const l of this.dataListeners) l(rest, false);
    this.markReady();
    for (const l of this.exitListeners) l(exit);
  }
}
