'use client';
// The instructor's read-only view of one learner terminal: the screen as it is when opened (at the learner's size),
// then its output as it comes. Nothing typed here reaches the learner: the terminal takes no input and the socket
// sends none (the server would close it if it did). The learner's page says that they are being watched.
import '@xterm/xterm/css/xterm.css';
import { useEffect, useRef, useState } from 'react';
import { wsUrl } from '@/components/common/ws-url';
import { TERMINAL_OPTIONS } from '@/components/terminal/terminal-options';
import { ADMIN_TERMINAL_PATH } from '@/lib/class/feed-messages';
import { decodeData, type ControlToClient } from '@/lib/terminal/protocol';

export interface WatchTarget {
  learner: string;
  lab: string;
  /** The lab's terminal tabs; the first is shown first. */
  tabs: string[];
  /** How the view names the learner. */
  who: string;
}

export function TerminalWatch({ target, onClose }: { target: WatchTarget; onClose(): void }) {
  const [tab, setTab] = useState(target.tabs[0] ?? '');
  const [state, setState] = useState('connecting…');
  const container = useRef<HTMLDivElement>(null);

  useEffect(() => {
    let disposed = false;
    let ws: WebSocket | undefined;
    let dispose = () => {};
    void (async () => {
      const [{ Terminal }, { Unicode11Addon }] = await Promise.all([import('@xterm/xterm'), import('@xterm/addon-unicode11')]);
      if (disposed || !container.current) return;
      const term = new Terminal({ ...TERMINAL_OPTIONS, disableStdin: true, cursorBlink: false });
      term.loadAddon(new Unicode11Addon());
      term.unicode.activeVersion = '11';
      term.open(container.current);
      dispose = () => term.dispose();
      ws = new WebSocket(wsUrl(ADMIN_TERMINAL_PATH, { learner: target.learner, lab: target.lab, tab }));
      ws.binaryType = 'arraybuffer';
      ws.onopen = () => setState('watching');
      ws.onmessage = (ev) => {
        if (typeof ev.data === 'string') {
          const msg = JSON.parse(ev.data) as ControlToClient;
          // Drawn at the learner's size, so that their lines wrap here as they do on their screen.
          if (msg.type === 'hello' && msg.screen) term.resize(msg.screen.cols, msg.screen.rows);
          return;
        }
        term.write(decodeData(new Uint8Array(ev.data as ArrayBuffer)).text);
      };
      ws.onclose = (ev) => setState(ev.reason || 'closed');
    })();
    return () => {
      disposed = true;
      ws?.close();
      dispose();
    };
  }, [target.learner, target.lab, tab]);

  return (
    <section className="admin-card admin-watch" aria-labelledby="watch-heading" data-testid="terminal-watch">
      <header className="admin-watch-header">
        <h2 id="watch-heading">
          {target.who}&apos;s terminal <span className="muted">(read-only)</span>
        </h2>
        {target.tabs.length > 1 ? (
          <label>
            Tab{' '}
            <select value={tab} onChange={(e) => setTab(e.target.value)}>
              {target.tabs.map((t) => (
                <option key={t}>{t}</option>
              ))}
            </select>
          </label>
        ) : null}
        <span className="muted" role="status" data-testid="watch-state">
          {state}
        </span>
        <button type="button" className="button button-small" onClick={onClose}>
          Close
        </button>
      </header>
      <div className="admin-watch-screen" ref={container} data-testid="watch-screen" />
    </section>
  );
}
