// Terminal sessions by sandbox and tab. A session lives until its shell exits or its sandbox goes away.
import { randomBytes } from 'node:crypto';
import { EventEmitter } from 'node:events';
import { silentLogger, type Logger } from '../log';
import type { Marker } from './markers';
import { TerminalSession, type PtyLike } from './session';

export interface TabSpec {
  name: string;
  pod?: string;
}

export type SpawnShell = (sandboxId: string, tab: TabSpec, size: { cols: number; rows: number }) => PtyLike;

export interface TerminalManagerEvents {
  /** A marker from a shell (e.g. "a command finished"), with where it came from. */
  marker: [{ sandboxId: string; tab: string; marker: Marker }];
}

const key = (sandboxId: string, tab: string) => `${sandboxId}/${tab}`;

export class TerminalManager extends EventEmitter<TerminalManagerEvents> {
  private readonly sessions = new Map<string, TerminalSession>();

  constructor(
    private readonly spawnShell: SpawnShell,
    private readonly log: Logger = silentLogger,
  ) {
    super();
  }

  /** The live session of this tab, a new one if there is none or it ended (or `fresh` is asked). */
  open(sandboxId: string, tab: TabSpec, opts: { fresh?: boolean; cols?: number; rows?: number } = {}): TerminalSession {
    const k = key(sandboxId, tab.name);
    const current = this.sessions.get(k);
    if (current && !current.exit && !opts.fresh) return current;
    current?.kill();
    const pty = this.spawnShell(sandboxId, tab, { cols: opts.cols ?? 80, rows: opts.rows ?? 24 });
    const session = new TerminalSession(randomBytes(8).toString('hex'), sandboxId, tab.name, tab.pod, pty);
    session.on('marker', (marker) => this.emit('marker', { sandboxId, tab: tab.name, marker }));
    session.on('exit', (e) => this.log.info(`shell ${k} exited`, e));
    this.sessions.set(k, session);
    this.log.info(`shell ${k} started (pid ${pty.pid})`);
    return session;
  }

  get(sandboxId: string, tab: string): TerminalSession | undefined {
    return this.sessions.get(key(sandboxId, tab));
  }

  /** Ends every shell of a sandbox (it is being removed or reset). */
  closeSandbox(sandboxId: string): void {
    for (const [k, s] of this.sessions) {
      if (s.sandboxId !== sandboxId) continue;
      s.kill();
      this.sessions.delete(k);
    }
  }

  closeAll(): void {
    for (const s of this.sessions.values()) s.kill();
    this.sessions.clear();
  }

  get size(): number {
    return this.sessions.size;
  }
}
