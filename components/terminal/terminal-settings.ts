'use client';
// The learner's terminal settings, kept in this browser for every lab: whether Tab moves focus out of the terminal
// (Ctrl+M, as in VS Code) and xterm's screen reader mode.
import { useCallback, useState, useSyncExternalStore } from 'react';

export interface TerminalSettings {
  /** Tab and Shift+Tab move the focus (out of the terminal) instead of going to the shell. */
  tabMovesFocus: boolean;
  /** xterm's screen reader mode: output is announced, and the rows can be read with the reader's keys. */
  screenReader: boolean;
}

export const DEFAULT_SETTINGS: TerminalSettings = { tabMovesFocus: false, screenReader: false };
export const SETTINGS_KEY = 'ebpf-labs:terminal-settings';

/** Settings from what was stored: anything unreadable or missing is the default. */
export function parseSettings(stored: string | null): TerminalSettings {
  if (!stored) return DEFAULT_SETTINGS;
  try {
    const v = JSON.parse(stored) as Partial<Record<keyof TerminalSettings, unknown>>;
    return { tabMovesFocus: v.tabMovesFocus === true, screenReader: v.screenReader === true };
  } catch {
    return DEFAULT_SETTINGS;
  }
}

function readStored(): string | null {
  try {
    return window.localStorage.getItem(SETTINGS_KEY);
  } catch {
    return null; // storage refused (a private window, a policy): the settings last as long as the page
  }
}

const noSubscription = () => () => {};

export function useTerminalSettings(): [TerminalSettings, (change: Partial<TerminalSettings>) => void] {
  // Read once the page is live (the server renders the defaults); changes then live in state, and are stored.
  const stored = useSyncExternalStore(noSubscription, readStored, () => null);
  const [changed, setChanged] = useState<TerminalSettings | undefined>();
  const settings = changed ?? parseSettings(stored);
  const update = useCallback(
    (change: Partial<TerminalSettings>) => {
      setChanged((prev) => {
        const next = { ...(prev ?? parseSettings(readStored())), ...change };
        try {
          window.localStorage.setItem(SETTINGS_KEY, JSON.stringify(next));
        } catch {
          // not kept beyond this page
        }
        return next;
      });
    },
    [],
  );
  return [settings, update];
}
