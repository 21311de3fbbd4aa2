'use client';
// The terminal tab on view, per lab, remembered in this browser (localStorage): a reload or a return to the lab
// opens the tab the learner was using. In this browser because the learner is this browser (an anonymous cookie,
// no accounts), it costs no request and no schema, and it is there before the terminals connect, even when the server
// or the sandbox is not.
import { useCallback, useState, useSyncExternalStore } from 'react';

export const terminalTabKey = (lab: string) => `ebpf-labs:terminal-tab:${lab}`;

/** The tab to show: the learner's last choice while the lab still has that tab, else the tab the page opened on. */
export function pickTab(stored: string | null, tabs: readonly { name: string }[], opening: string): string {
  return stored && tabs.some((t) => t.name === stored) ? stored : opening;
}

const noSubscription = () => () => {};

export function useTerminalTab(lab: string, tabs: readonly { name: string }[], opening: string): [string, (tab: string) => void] {
  // The tab the page opened on stays the default when the step changes: only the learner moves the terminals.
  const [initial] = useState(opening);
  const stored = useSyncExternalStore(
    noSubscription,
    () => readStored(lab),
    () => null,
  );
  const [chosen, setChosen] = useState<string | undefined>();
  const choose = useCallback(
    (tab: string) => {
      setChosen(tab);
      try {
        window.localStorage.setItem(terminalTabKey(lab), tab);
      } catch {
        // storage refused: remembered for this page only
      }
    },
    [lab],
  );
  return [pickTab(chosen ?? stored, tabs, initial), choose];
}

function readStored(lab: string): string | null {
  try {
    return window.localStorage.getItem(terminalTabKey(lab));
  } catch {
    return null;
  }
}
