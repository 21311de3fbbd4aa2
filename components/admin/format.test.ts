import { describe, expect, it } from 'vitest';
import { duration, mebibytes, shortId } from './format';

describe('instructor view formats', () => {
  it('writes durations as people read them', () => {
    expect(duration(4_400)).toBe('4 s');
    expect(duration(12 * 60_000 + 5_000)).toBe('12 min');
    expect(duration(65 * 60_000)).toBe('1 h 05 min');
    expect(duration(-5)).toBe('0 s');
  });
  it('writes memory and ids short', () => {
    expect(mebibytes(17.5 * 1024 ** 2)).toBe('17.5 MiB');
    expect(mebibytes(300 * 1024 ** 2)).toBe('300 MiB');
    expect(shortId('0123456789abcdef01234567')).toBe('01234567');
  });
});
