import { describe, expect, it } from 'vitest';
import { stripColours, stripEscapes } from './ansi';

describe('escape sequences', () => {
  it('colours go, the text stays', () => {
    expect(stripColours('\x1b[32mok\x1b[0m and \x1b[1;31mFAIL\x1b[m')).toBe('ok and FAIL');
    expect(stripColours('\x1b[?2004hprompt')).toBe('\x1b[?2004hprompt'); // not a colour
  });
  it('every CSI, OSC and charset sequence goes', () => {
    expect(stripEscapes('\x1b[?2004h\x1b]0;title\x07$ \x1b]6973;done\x1b\\ls\x1b(B\x1b[K')).toBe('$ ls');
  });
});
