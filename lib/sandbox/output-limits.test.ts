import { describe, expect, it } from 'vitest';
import { describeStreamEnd, formatBytes, LineSplitter, OutputCollector, RateWindow } from './output-limits';

describe('formatBytes', () => {
  it('names limits as learners read them', () => {
    expect(formatBytes(64 * 1024)).toBe('64 KiB');
    expect(formatBytes(4 * 1024 * 1024)).toBe('4 MiB');
    expect(formatBytes(262_144 + 4096)).toBe('260 KiB');
    expect(formatBytes(1000)).toBe('1000 bytes');
  });
});

describe('OutputCollector', () => {
  it('keeps stdout and stderr apart under one budget, and keeps nothing past it', () => {
    const c = new OutputCollector(10);
    expect(c.add('stdout', Buffer.from('abc'))).toBe(true);
    expect(c.add('stderr', Buffer.from('err'))).toBe(true);
    expect(c.add('stdout', Buffer.from('defghij'))).toBe(false);
    expect(c.overflowed).toBe(true);
    expect(c.add('stdout', Buffer.from('more'))).toBe(false);
    expect(c.text('stdout')).toBe('abcdefg');
    expect(c.text('stderr')).toBe('err');
  });
  it('accepts output of exactly the limit', () => {
    const c = new OutputCollector(4);
    expect(c.add('stdout', Buffer.from('abcd'))).toBe(true);
    expect(c.overflowed).toBe(false);
  });
});

describe('LineSplitter', () => {
  const split = (max: number) => {
    const lines: string[] = [];
    return { lines, s: new LineSplitter(max, (l) => lines.push(l)) };
  };
  it('joins lines across chunks and drops a trailing carriage return', () => {
    const { lines, s } = split(100);
    expect(s.push(Buffer.from('one\r\ntw'))).toBe(true);
    expect(s.push(Buffer.from('o\n\nthr'))).toBe(true);
    expect(s.push(Buffer.from('ee\n'))).toBe(true);
    expect(lines).toEqual(['one', 'two', '', 'three']);
  });
  it('decodes UTF-8 split across chunks', () => {
    const { lines, s } = split(100);
    const bytes = Buffer.from('é\n');
    s.push(bytes.subarray(0, 1));
    s.push(bytes.subarray(1));
    expect(lines).toEqual(['é']);
  });
  it('refuses a line longer than the limit, whether it comes whole or in pieces, without holding it', () => {
    const whole = split(8);
    expect(whole.s.push(Buffer.from('12345678\n123456789\n'))).toBe(false);
    expect(whole.lines).toEqual(['12345678']);
    const pieces = split(8);
    for (let i = 0; i < 2; i++) expect(pieces.s.push(Buffer.from('1234'))).toBe(true);
    expect(pieces.s.push(Buffer.from('5'))).toBe(false);
    expect(pieces.lines).toEqual([]);
  });
});

describe('RateWindow', () => {
  it('allows the rate times the window in one window, then refuses, and starts again in the next', () => {
    const r = new RateWindow(10, 2000, 0);
    expect(r.add(20, 100)).toBe(true);
    expect(r.add(1, 1999)).toBe(false);
    expect(r.add(20, 2000)).toBe(true);
  });
});

describe('describeStreamEnd', () => {
  it('says what the program did', () => {
    expect(describeStreamEnd({ kind: 'line-too-long', limitBytes: 65536 })).toBe('printed a line longer than 64 KiB');
    expect(describeStreamEnd({ kind: 'too-many-bytes', limitPerSecond: 262144 })).toBe('printed more than 256 KiB a second');
    expect(describeStreamEnd({ kind: 'too-many-lines', limitPerSecond: 50 })).toBe('printed more than 50 lines a second');
  });
});
