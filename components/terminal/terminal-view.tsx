'use client';
// One xterm.js terminal bound to one sandbox shell (a tab). xterm is imported in the browser only.
import '@xterm/xterm/css/xterm.css';
import type { Terminal } from '@xterm/xterm';
import { useEffect, useLayoutEffect, useRef, useState } from 'react';
import { wsUrl } from '@/components/common/ws-url';
import { TerminalConnection, type ConnectionStatus } from '@/lib/terminal/browser-connection';
import { TERMINAL_PATH, type ControlToClient } from '@/lib/terminal/protocol';
import { copyText } from './clipboard';
import { TerminalContextMenu, type MenuPosition } from './context-menu';
import { TERMINAL_OPTIONS } from './terminal-options';

/** What the rest of the page can do with a terminal (Run buttons, interrupt). */
export interface TerminalHandle {
  /** Types a command as a paste and presses Enter. */
  run(command: string): boolean;
  interrupt(): void;
  focus(): void;
  /** Connects again: takes the terminal back from another tab, retries, or (fresh) starts a new shell. */
  reconnect(fresh: boolean): void;
}

interface Props {
  lab: string;
  tab: string;
  active: boolean;
  onStatus(status: ConnectionStatus): void;
  onHandle(handle: TerminalHandle | undefined): void;
  onEvent?(msg: ControlToClient): void;
}

export function TerminalView({ lab, tab, active, onStatus, onHandle, onEvent }: Props) {
  const container = useRef<HTMLDivElement>(null);
  const termRef = useRef<Terminal | undefined>(undefined);
  const fitRef = useRef<(() => void) | undefined>(undefined);
  // The terminal and its connection outlive renders: their callbacks go through this ref to the latest props.
  const callbacks = useRef({ onStatus, onHandle, onEvent });
  useLayoutEffect(() => {
    callbacks.current = { onStatus, onHandle, onEvent };
  });
  const [menu, setMenu] = useState<(MenuPosition & { terminal: Terminal }) | undefined>();

  useEffect(() => {
    let disposed = false;
    const cleanup: (() => void)[] = [];
    void (async () => {
      const [{ Terminal }, { FitAddon }, { WebLinksAddon }, { Unicode11Addon }] = await Promise.all([
        import('@xterm/xterm'),
        import('@xterm/addon-fit'),
        import('@xterm/addon-web-links'),
        import('@xterm/addon-unicode11'),
      ]);
      if (disposed || !container.current) return;
      const term = new Terminal(TERMINAL_OPTIONS);
      const fit = new FitAddon();
      term.loadAddon(fit);
      term.loadAddon(new WebLinksAddon((_e, uri) => window.open(uri, '_blank', 'noopener,noreferrer')));
      term.loadAddon(new Unicode11Addon());
      term.unicode.activeVersion = '11';
      term.open(container.current);
      termRef.current = term;

      const conn = new TerminalConnection(
        { endpoint: wsUrl(TERMINAL_PATH), lab, tab },
        {
          replay(text, done) {
            term.reset();
            term.write(text, done);
          },
          output(text, done) {
            term.write(text, done);
          },
          status: (s) => callbacks.current.onStatus(s),
          control: (msg) => callbacks.current.onEvent?.(msg),
        },
      );

      // Size follows the pane. fit() measures the DOM, so it runs in an animation frame, and only when visible.
      let frame = 0;
      const refit = () => {
        cancelAnimationFrame(frame);
        frame = requestAnimationFrame(() => {
          if (container.current && container.current.offsetParent !== null) fit.fit();
        });
      };
      fitRef.current = refit;
      fit.fit();
      conn.resize(term.cols, term.rows);
      const observer = new ResizeObserver(refit);
      observer.observe(container.current);

      const subs = [
        term.onData((d) => conn.input(d)),
        term.onBinary((d) => conn.input(d)),
        term.onResize(({ cols, rows }) => conn.resize(cols, rows)),
      ];
      // Ctrl+Shift+C copies the selection; Ctrl+Shift+V is left to the browser, whose paste event xterm handles.
      term.attachCustomKeyEventHandler((e) => {
        if (e.type !== 'keydown' || !e.ctrlKey || !e.shiftKey) return true;
        if (e.code === 'KeyC') {
          if (term.hasSelection()) void copyText(term.getSelection());
          return false;
        }
        return e.code !== 'KeyV';
      });
      const onOnline = () => conn.retryNow();
      window.addEventListener('online', onOnline);

      conn.connect();
      callbacks.current.onHandle({
        run(command) {
          if (!conn.connected) return false;
          term.paste(command.replace(/\n+$/, ''));
          conn.input('\r');
          return true;
        },
        interrupt: () => conn.input('\x03'),
        focus: () => term.focus(),
        reconnect(fresh) {
          if (fresh) {
            term.reset();
            conn.connect({ fresh: true });
          } else conn.retryNow();
          term.focus();
        },
      });

      cleanup.push(() => {
        window.removeEventListener('online', onOnline);
        observer.disconnect();
        cancelAnimationFrame(frame);
        subs.forEach((s) => s.dispose());
        conn.dispose();
        term.dispose();
        callbacks.current.onHandle(undefined);
      });
    })();
    return () => {
      disposed = true;
      cleanup.forEach((f) => f());
      termRef.current = undefined;
    };
  }, [lab, tab]);

  // A tab that becomes visible takes its size from the pane and the keyboard focus.
  useEffect(() => {
    if (!active) return;
    fitRef.current?.();
    termRef.current?.focus();
  }, [active]);

  return (
    <div
      className="terminal-view"
      hidden={!active}
      data-testid={`terminal-${tab}`}
      onContextMenu={(e) => {
        e.preventDefault();
        const terminal = termRef.current;
        if (terminal) setMenu({ x: e.clientX, y: e.clientY, terminal });
      }}
    >
      <div ref={container} className="terminal-surface" />
      {menu ? (
        <TerminalContextMenu
          position={menu}
          terminal={menu.terminal}
          onPaste={(text) => menu.terminal.paste(text)}
          onClose={() => {
            setMenu(undefined);
            menu.terminal.focus();
          }}
        />
      ) : null}
    </div>
  );
}
