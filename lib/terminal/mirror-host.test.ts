import { afterEach, describe, expect, it } from 'vitest';
import { workerMirrors, type MirrorEvents, type MirrorFactory } from './mirror-host';
import { ScreenMirror } from './screen-mirror';

const factories: MirrorFactory[] = [];
afterEach(() => factories.splice(0).forEach((f) => f.close()));

function events() {
  const e = { parsed: 0, lost: 0 };
  const listeners: MirrorEvents = { parsed: (n) => (e.parsed += n), lost: () => e.lost++ };
  return { e, listeners };
}

async function until(cond: () => boolean, timeoutMs = 20_000) {
  const end = Date.now() + timeoutMs;
  while (!cond()) {
    if (Date.now() > end) throw new Error('condition not met');
    await new Promise((r) => setTimeout(r, 10));
  }
}

describe('screen mirrors in a worker thread', () => {
  it('mirrors each session in order, reports what it parsed, and restores the screen', async () => {
    const mirrors = workerMirrors();
    factories.push(mirrors);
    const a = events();
    const b = events();
    const one = mirrors.create(40, 10, a.listeners);
    const two = mirrors.create(20, 5, b.listeners);
    one.write('first line\r\n');
    one.resize(30, 8);
    one.write('a line longer than thirty columns, wrapped');
    two.write('other');
    const snap = await one.snapshot();
    expect([snap.cols, snap.rows]).toEqual([30, 8]);
    await until(() => a.e.parsed === 12 + 42 && b.e.parsed === 5);
    // The same screen as a mirror on this thread fed the same way.
    const here = new ScreenMirror(40, 10);
    here.write('first line\r\n');
    here.resize(30, 8);
    here.write('a line longer than thirty columns, wrapped');
    expect(snap.screen).toBe((await here.snapshot()).screen);
    here.dispose();
    expect((await two.snapshot()).screen).toContain('other');
    two.dispose();
    await expect(two.snapshot()).rejects.toThrow(/gone/);
  }, 60_000);

  it('says every mirror is lost when the worker dies, and starts a new worker for the next one', async () => {
    const mirrors = workerMirrors();
    factories.push(mirrors);
    const a = events();
    const one = mirrors.create(40, 10, a.listeners);
    one.write('x');
    await one.snapshot();
    const waiting = one.snapshot();
    one.write(undefined as unknown as string); // a message the worker cannot handle: it throws and dies
    await expect(waiting).rejects.toThrow(/worker/);
    await until(() => a.e.lost === 1);
    const next = mirrors.create(40, 10, events().listeners);
    next.write('again');
    expect((await next.snapshot()).screen).toContain('again');
  }, 60_000);

  it('stops starting a worker that keeps dying: mirrors then keep nothing and restores use the raw output', async () => {
    const mirrors = workerMirrors();
    factories.push(mirrors);
    for (let i = 0; i < 3; i++) {
      const a = events();
      const m = mirrors.create(40, 10, a.listeners);
      m.write(undefined as unknown as string);
      await until(() => a.e.lost === 1);
    }
    const last = events();
    const m = mirrors.create(40, 10, last.listeners);
    m.write('abc');
    expect(last.e.parsed).toBe(3); // counted as applied: the shell is never held up by a mirror that is not there
    await expect(m.snapshot()).rejects.toThrow(/keeps failing/);
  }, 60_000);
});
