'use client';
// Lets any part of the lab page type into a terminal tab (Run buttons, interrupt) without knowing about xterm.
// Which tab is on view belongs to the page (it remembers it: components/lab/use-terminal-tab.ts).
import { createContext, useContext, useMemo, useRef, type ReactNode } from 'react';
import type { TerminalHandle } from './terminal-view';

export interface TerminalsApi {
  activeTab: string;
  setActiveTab(tab: string): void;
  /** Shows the tab and puts the keyboard focus in its terminal. */
  focus(tab: string): void;
  register(tab: string, handle: TerminalHandle | undefined): void;
  /** Switches to the tab and runs the command there; false when that terminal is not connected. */
  run(tab: string, command: string): boolean;
  interrupt(tab: string): void;
  /** Called when a command finishes in a tab (the shell's prompt came back). Returns an unsubscribe. */
  onCommandDone(listener: (tab: string) => void): () => void;
  commandDone(tab: string): void;
}

const Ctx = createContext<TerminalsApi | undefined>(undefined);

interface Props {
  activeTab: string;
  onActiveTab(tab: string): void;
  children: ReactNode;
}

export function TerminalsProvider({ activeTab, onActiveTab, children }: Props) {
  const handles = useRef(new Map<string, TerminalHandle>());
  const doneListeners = useRef(new Set<(tab: string) => void>());
  const api = useMemo<TerminalsApi>(() => {
    // A tab's terminal takes the focus once it is on view: a hidden one cannot (React shows it after this event).
    const focusWhenShown = (tab: string) => requestAnimationFrame(() => handles.current.get(tab)?.focus());
    return {
      activeTab,
      setActiveTab: onActiveTab,
      focus(tab) {
        onActiveTab(tab);
        focusWhenShown(tab);
      },
      register(tab, handle) {
        if (handle) handles.current.set(tab, handle);
        else handles.current.delete(tab);
      },
      run(tab, command) {
        onActiveTab(tab);
        const ok = handles.current.get(tab)?.run(command) ?? false;
        focusWhenShown(tab);
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
    };
  }, [activeTab, onActiveTab]);
  return <Ctx.Provider value={api}>{children}</Ctx.Provider>;
}

export function useTerminals(): TerminalsApi {
  const api = useContext(Ctx);
  if (!api) throw new Error('useTerminals needs a TerminalsProvider');
  return api;
}
