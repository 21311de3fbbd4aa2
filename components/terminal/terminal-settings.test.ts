import { describe, expect, it } from 'vitest';
import { DEFAULT_SETTINGS, parseSettings } from './terminal-settings';

describe('terminal settings', () => {
  it('reads what was stored, and the defaults from anything else', () => {
    expect(parseSettings(JSON.stringify({ tabMovesFocus: true, screenReader: true }))).toEqual({ tabMovesFocus: true, screenReader: true });
    expect(parseSettings(JSON.stringify({ tabMovesFocus: true }))).toEqual({ tabMovesFocus: true, screenReader: false });
    expect(parseSettings(null)).toEqual(DEFAULT_SETTINGS);
    expect(parseSettings('{oops')).toEqual(DEFAULT_SETTINGS);
    expect(parseSettings(JSON.stringify({ tabMovesFocus: 'yes', screenReader: 1 }))).toEqual(DEFAULT_SETTINGS);
    expect(parseSettings('[]')).toEqual(DEFAULT_SETTINGS);
  });
});
