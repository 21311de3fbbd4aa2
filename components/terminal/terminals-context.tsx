'use client';
// Lets any part of the lab page type into a terminal tab (Run buttons, interrupt) without knowing about xterm.
import { createContext, useContext, useMemo, useRef, useState, type ReactNode } from 'react';
import type { TerminalHandle } from './terminal-view';

export interface TerminalsApi {
  activeTab: string;
  setActiveTab(tab: string): void;
  register(tab: string, handle: TerminalHandle | undefined): void;
  /** Switches to the tab and runs the command there; false when that terminal is not connected. */
  run(tab: string, command: string): boolean;
  interrupt(tab: string): void;
  /** Called when a command finishes in a tab (the shell's prompt came back). Returns an unsubscribe. */
  onCommandDone(listener: (tab: string) => void): () => void;
  commandDone(tab: string): void;
}

const Ctx = createContext<TerminalsApi | undefined>(undefined);

export function TerminalsProvider({ initialTab, children }: { initialTab: string; children: ReactNode }) {
  const handles = useRef(new Map<string, TerminalHandle>());
  const doneListeners = useRef(new Set<(tab: string) => void>());
  const [activeTab, setActiveTab] = useState(initialTab);
  const api = useMemo<TerminalsApi>(
    () => ({
      activeTab,
      setActiveTab,
      register(tab, handle) {
        if (handle) handles.current.set(tab, handle);
        else handles.current.delete(tab);
      },
      run(tab, command) {
        setActiveTab(tab);
        const h = handles.current.get(tab);
        const ok = h?.run(command) ?? false;
        h?.focus();
        return ok;
      },
      interrupt(tab) {
        handles.current.get(tab)?.interrupt();
      },
      onCommandDone(listener) {
        doneListeners.current.add(listener);
        return () => doneListeners.current.delete(listener);
      },
      commandDone(tab) {
        for (const l of doneListeners.current) l(tab);
      },
    }),
    [activeTab],
  );
  return <Ctx.Provider value={api}>{children}</Ctx.Provider>;
}

export function useTerminals(): TerminalsApi {
  const api = useContext(Ctx);
  if (!api) throw new Error('useTerminals needs a TerminalsProvider');
  return api;
}
