import { describe, expect, it } from 'vitest';
import { RESET, ScreenMirror } from './screen-mirror';
import { scrollbackFor } from './scrollback';

/** A terminal that had `before` on it (or nothing) and then got `screen`, as a browser does on a restore. */
async function restoredFrom(screen: string, cols: number, rows: number, before = ''): Promise<ScreenMirror> {
  const b = new ScreenMirror(cols, rows);
  if (before) b.write(before);
  b.write(screen);
  await b.lines();
  return b;
}

/** Restoring `a` onto a fresh terminal (and onto one that showed something else) gives the same screen. */
async function expectExactRestore(a: ScreenMirror) {
  const snap = await a.snapshot();
  expect(snap.screen.startsWith(RESET)).toBe(true);
  for (const before of ['', 'some \x1b[41mother\x1b[0m screen\r\n\x1b[?1049h\x1b[5;10Hfull-screen app']) {
    const b = await restoredFrom(snap.screen, snap.cols, snap.rows, before);
    expect(await b.lines()).toEqual(await a.lines());
    expect((await b.snapshot()).screen).toBe(snap.screen);
    b.dispose();
  }
}

const PROMPT = '\x1b[1;32msandbox\x1b[0m:\x1b[1;34m~\x1b[0m# ';
/** The command that came back garbled in issue 15: longer than two rows at 80 columns. */
const LONG_COMMAND =
  'bpftool prog load sockops.bpf.o /sys/fs/bpf/accel_sockops type sockops && bpftool cgroup attach /sys/fs/cgroup/lab sock_ops pinned /sys/fs/bpf/accel_sockops && bpftool prog load redirect.bpf.o /sys/fs/bpf/accel_msg type sk_msg';

describe('ScreenMirror', () => {
  it('restores colours, the prompt and the cursor exactly', async () => {
    const a = new ScreenMirror(80, 24);
    a.write(`${PROMPT}ls --color\r\n\x1b[38;5;208morange\x1b[0m \x1b[38;2;1;2;3mrgb\x1b[0m \x1b[1;4mbold\x1b[0m\r\n${PROMPT}echo hi`);
    await expectExactRestore(a);
    expect((await a.lines()).slice(0, 3)).toEqual(['sandbox:~# ls --color', 'orange rgb bold', 'sandbox:~# echo hi']);
  });

  it('restores a long wrapped command as one line, at the same size and after resizes', async () => {
    const a = new ScreenMirror(80, 24);
    a.write(`${PROMPT}${LONG_COMMAND}\r\n`);
    a.write(`Error: failed to load\r\n${PROMPT}`);
    await expectExactRestore(a);
    expect((await a.lines())[0]).toBe(`sandbox:~# ${LONG_COMMAND}`);
    for (const [cols, rows] of [
      [50, 20],
      [132, 30],
      [80, 24],
    ] as const) {
      a.resize(cols, rows);
      expect((await a.lines())[0]).toBe(`sandbox:~# ${LONG_COMMAND}`);
      const snap = await a.snapshot();
      expect([snap.cols, snap.rows]).toEqual([cols, rows]);
      await expectExactRestore(a);
    }
  });

  it('re-wraps a restored screen the same way the mirror does when both are resized afterwards', async () => {
    const a = new ScreenMirror(80, 24);
    a.write(`${PROMPT}${LONG_COMMAND}\r\nok\r\n${PROMPT}`);
    const b = await restoredFrom((await a.snapshot()).screen, 80, 24);
    a.resize(57, 24);
    b.resize(57, 24);
    expect(await b.lines()).toEqual(await a.lines());
    expect((await b.snapshot()).screen).toBe((await a.snapshot()).screen);
  });

  it('keeps the same scrollback as the browser, in cells: more output than that drops the same oldest lines', async () => {
    const cols = 200;
    const a = new ScreenMirror(cols, 30);
    const total = scrollbackFor(cols) + 500;
    let out = '';
    for (let i = 0; i < total; i++) out += `line ${i}\r\n`;
    a.write(out);
    const lines = await a.lines();
    expect(lines.length).toBe(scrollbackFor(cols) + 30);
    expect(lines[0]).toBe(`line ${total - scrollbackFor(cols) - 29}`);
    await expectExactRestore(a);
  });

  it('restores a background band only where it was (no stray highlight)', async () => {
    const a = new ScreenMirror(40, 10);
    a.write('\x1b[44mblue band\x1b[K\x1b[0m\r\nplain\r\n\x1b[7mreverse\x1b[27m after');
    await expectExactRestore(a);
  });

  it('restores a full-screen program: the other buffer, its scroll region, a hidden cursor, mouse and keypad modes', async () => {
    const a = new ScreenMirror(80, 24);
    a.write(`${PROMPT}vim\r\n`);
    a.write('\x1b[?1049h\x1b[?1h\x1b[?2004h\x1b[?1000h\x1b[?1006h\x1b[2;22r\x1b[?25l\x1b[H\x1b[2J');
    a.write('\x1b[1;1H"file" 3L\x1b[2;1H~\x1b[3;1H~\x1b[23;1H-- INSERT --\x1b[5;7H');
    const snap = await a.snapshot();
    expect(snap.screen).toContain('\x1b[?1049h');
    expect(snap.screen).toContain('\x1b[2;22r');
    expect(snap.screen).toContain('\x1b[?25l');
    expect(snap.screen).toContain('\x1b[?1006h');
    await expectExactRestore(a);
    // The cursor is where the program left it, and the region still scrolls only rows 2-22.
    const b = await restoredFrom(snap.screen, 80, 24);
    for (const m of [a, b]) m.write('X\x1b[22;1H\n');
    expect(await b.lines()).toEqual(await a.lines());
  });

  it('wraps wide characters as the browser does (Unicode 11 widths)', async () => {
    const a = new ScreenMirror(20, 5);
    a.write(`${'界'.repeat(15)}🙂🙂🙂 done\r\n`);
    await expectExactRestore(a);
    expect((await a.lines())[0]).toBe(`${'界'.repeat(15)}🙂🙂🙂 done`);
  });

  it('applies a resize between the output written before and after it', async () => {
    const a = new ScreenMirror(10, 5);
    a.write('0123456789abc\r\n');
    a.resize(20, 5);
    a.write('0123456789abcdefghijkl\r\n');
    const lines = await a.lines();
    expect(lines.slice(0, 2)).toEqual(['0123456789abc', '0123456789abcdefghijkl']);
    await expectExactRestore(a);
  });

  it('reuses the snapshot of an unchanged screen', async () => {
    const a = new ScreenMirror(80, 24);
    a.write('x');
    const first = await a.snapshot();
    expect(await a.snapshot()).toBe(first);
    a.write('y');
    expect(await a.snapshot()).not.toBe(first);
  });
});
