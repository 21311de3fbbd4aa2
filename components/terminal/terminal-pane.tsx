'use client';
// Terminal tabs (one per sandbox shell: the plain sandbox, or a pod), each with its connection status. A terminal
// that lost its connection reconnects by itself; one that ended, or that another tab took over, says so and offers
// the way back.
import { useCallback, useRef, useState } from 'react';
import type { ConnectionStatus } from '@/lib/terminal/browser-connection';
import type { ControlToClient } from '@/lib/terminal/protocol';
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

export function TerminalPane({ lab, tabs, onEvent }: { lab: string; tabs: TabInfo[]; onEvent?(tab: string, msg: ControlToClient): void }) {
  const terminals = useTerminals();
  const [statuses, setStatuses] = useState<Record<string, ConnectionStatus>>({});
  const handles = useRef(new Map<string, TerminalHandle>());

  const setStatus = useCallback((tab: string, s: ConnectionStatus) => setStatuses((prev) => ({ ...prev, [tab]: s })), []);
  const active = tabs.some((t) => t.name === terminals.activeTab) ? terminals.activeTab : tabs[0]!.name;
  const current = statuses[active];

  return (
    <section className="terminal-pane" aria-label="Terminals">
      <div className="terminal-tabs" role="tablist">
        {tabs.map((t) => {
          const label = statusLabel(statuses[t.name]);
          return (
            <button
              key={t.name}
              type="button"
              role="tab"
              id={`tab-${t.name}`}
              aria-selected={t.name === active}
              aria-controls={`panel-${t.name}`}
              className="terminal-tab"
              data-status={statuses[t.name]?.state ?? 'connecting'}
              onClick={() => terminals.setActiveTab(t.name)}
            >
              <span className={`status-dot status-${label.tone}`} aria-hidden />
              {t.title ?? t.name}
              <span className="sr-only"> ({label.text})</span>
            </button>
          );
        })}
        <span className={`terminal-status status-text-${statusLabel(current).tone}`} data-testid="terminal-status" role="status">
          {statusLabel(current).text}
        </span>
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
      <div className="terminal-body">
        {tabs.map((t) => (
          <div key={t.name} id={`panel-${t.name}`} role="tabpanel" aria-labelledby={`tab-${t.name}`} hidden={t.name !== active} className="terminal-panel">
            <TerminalView
              lab={lab}
              tab={t.name}
              active={t.name === active}
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
