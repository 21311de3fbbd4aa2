import { describe, expect, it } from 'vitest';
import { checkMessage, lastLine } from './check-message';

const r = (o: Partial<{ exitCode: number; stdout: string; stderr: string; timedOut: boolean }>) => ({
  exitCode: 0,
  stdout: '',
  stderr: '',
  timedOut: false,
  durationMs: 1,
  ...o,
});

describe('check messages', () => {
  it('are the last line the check printed', () => {
    expect(lastLine('first\n\x1b[32msecond\x1b[0m\n\n')).toBe('second');
    expect(checkMessage(r({ exitCode: 1, stdout: 'looking...\nNo map is pinned yet.\n' }), 10_000)).toBe('No map is pinned yet.');
  });
  it('fall back to stderr, then to the exit status', () => {
    expect(checkMessage(r({ exitCode: 2, stderr: 'bpftool: not found\n' }), 10_000)).toBe('bpftool: not found');
    expect(checkMessage(r({ exitCode: 3 }), 10_000)).toMatch(/status 3/);
    expect(checkMessage(r({ exitCode: 0 }), 10_000)).toBe('Done.');
  });
  it('say when the check was stopped for taking too long', () => {
    expect(checkMessage(r({ exitCode: 124, timedOut: true, stdout: 'partial' }), 10_000)).toBe('The check took longer than 10 s and was stopped.');
  });
});
