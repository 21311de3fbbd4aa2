import { describe, expect, it } from 'vitest';
import { MAX_HEADER_BYTES, parseExitRecord, parseSessionList, scanHeader } from './session-records';

const HEADER = '\x1b]6973;session;0123456789abcdef;10;11;0;4096\x07';

describe('scanHeader', () => {
  it('reads the header and returns what follows it', () => {
    const scan = scanHeader(Buffer.from(`${HEADER}rest`));
    expect(scan).toEqual({
      state: 'header',
      header: { holder: '0123456789abcdef', holderPid: 10, shellPid: 11, start: 0, end: 4096 },
      rest: Buffer.from('rest'),
    });
  });

  it('waits for the rest of a header, and only of one', () => {
    expect(scanHeader(Buffer.from(HEADER.slice(0, 5)))).toEqual({ state: 'partial' });
    expect(scanHeader(Buffer.from(HEADER.slice(0, 30)))).toEqual({ state: 'partial' });
    expect(scanHeader(Buffer.from('\x1b]6973;sessiom'))).toEqual({ state: 'plain' });
  });

  it.each([
    ['docker output', 'Error response from daemon: No such container'],
    ['a shell prompt', 'sandbox:~# '],
    ['a bad holder id', '\x1b]6973;session;XYZ;10;11;0;0\x07'],
    ['an end before the start', '\x1b]6973;session;0123456789abcdef;10;11;9;3\x07'],
    ['a header that never ends', `\x1b]6973;session;${'1'.repeat(MAX_HEADER_BYTES)}`],
  ])('takes %s for plain output', (_what, text) => {
    expect(scanHeader(Buffer.from(text))).toEqual({ state: 'plain' });
  });
});

describe('parseExitRecord', () => {
  it('finds the exit record at the very end of the stream', () => {
    expect(parseExitRecord('exit\r\n\x1b]6973;exit;7;0\x07')).toEqual({ exitCode: 7 });
    expect(parseExitRecord('\x1b]6973;exit;137;9\x07')).toEqual({ exitCode: 137, signal: 9 });
  });

  it('ignores one that output followed', () => {
    expect(parseExitRecord('\x1b]6973;exit;7;0\x07# ')).toBeUndefined();
  });
});

describe('parseSessionList', () => {
  it('reads lab-session list, leaving out lines that are not its own', () => {
    const out = ['server 120 alive 0123456789abcdef', 'old-tab - stale -', 'client 130 exited 89abcdef01234567', 'garbage here', 'x y z w v', ''];
    expect(parseSessionList(out.join('\n'))).toEqual([
      { name: 'server', shellPid: 120, state: 'alive' },
      { name: 'old-tab', state: 'stale' },
      { name: 'client', shellPid: 130, state: 'exited' },
    ]);
  });
});
