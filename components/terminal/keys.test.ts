import { describe, expect, it } from 'vitest';
import { isTabFocusToggle, keyLeavesTerminal, tabAfterKey } from './keys';

const key = (key: string, mods: Partial<Record<'ctrlKey' | 'shiftKey' | 'altKey' | 'metaKey', boolean>> = {}, code = '') => ({
  key,
  code,
  ctrlKey: false,
  shiftKey: false,
  altKey: false,
  metaKey: false,
  ...mods,
});

describe('the terminal keyboard', () => {
  it('toggles "Tab moves focus" with Ctrl+M only', () => {
    expect(isTabFocusToggle(key('m', { ctrlKey: true }, 'KeyM'))).toBe(true);
    // Another layout puts another letter on that key, or M on another: either one counts.
    expect(isTabFocusToggle(key(',', { ctrlKey: true }, 'KeyM'))).toBe(true);
    expect(isTabFocusToggle(key('M', { ctrlKey: true }, 'Semicolon'))).toBe(true);
    expect(isTabFocusToggle(key('m', {}, 'KeyM'))).toBe(false);
    expect(isTabFocusToggle(key('M', { ctrlKey: true, shiftKey: true }, 'KeyM'))).toBe(false);
    expect(isTabFocusToggle(key('m', { ctrlKey: true, altKey: true }, 'KeyM'))).toBe(false);
  });

  it('gives Tab and Shift+Tab to the browser only while "Tab moves focus" is on', () => {
    expect(keyLeavesTerminal(key('Tab'), false)).toBe(false);
    expect(keyLeavesTerminal(key('Tab', { shiftKey: true }), false)).toBe(false);
    expect(keyLeavesTerminal(key('Tab'), true)).toBe(true);
    expect(keyLeavesTerminal(key('Tab', { shiftKey: true }), true)).toBe(true);
    expect(keyLeavesTerminal(key('Tab', { ctrlKey: true }), true)).toBe(false);
    expect(keyLeavesTerminal(key('a'), true)).toBe(false);
  });

  it('leaves Shift+F10 to the browser, for the terminal menu', () => {
    expect(keyLeavesTerminal(key('F10', { shiftKey: true }), false)).toBe(true);
    expect(keyLeavesTerminal(key('F10'), false)).toBe(false);
  });

  it('moves between tabs with the arrows, Home and End, around the ends', () => {
    expect(tabAfterKey('ArrowRight', 0, 3)).toBe(1);
    expect(tabAfterKey('ArrowRight', 2, 3)).toBe(0);
    expect(tabAfterKey('ArrowLeft', 0, 3)).toBe(2);
    expect(tabAfterKey('Home', 2, 3)).toBe(0);
    expect(tabAfterKey('End', 0, 3)).toBe(2);
    expect(tabAfterKey('Enter', 0, 3)).toBe(-1);
  });
});
