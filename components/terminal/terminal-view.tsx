'use client';
// One xterm.js terminal bound to one sandbox shell (a tab). xterm is imported in the browser only.
// The terminal keeps the pane's size even while its tab is hidden (terminal.css keeps hidden tabs laid out): the shell
// prints for the width it is shown at, and the server's screen mirror, which restores this screen after a reload,
// has the same size.
import '@xterm/xterm/css/xterm.css';
import type { Terminal } from '@xterm/xterm';
import { useEffect, useLayoutEffect, useRef, useState } from 'react';
import { wsUrl } from '@/components/common/ws-url';
import { TerminalConnection, type ConnectionStatus } from '@/lib/terminal/browser-connection';
import { TERMINAL_PATH, type ControlToClient } from '@/lib/terminal/protocol';
import { scrollbackFor } from '@/lib/terminal/scrollback';
import { copyText } from './clipboard';
import { TerminalContextMenu, type MenuPosition } from './context-menu';
import { isTabFocusToggle, keyLeavesTerminal } from './keys';
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
  /** Tab and Shift+Tab leave the terminal instead of going to the shell. */
  tabMovesFocus: boolean;
  screenReader: boolean;
  /** The id of the text that tells how to leave the terminal with the keyboard (read when it takes the focus). */
  describedBy: string;
  onStatus(status: ConnectionStatus): void;
  onHandle(handle: TerminalHandle | undefined): void;
  onEvent?(msg: ControlToClient): void;
}

export function TerminalView({ lab, tab, active, tabMovesFocus, screenReader, describedBy, onStatus, onHandle, onEvent }: Props) {
  const container = useRef<HTMLDivElement>(null);
  const termRef = useRef<Terminal | undefined>(undefined);
  const fitRef = useRef<(() => void) | undefined>(undefined);
  // The terminal and its connection outlive renders: their callbacks go through this ref to the latest props.
  const latest = useRef({ onStatus, onHandle, onEvent, tabMovesFocus, screenReader });
  useLayoutEffect(() => {
    latest.current = { onStatus, onHandle, onEvent, tabMovesFocus, screenReader };
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
      const term = new Terminal({ ...TERMINAL_OPTIONS, screenReaderMode: latest.current.screenReader });
      const fit = new FitAddon();
      term.loadAddon(fit);
      term.loadAddon(new WebLinksAddon((_e, uri) => window.open(uri, '_blank', 'noopener,noreferrer')));
      // The server's mirror measures characters the same way (lib/terminal/screen-mirror.ts).
      term.loadAddon(new Unicode11Addon());
      term.unicode.activeVersion = '11';
      term.open(container.current);
      termRef.current = term;
      term.textarea?.setAttribute('aria-describedby', describedBy);

      // Size follows the pane. fit() measures the DOM, so it runs in an animation frame; a pane with no size (not
      // laid out) keeps the size it had.
      let frame = 0;
      const refit = () => {
        cancelAnimationFrame(frame);
        frame = requestAnimationFrame(() => {
          if (container.current && container.current.clientWidth > 0) fit.fit();
        });
      };
      fitRef.current = refit;

      const conn = new TerminalConnection(
        { endpoint: wsUrl(TERMINAL_PATH), lab, tab },
        {
          reset(size) {
            // A screen restore is drawn at the size the server made it for (it starts with a full reset); the pane's
            // size comes back once it is written, and the server's mirror re-wraps the same way.
            if (size) term.resize(size.cols, size.rows);
            else term.reset();
          },
          output(text, done) {
            term.write(text, done);
          },
          restored() {
            term.write('', () => {
              term.scrollToBottom();
              refit();
            });
          },
          status: (s) => latest.current.onStatus(s),
          control: (msg) => latest.current.onEvent?.(msg),
        },
      );

      if (container.current.clientWidth > 0) fit.fit();
      term.options.scrollback = scrollbackFor(term.cols);
      conn.resize(term.cols, term.rows);
      const observer = new ResizeObserver(refit);
      observer.observe(container.current);

      const subs = [
        term.onData((d) => conn.input(d)),
        term.onBinary((d) => conn.input(d)),
        term.onResize(({ cols, rows }) => {
          // The same scrollback as the server's mirror at this width (lib/terminal/scrollback.ts).
          term.options.scrollback = scrollbackFor(cols);
          conn.resize(cols, rows);
        }),
      ];
      term.attachCustomKeyEventHandler((e) => {
        // Keys the page handles (keys.ts): xterm lets them go by, and the shell never sees them.
        if (isTabFocusToggle(e) || keyLeavesTerminal(e, latest.current.tabMovesFocus)) return false;
        if (e.type !== 'keydown' || !e.ctrlKey || !e.shiftKey) return true;
        // Ctrl+Shift+C copies the selection; Ctrl+Shift+V is left to the browser, whose paste event xterm handles.
        if (e.code === 'KeyC') {
          if (term.hasSelection()) void copyText(term.getSelection());
          return false;
        }
        return e.code !== 'KeyV';
      });
      const onOnline = () => conn.retryNow();
      window.addEventListener('online', onOnline);

      conn.connect();
      latest.current.onHandle({
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
        latest.current.onHandle(undefined);
      });
    })();
    return () => {
      disposed = true;
      cleanup.forEach((f) => f());
      termRef.current = undefined;
      fitRef.current = undefined;
    };
  }, [lab, tab, describedBy]);

  // A tab shown for the first time since the pane changed size takes the pane's size, and draws what it printed.
  useEffect(() => {
    if (!active) return;
    fitRef.current?.();
    const term = termRef.current;
    term?.refresh(0, term.rows - 1);
  }, [active]);

  useEffect(() => {
    if (termRef.current) termRef.current.options.screenReaderMode = screenReader;
  }, [screenReader]);

  return (
    <div
      className="terminal-view"
      data-testid={`terminal-${tab}`}
      onContextMenu={(e) => {
        e.preventDefault();
        const terminal = termRef.current;
        if (!terminal) return;
        // From the keyboard (Shift+F10, the menu key) the event may come without a place: open it at the terminal.
        const box = e.currentTarget.getBoundingClientRect();
        const inside = e.clientX > box.left && e.clientX < box.right && e.clientY > box.top && e.clientY < box.bottom;
        setMenu({ x: inside ? e.clientX : box.left + 24, y: inside ? e.clientY : box.top + 24, terminal });
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
