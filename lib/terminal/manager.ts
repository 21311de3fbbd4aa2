// Terminal sessions by sandbox and tab. A session lives until its shell exits or its sandbox goes away; its shell
// lives in the sandbox (held by lab-session), so a restarted server opens a new session on the same shell.
import { randomBytes } from 'node:crypto';
import { EventEmitter } from 'node:events';
import { silentLogger, type Logger } from '../log';
import type { Marker } from './markers';
import { workerMirrors, type MirrorFactory } from './mirror-host';
import type { HeldSession } from './session-records';
import { TerminalSession, type PtyLike } from './session';

export interface TabSpec {
  name: string;
  pod?: string;
}

/** Where the shells of a sandbox's tabs live (the sandbox's session holders). */
export interface ShellHost {
  /**
   * The tab's shell: the one the sandbox holds for it (its kept output replayed as history), or a new one when
   * there is none. `fresh` ends the current one first.
   */
  open(sandboxId: string, tab: TabSpec, opts: { fresh: boolean; cols: number; rows: number }): PtyLike;
  /** The shells the sandbox holds. */
  list(sandboxId: string): Promise<HeldSession[]>;
  /** Ends the shell held under this name. */
  kill(sandboxId: string, name: string): Promise<void>;
}

export interface OpenOptions {
  /** A new shell: the current one ends ("New shell"). */
  fresh?: boolean;
  cols?: number;
  rows?: number;
  /** Every tab of the sandbox's lab: the first open in a sandbox ends the shells of tabs that no longer exist. */
  tabs?: readonly string[];
}

export interface TerminalManagerEvents {
  /** A marker from a shell (e.g. "a command finished"), with where it came from. */
  marker: [{ sandboxId: string; tab: string; marker: Marker }];
  /** Milliseconds from a keystroke to its shell's next output, in any session. */
  echo: [number];
}

const key = (sandboxId: string, tab: string) => `${sandboxId}/${tab}`;

export class TerminalManager extends EventEmitter<TerminalManagerEvents> {
  private readonly sessions = new Map<string, TerminalSession>();
  /** Sandboxes whose leftover shells were looked for since this server started. */
  private readonly swept = new Set<string>();

  constructor(
    private readonly host: ShellHost,
    private readonly log: Logger = silentLogger,
    /** Where the sessions' screen mirrors run: one worker thread for all of them. */
    private readonly mirrors: MirrorFactory = workerMirrors(log),
  ) {
    super();
  }

  /** The live session of this tab, a new one if there is none or it ended (or `fresh` is asked). */
  open(sandboxId: string, tab: TabSpec, opts: OpenOptions = {}): TerminalSession {
    const k = key(sandboxId, tab.name);
    const current = this.sessions.get(k);
    if (current && !current.exit && !opts.fresh) return current;
    if (opts.tabs) this.sweepOnce(sandboxId, opts.tabs);
    // The host ends the current shell itself when `fresh` (whether or not this server knew it); the session only
    // has to learn that it ended.
    current?.kill();
    current?.dispose();
    const size = { cols: opts.cols ?? 80, rows: opts.rows ?? 24 };
    const pty = this.host.open(sandboxId, tab, { fresh: !!opts.fresh, ...size });
    const session = new TerminalSession(randomBytes(8).toString('hex'), sandboxId, tab.name, tab.pod, pty, { mirrors: this.mirrors, ...size });
    session.on('marker', (marker) => this.emit('marker', { sandboxId, tab: tab.name, marker }));
    session.on('exit', (e) => this.log.info(`shell ${k} exited`, e));
    session.on('echo', (ms) => this.emit('echo', ms));
    this.sessions.set(k, session);
    void (pty.ready ?? Promise.resolve()).then(() => this.log.info(`shell ${k} open (pid ${pty.pid})`));
    return session;
  }

  get(sandboxId: string, tab: string): TerminalSession | undefined {
    return this.sessions.get(key(sandboxId, tab));
  }

  /**
   * Ends the shells of tabs the lab no longer has, once per sandbox and server: they were left by an earlier
   * version of the lab, and nobody can reach them.
   */
  private sweepOnce(sandboxId: string, tabs: readonly string[]) {
    if (this.swept.has(sandboxId)) return;
    this.swept.add(sandboxId);
    const keep = new Set(tabs);
    void (async () => {
      for (const held of await this.host.list(sandboxId)) {
        if (keep.has(held.name)) continue;
        this.log.info(`ending shell ${sandboxId}/${held.name}: the lab has no such tab`);
        await this.host.kill(sandboxId, held.name);
      }
    })().catch((err) => this.log.warn(`looking for leftover shells in ${sandboxId} failed`, err));
  }

  /** Ends every shell of a sandbox (it is being removed or reset). */
  closeSandbox(sandboxId: string): void {
    this.swept.delete(sandboxId);
    for (const [k, s] of this.sessions) {
      if (s.sandboxId !== sandboxId) continue;
      s.kill();
      s.dispose();
      this.sessions.delete(k);
    }
  }

  /** Lets go of every shell (the server is stopping): they live on in their sandboxes for the next server. */
  closeAll(): void {
    for (const s of this.sessions.values()) s.release();
    this.sessions.clear();
    this.mirrors.close();
  }

  get size(): number {
    return this.sessions.size;
  }
}
