import { describe, expect, it } from 'vitest';
import { localMirrors } from './local-mirrors';
import { TerminalManager, type ShellHost, type TabSpec } from './manager';
import type { HeldSession } from './session-records';
import type { PtyLike } from './session';

class FakeShell implements PtyLike {
  pid = 1;
  killed = false;
  released = false;
  private exitCb?: (e: { exitCode: number | null; signal?: number }) => void;
  constructor(readonly opts: { fresh: boolean; cols: number; rows: number }) {}
  onData() {}
  onExit(cb: (e: { exitCode: number | null; signal?: number }) => void) {
    this.exitCb = cb;
  }
  write() {}
  resize() {}
  pause() {}
  resume() {}
  kill() {
    this.killed = true;
    this.exitCb?.({ exitCode: null, signal: 1 });
  }
  release() {
    this.released = true;
  }
}

class FakeHost implements ShellHost {
  opened: { sandboxId: string; tab: string; shell: FakeShell }[] = [];
  held: HeldSession[] = [];
  killed: string[] = [];
  lists = 0;
  open(sandboxId: string, tab: TabSpec, opts: { fresh: boolean; cols: number; rows: number }) {
    const shell = new FakeShell(opts);
    this.opened.push({ sandboxId, tab: tab.name, shell });
    return shell;
  }
  async list() {
    this.lists++;
    return this.held;
  }
  async kill(sandboxId: string, name: string) {
    this.killed.push(`${sandboxId}/${name}`);
  }
}

const flush = () => new Promise((r) => setImmediate(r));

describe('TerminalManager', () => {
  it('gives a tab its live session, and a new shell once the old one ended', () => {
    const host = new FakeHost();
    const terminals = new TerminalManager(host, undefined, localMirrors());
    const a = terminals.open('sb', { name: 'server' }, { cols: 100, rows: 30 });
    expect(terminals.open('sb', { name: 'server' })).toBe(a);
    expect(host.opened.map((o) => o.shell.opts)).toEqual([{ fresh: false, cols: 100, rows: 30 }]);
    host.opened[0]!.shell.kill();
    expect(terminals.open('sb', { name: 'server' })).not.toBe(a);
  });

  it('asks the host for a fresh shell on "New shell", and ends the session it replaces', () => {
    const host = new FakeHost();
    const terminals = new TerminalManager(host, undefined, localMirrors());
    const old = terminals.open('sb', { name: 'server' });
    const fresh = terminals.open('sb', { name: 'server' }, { fresh: true });
    expect(fresh).not.toBe(old);
    expect(host.opened[1]!.shell.opts.fresh).toBe(true);
    expect(host.opened[0]!.shell.killed).toBe(true);
    expect(old.exit).toBeDefined();
  });

  it('ends the shells of tabs the lab no longer has, once per sandbox', async () => {
    const host = new FakeHost();
    host.held = [
      { name: 'server', shellPid: 10, state: 'alive' },
      { name: 'renamed-tab', shellPid: 11, state: 'alive' },
      { name: 'gone', state: 'stale' },
    ];
    const terminals = new TerminalManager(host, undefined, localMirrors());
    terminals.open('sb', { name: 'server' }, { tabs: ['server', 'client'] });
    await flush();
    expect(host.killed).toEqual(['sb/renamed-tab', 'sb/gone']);
    terminals.open('sb', { name: 'client' }, { tabs: ['server', 'client'] });
    await flush();
    expect(host.lists).toBe(1);
    terminals.open('other', { name: 'server' }, { tabs: ['server'] });
    await flush();
    expect(host.lists).toBe(2);
  });

  it('lets go of every shell without ending them when the server stops', () => {
    const host = new FakeHost();
    const mirrors = localMirrors();
    const terminals = new TerminalManager(host, undefined, mirrors);
    terminals.open('sb', { name: 'server' });
    terminals.open('sb', { name: 'client' });
    expect(mirrors.mirrors.size).toBe(2);
    terminals.closeAll();
    expect(mirrors.mirrors.size).toBe(0);
    expect(host.opened.map((o) => [o.shell.released, o.shell.killed])).toEqual([
      [true, false],
      [true, false],
    ]);
    expect(terminals.size).toBe(0);
  });

  it('ends the shells of a sandbox that goes away, and frees their screen mirrors', () => {
    const host = new FakeHost();
    const mirrors = localMirrors();
    const terminals = new TerminalManager(host, undefined, mirrors);
    terminals.open('sb', { name: 'server' });
    terminals.open('other', { name: 'server' });
    terminals.closeSandbox('sb');
    expect(host.opened.map((o) => o.shell.killed)).toEqual([true, false]);
    expect(mirrors.mirrors.size).toBe(1);
    expect(terminals.get('sb', 'server')).toBeUndefined();
  });
});
