'use client';
// Terminal tabs (one per sandbox shell: the plain sandbox, or a pod), each with its connection status, and the
// terminal bar's controls. A terminal that lost its connection reconnects by itself; one that ended, or that another
// tab took over, says so and offers the way back.
// Keyboard: arrows move between the tabs; Ctrl+M turns "Tab moves focus" on and off (then Tab and Shift+Tab leave
// the terminal); Shift+F10 opens a terminal's menu. Every control of the bar is a button in the focus order.
import { useCallback, useId, useRef, useState, type KeyboardEvent } from 'react';
import type { ConnectionStatus } from '@/lib/terminal/browser-connection';
import type { ControlToClient } from '@/lib/terminal/protocol';
import { isTabFocusToggle, tabAfterKey } from './keys';
import { useTerminalSettings } from './terminal-settings';
import { TerminalView, type TerminalHandle } from './terminal-view';
import { useTerminals } from './terminals-context';

export interface TabInfo {
  name: string;
  title?: string;
  pod?: string;
}

function statusLabel(s: ConnectionStatus | undefined): { text: string; tone: 'ok' | 'warn' | 'error' | 'muted' } {
  switch (s?.state) {
    case 'connected':
      return { text: 'connected', tone: 'ok' };
    case 'reconnecting':
      return { text: `reconnecting (attempt ${s.attempt})…`, tone: 'warn' };
    case 'ended':
      return { text: 'ended', tone: 'muted' };
    case 'replaced':
      return { text: 'open in another tab', tone: 'warn' };
    case 'refused':
      return { text: 'disconnected', tone: 'error' };
    default:
      return { text: 'connecting…', tone: 'muted' };
  }
}

const tabId = (name: string) => `tab-${name}`;
const panelId = (name: string) => `panel-${name}`;

export function TerminalPane({ lab, tabs, onEvent }: { lab: string; tabs: TabInfo[]; onEvent?(tab: string, msg: ControlToClient): void }) {
  const terminals = useTerminals();
  const [settings, updateSettings] = useTerminalSettings();
  const [statuses, setStatuses] = useState<Record<string, ConnectionStatus>>({});
  const [announcement, setAnnouncement] = useState('');
  const handles = useRef(new Map<string, TerminalHandle>());
  const keysHelp = useId();

  const setStatus = useCallback((tab: string, s: ConnectionStatus) => setStatuses((prev) => ({ ...prev, [tab]: s })), []);
  const active = tabs.some((t) => t.name === terminals.activeTab) ? terminals.activeTab : tabs[0]!.name;
  const current = statuses[active];

  const toggleTabFocus = () => {
    const on = !settings.tabMovesFocus;
    updateSettings({ tabMovesFocus: on });
    setAnnouncement(on ? 'Tab moves focus: on. Tab and Shift+Tab leave the terminal.' : 'Tab moves focus: off. Tab goes to the shell.');
  };

  const onTabKey = (e: KeyboardEvent) => {
    const next = tabAfterKey(e.key, tabs.findIndex((t) => t.name === active), tabs.length);
    if (next < 0) return;
    e.preventDefault();
    terminals.setActiveTab(tabs[next]!.name);
    document.getElementById(tabId(tabs[next]!.name))?.focus();
  };

  return (
    <section
      className="terminal-pane"
      aria-label="Terminals"
      onKeyDown={(e) => {
        if (!isTabFocusToggle(e)) return;
        e.preventDefault();
        toggleTabFocus();
      }}
    >
      <div className="terminal-tabs">
        <div role="tablist" aria-label="Terminal tabs" className="terminal-tablist" onKeyDown={onTabKey}>
          {tabs.map((t) => {
            const label = statusLabel(statuses[t.name]);
            return (
              <button
                key={t.name}
                type="button"
                role="tab"
                id={tabId(t.name)}
                aria-selected={t.name === active}
                aria-controls={panelId(t.name)}
                tabIndex={t.name === active ? 0 : -1}
                className="terminal-tab"
                data-status={statuses[t.name]?.state ?? 'connecting'}
                // A click puts the keyboard in the terminal; Enter or Space on the tab leaves the focus on it.
                onClick={(e) => (e.detail > 0 ? terminals.focus(t.name) : terminals.setActiveTab(t.name))}
              >
                <span className={`status-dot status-${label.tone}`} aria-hidden />
                {t.title ?? t.name}
                <span className="sr-only"> ({label.text})</span>
              </button>
            );
          })}
        </div>
        <span className={`terminal-status status-text-${statusLabel(current).tone}`} data-testid="terminal-status" role="status">
          {statusLabel(current).text}
        </span>
        <div className="terminal-actions">
          <button
            type="button"
            className="button button-small terminal-toggle"
            aria-pressed={settings.tabMovesFocus}
            data-testid="tab-moves-focus"
            title="Ctrl+M: Tab and Shift+Tab move the focus out of the terminal instead of going to the shell"
            onClick={toggleTabFocus}
          >
            <kbd>Ctrl+M</kbd> Tab moves focus
          </button>
          <button
            type="button"
            className="button button-small terminal-toggle"
            aria-pressed={settings.screenReader}
            title="Screen reader mode: new output is read out, and the terminal's rows can be read line by line"
            onClick={() => updateSettings({ screenReader: !settings.screenReader })}
          >
            Screen reader
          </button>
          <button
            type="button"
            className="button button-small"
            title="Interrupt the running command (Ctrl+C)"
            onClick={() => {
              terminals.interrupt(active);
              handles.current.get(active)?.focus();
            }}
          >
            Ctrl+C
          </button>
          <button
            type="button"
            className="button button-small"
            title="End this shell and start a new one (in the pod, if the lab has created it)"
            onClick={() => handles.current.get(active)?.reconnect(true)}
          >
            New shell
          </button>
        </div>
      </div>
      <p id={keysHelp} className="sr-only">
        Press Ctrl+M to turn &quot;Tab moves focus&quot; {settings.tabMovesFocus ? 'off' : 'on'}: when it is on, Tab and Shift+Tab
        leave the terminal; when it is off, they go to the shell. Shift+F10 opens the terminal&apos;s menu.
      </p>
      <span className="sr-only" role="status">
        {announcement}
      </span>
      <div className="terminal-body">
        {tabs.map((t) => (
          <div
            key={t.name}
            id={panelId(t.name)}
            role="tabpanel"
            aria-labelledby={tabId(t.name)}
            hidden={t.name !== active}
            className="terminal-panel"
          >
            <TerminalView
              lab={lab}
              tab={t.name}
              active={t.name === active}
              tabMovesFocus={settings.tabMovesFocus}
              screenReader={settings.screenReader}
              describedBy={keysHelp}
              onStatus={(s) => setStatus(t.name, s)}
              onHandle={(h) => {
                if (h) handles.current.set(t.name, h);
                else handles.current.delete(t.name);
                terminals.register(t.name, h);
              }}
              onEvent={(msg) => {
                if (msg.type === 'event' && msg.name === 'command-done') terminals.commandDone(t.name);
                onEvent?.(t.name, msg);
              }}
            />
            <TerminalOverlay status={statuses[t.name]} handle={() => handles.current.get(t.name)} />
          </div>
        ))}
      </div>
    </section>
  );
}

function TerminalOverlay({ status, handle }: { status?: ConnectionStatus; handle: () => TerminalHandle | undefined }) {
  if (!status || status.state === 'connected' || status.state === 'connecting') return null;
  if (status.state === 'reconnecting') {
    return (
      <div className="terminal-banner" role="status">
        Connection lost: reconnecting… Your shell keeps running in the sandbox.
      </div>
    );
  }
  const [message, action, fresh] =
    status.state === 'ended'
      ? [status.reason, 'Start a new shell', true]
      : status.state === 'replaced'
        ? ['This terminal is now open in another browser tab or window.', 'Use it here', false]
        : [status.reason, 'Reconnect', false];
  return (
    <div className="terminal-overlay" role="alert" data-testid="terminal-overlay">
      <p>{message}</p>
      <button type="button" className="button button-primary" onClick={() => handle()?.reconnect(fresh)}>
        {action}
      </button>
    </div>
  );
}
