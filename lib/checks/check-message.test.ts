import { describe, expect, it } from 'vitest';
import { checkMessage, checkPassed, lastLine } from './check-message';

const r = (o: Partial<{ exitCode: number; stdout: string; stderr: string; timedOut: boolean; overflow: boolean; outputLimit: number }>) => ({
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
  it('drop control characters, so binary garbage cannot reach the page as such', () => {
    expect(lastLine('ok\n\x00\x01bin\x07ary\x7f\r\n')).toBe('binary');
  });
  it('are cut when the last line is longer than a message', () => {
    const long = lastLine(`${'x'.repeat(5000)}\n`)!;
    expect(long).toHaveLength(1000);
    expect(long.endsWith('...')).toBe(true);
  });
  it('fall back to stderr, then to the exit status', () => {
    expect(checkMessage(r({ exitCode: 2, stderr: 'bpftool: not found\n' }), 10_000)).toBe('bpftool: not found');
    expect(checkMessage(r({ exitCode: 3 }), 10_000)).toMatch(/status 3/);
    expect(checkMessage(r({ exitCode: 0 }), 10_000)).toBe('Done.');
  });
  it('say when the check was stopped for taking too long', () => {
    expect(checkMessage(r({ exitCode: 124, timedOut: true, stdout: 'partial' }), 10_000)).toBe('The check took longer than 10 s and was stopped.');
  });
  it('say when the check printed too much and was stopped, whatever its last line, and never pass', () => {
    const flooded = r({ exitCode: 0, overflow: true, outputLimit: 64 * 1024, stdout: 'yyyyyyyy' });
    expect(checkMessage(flooded, 10_000)).toBe('The check printed more than 64 KiB and was stopped.');
    expect(checkPassed(flooded)).toBe(false);
    expect(checkPassed(r({ exitCode: 0 }))).toBe(true);
  });
});
