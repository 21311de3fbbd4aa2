// The terminal's keyboard, apart from what goes to the shell. No DOM or React: plain logic, unit-tested.

type Keys = Pick<KeyboardEvent, 'key' | 'code' | 'ctrlKey' | 'shiftKey' | 'altKey' | 'metaKey'>;

/**
 * Ctrl+M, and nothing else held: turns "Tab moves focus" on and off, as in VS Code. Shells read Ctrl+M as Enter,
 * which the Enter key does as well; Esc cannot be the way out, since shells and editors use it.
 */
export function isTabFocusToggle(e: Keys): boolean {
  return e.ctrlKey && !e.shiftKey && !e.altKey && !e.metaKey && (e.code === 'KeyM' || e.key.toLowerCase() === 'm');
}

/**
 * Keys the browser gets instead of the shell: Tab and Shift+Tab while "Tab moves focus" is on (the focus leaves the
 * terminal), and Shift+F10 (the browser opens the terminal's menu with it).
 */
export function keyLeavesTerminal(e: Keys, tabMovesFocus: boolean): boolean {
  if (e.key === 'Tab') return tabMovesFocus && !e.ctrlKey && !e.altKey && !e.metaKey;
  return e.key === 'F10' && e.shiftKey && !e.ctrlKey && !e.altKey && !e.metaKey;
}

/** The tab an arrow key moves to in a tab list (it wraps around; Home and End go to the ends), or -1. */
export function tabAfterKey(key: string, index: number, count: number): number {
  if (key === 'ArrowRight') return (index + 1) % count;
  if (key === 'ArrowLeft') return (index - 1 + count) % count;
  if (key === 'Home') return 0;
  if (key === 'End') return count - 1;
  return -1;
}
