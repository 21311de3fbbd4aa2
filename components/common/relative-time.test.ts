import { expect, it } from 'vitest';
import { relativeWords } from './relative-time';

it('says how long ago, in the words people use, then the date', () => {
  const now = Date.UTC(2026, 10, 30, 12, 0, 0);
  expect(relativeWords(now - 20_000, now)).toBe('just now');
  expect(relativeWords(now - 5 * 60_000, now)).toBe('5 min ago');
  expect(relativeWords(now - 3 * 3600_000 - 59_000, now)).toBe('3 h ago');
  expect(relativeWords(now - 30 * 3600_000, now)).toBe('yesterday');
  expect(relativeWords(now - 4 * 86400_000, now)).toBe('4 days ago');
  expect(relativeWords(now - 30 * 86400_000, now)).toMatch(/2026/);
});
