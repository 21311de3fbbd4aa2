import { describe, expect, it } from 'vitest';
import { ReplayBuffer } from './replay-buffer';

describe('ReplayBuffer', () => {
  it('addresses output by offset and returns exactly what follows one', () => {
    const b = new ReplayBuffer(100);
    expect(b.append('hello ')).toBe(0);
    expect(b.append('world\n')).toBe(6);
    expect(b.since(0)).toBe('hello world\n');
    expect(b.since(8)).toBe('rld\n');
    expect(b.since(12)).toBe('');
    expect(b.since(13)).toBeUndefined(); // never sent
  });

  it('trims whole chunks past its size, and says when a resume point is gone', () => {
    const b = new ReplayBuffer(11);
    b.append('aaaa\n');
    b.append('bbbb\n');
    b.append('cc\ncc\n');
    expect(b.start).toBe(5);
    expect(b.since(0)).toBeUndefined();
    expect(b.since(5)).toBe('bbbb\ncc\ncc\n');
  });

  it('always keeps the newest chunk, however large', () => {
    const b = new ReplayBuffer(4);
    b.append('0123456789');
    expect(b.since(0)).toBe('0123456789');
  });

  it('gives a fresh screen everything while nothing was dropped', () => {
    const b = new ReplayBuffer(100);
    b.append('\x1b[1mbold');
    expect(b.snapshot()).toEqual({ offset: 0, text: '\x1b[1mbold' });
  });

  it('starts a snapshot after a line boundary once older output was dropped', () => {
    const b = new ReplayBuffer(20);
    b.append('first line\n');
    b.append('\x1b[31mred\nnext\n');
    b.append('more');
    const snap = b.snapshot();
    expect(snap.text).toBe('next\nmore');
    expect(snap.offset + snap.text.length).toBe(b.end);
  });

  it('keeps a snapshot without any line boundary whole', () => {
    const b = new ReplayBuffer(4);
    b.append('aaaaaa');
    b.append('bbbb');
    expect(b.snapshot()).toEqual({ offset: 6, text: 'bbbb' });
  });
});
