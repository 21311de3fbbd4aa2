import { afterEach, describe, expect, it, vi } from 'vitest';
import { HeldShell, type LinkOptions, type RawPty } from './held-shell';

const ID = '0123456789abcdef';
const header = (start: number, end: number, holder = ID) => `\x1b]6973;session;${holder};100;200;${start};${end}\x07`;

class FakeLink implements RawPty {
  pid = 7;
  written: string[] = [];
  paused = false;
  killed = false;
  size?: { cols: number; rows: number };
  private dataCb?: (d: Buffer) => void;
  private exitCb?: (e: { exitCode: number; signal?: number }) => void;
  constructor(readonly opts: LinkOptions) {}
  onData(cb: (d: Buffer) => void) {
    this.dataCb = cb;
  }
  onExit(cb: (e: { exitCode: number; signal?: number }) => void) {
    this.exitCb = cb;
  }
  write(d: string) {
    this.written.push(d);
  }
  resize(cols: number, rows: number) {
    this.size = { cols, rows };
  }
  pause() {
    this.paused = true;
  }
  resume() {
    this.paused = false;
  }
  kill() {
    this.killed = true;
  }
  emit(d: string | Buffer) {
    this.dataCb!(typeof d === 'string' ? Buffer.from(d) : d);
  }
  exit(exitCode: number, signal?: number) {
    this.exitCb!({ exitCode, signal });
  }
}

function setup(opts: { replace?: boolean } = {}) {
  const links: FakeLink[] = [];
  const killed: string[] = [];
  const shell = new HeldShell(
    {
      link: (o) => {
        const l = new FakeLink(o);
        links.push(l);
        return l;
      },
      killHolder: async (h) => void killed.push(h),
    },
    { cols: 80, rows: 24, ...opts },
  );
  const out: { text: string; history: boolean }[] = [];
  const exits: { exitCode: number | null; signal?: number }[] = [];
  shell.onData((text, history) => out.push({ text, history: !!history }));
  shell.onExit((e) => exits.push(e));
  const live = () => out.filter((o) => !o.history).map((o) => o.text).join('');
  const history = () => out.filter((o) => o.history).map((o) => o.text).join('');
  return { shell, links, killed, exits, live, history, link: () => links.at(-1)! };
}

const settled = async (p: Promise<unknown>) => {
  let done = false;
  void p.then(() => (done = true));
  await new Promise((r) => setImmediate(r));
  return done;
};

afterEach(() => vi.useRealTimers());

describe('HeldShell', () => {
  it('starts with a link from offset 0 at the requested size, replacing the old shell when asked', () => {
    const { links } = setup({ replace: true });
    expect(links[0]!.opts).toEqual({ offset: 0, replace: true, cols: 80, rows: 24 });
  });

  it('reads the header, hands the replay over as history and what follows as live output', async () => {
    const { shell, link, live, history } = setup();
    expect(await settled(shell.ready)).toBe(false);
    link().emit(header(0, 13).slice(0, 10)); // the header may arrive in pieces
    link().emit(header(0, 13).slice(10) + 'echo $$\r\n42');
    expect(await settled(shell.ready)).toBe(false);
    link().emit('\r\n# ');
    expect(await settled(shell.ready)).toBe(true);
    expect(history()).toBe('echo $$\r\n42\r\n');
    expect(live()).toBe('# ');
    expect(shell.pid).toBe(200);
    expect(shell.holder).toBe(ID);
  });

  it('reads a history the holder trimmed from its first line boundary, and counts the bytes it skips', () => {
    const { link, history, live, links } = setup();
    const cut = Buffer.concat([Buffer.from('€').subarray(1), Buffer.from('[0m tail of a line\r\nwhole line\r\n# ')]);
    link().emit(Buffer.concat([Buffer.from(header(1000, 1000 + cut.length)), cut.subarray(0, 5)]));
    link().emit(Buffer.concat([cut.subarray(5), Buffer.from('live')]));
    expect(history()).toBe('whole line\r\n# ');
    expect(live()).toBe('live');
    link().exit(1);
    expect(links[1]!.opts.offset).toBe(1000 + cut.length + 4);
  });

  it('is ready at once for a new shell (nothing held)', async () => {
    const { shell, link } = setup();
    link().emit(header(0, 0));
    expect(await settled(shell.ready)).toBe(true);
  });

  it('decodes UTF-8 split across reads and counts bytes, not characters', () => {
    const { link, live, links } = setup();
    const euro = Buffer.from('€'); // 3 bytes, 1 character
    link().emit(Buffer.concat([Buffer.from(header(0, 0)), euro.subarray(0, 1)]));
    link().emit(euro.subarray(1));
    expect(live()).toBe('€');
    link().exit(0, 9); // the docker exec was killed: come back from byte 3
    expect(links[1]!.opts).toMatchObject({ offset: 3, holder: ID });
  });

  it('comes back to the same holder from where it was when a link breaks, and passes keystrokes typed meanwhile', () => {
    const { shell, links, link, live, exits } = setup();
    link().emit(header(0, 0) + 'abc');
    shell.write('ls');
    expect(links[0]!.written).toEqual(['ls']);
    link().exit(1);
    expect(links).toHaveLength(2);
    expect(links[1]!.opts).toEqual({ offset: 3, holder: ID, cols: 80, rows: 24 });
    shell.write('\r'); // before the new link said hello: kept
    expect(links[1]!.written).toEqual([]);
    link().emit(header(3, 5) + 'de' + 'f');
    expect(links[1]!.written).toEqual(['\r']);
    expect(live()).toBe('abcdef'); // the bytes missed while the link was down are new output, not history
    expect(exits).toEqual([]);
  });

  it('ends with the exit record, once, and never comes back for a shell that ended', () => {
    const { link, links, exits, live } = setup();
    link().emit(header(0, 0) + 'bye\r\n\x1b]6973;exit;7;0\x07');
    link().exit(7);
    expect(exits).toEqual([{ exitCode: 7 }]);
    expect(links).toHaveLength(1);
    expect(live()).toContain('bye');
  });

  it('reports the signal that ended the shell', () => {
    const { link, exits } = setup();
    link().emit(header(0, 0) + '\x1b]6973;exit;137;9\x07');
    link().exit(137);
    expect(exits).toEqual([{ exitCode: 137, signal: 9 }]);
  });

  it('takes an exit record printed in the middle of the output for what it is: output', () => {
    const { link, links, exits } = setup();
    link().emit(header(0, 0) + '\x1b]6973;exit;0;0\x07more');
    link().exit(1);
    expect(exits).toEqual([]);
    expect(links).toHaveLength(2);
  });

  it('ends when the holder is gone on the way back', () => {
    const { link, links, exits, live } = setup();
    link().emit(header(0, 0));
    link().exit(1);
    links[1]!.emit('lab-session: session sandbox has ended\r\n');
    links[1]!.exit(3);
    expect(live()).toContain('has ended');
    expect(exits).toEqual([{ exitCode: null }]);
    expect(links).toHaveLength(2);
  });

  it('treats a stream without a header as a plain shell (docker could not run the exec)', async () => {
    const { shell, link, links, live, exits } = setup();
    link().emit('Error response from daemon: No such container: x\r\n');
    expect(await settled(shell.ready)).toBe(true);
    link().exit(1);
    expect(live()).toBe('Error response from daemon: No such container: x\r\n');
    expect(exits).toEqual([{ exitCode: 1 }]);
    expect(links).toHaveLength(1);
  });

  it('gives up on a link that keeps breaking', () => {
    const { link, links, exits } = setup();
    link().emit(header(0, 0));
    for (let i = 0; i < 10 && !exits.length; i++) {
      link().exit(1);
      if (!exits.length) link().emit(header(0, 0));
    }
    expect(exits).toEqual([{ exitCode: null }]);
    expect(links.length).toBeLessThanOrEqual(6);
  });

  it('kill ends this holder (by its id) and waits for the exit record', async () => {
    const { shell, link, killed, exits } = setup();
    link().emit(header(0, 0));
    shell.kill();
    await Promise.resolve();
    expect(killed).toEqual([ID]);
    expect(exits).toEqual([]);
    link().emit('\x1b]6973;exit;129;1\x07');
    link().exit(129);
    expect(exits).toEqual([{ exitCode: 129, signal: 1 }]);
  });

  it('kill ends the session by itself when the holder does not answer', () => {
    vi.useFakeTimers();
    const { shell, link, exits } = setup();
    link().emit(header(0, 0));
    shell.kill();
    vi.advanceTimersByTime(10_000);
    expect(exits).toEqual([{ exitCode: null, signal: 1 }]);
    expect(link().killed).toBe(true);
  });

  it('release lets go of the link and says nothing: the shell lives on in its holder', () => {
    const { shell, link, links, exits, killed } = setup();
    link().emit(header(0, 0));
    shell.release();
    expect(link().killed).toBe(true);
    link().exit(0, 1);
    expect(exits).toEqual([]);
    expect(killed).toEqual([]);
    expect(links).toHaveLength(1);
  });

  it('keeps a paused link paused and a new link at the latest size', () => {
    const { shell, link, links } = setup();
    link().emit(header(0, 0));
    shell.pause();
    shell.resize(132, 43);
    expect(link().paused).toBe(true);
    link().exit(1);
    expect(links[1]!.paused).toBe(true);
    expect(links[1]!.opts).toMatchObject({ cols: 132, rows: 43 });
    shell.resume();
    expect(links[1]!.paused).toBe(false);
  });

  it('makes a link that hangs (no header) again, and gives up on a first link that hangs', () => {
    vi.useFakeTimers();
    const { link, links, exits } = setup();
    link().emit(header(0, 0) + 'ab');
    link().exit(1);
    vi.advanceTimersByTime(30_000); // the new link never says anything
    expect(links[1]!.killed).toBe(true);
    expect(links[2]!.opts).toMatchObject({ offset: 2, holder: ID });
    expect(exits).toEqual([]);

    const first = setup();
    vi.advanceTimersByTime(30_000);
    expect(first.links[0]!.killed).toBe(true);
    expect(first.exits).toEqual([{ exitCode: null }]);
  });
});
