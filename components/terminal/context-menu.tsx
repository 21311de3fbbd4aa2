'use client';
// The terminal's menu (right click, or Shift+F10 and the menu key in the terminal): Copy, Paste, Select all, Clear.
// Keyboard: arrows move, Enter chooses, Escape and Tab close it and give the focus back to the terminal.
import type { Terminal } from '@xterm/xterm';
import { useEffect, useRef } from 'react';
import { canReadClipboard, copyText, readText } from './clipboard';

export interface MenuPosition {
  x: number;
  y: number;
}

interface Props {
  position: MenuPosition;
  terminal: Terminal;
  onPaste(text: string): void;
  onClose(): void;
}

export function TerminalContextMenu({ position, terminal, onPaste, onClose }: Props) {
  const ref = useRef<HTMLDivElement>(null);
  const hasSelection = terminal.hasSelection();
  const pasteable = canReadClipboard();

  useEffect(() => {
    ref.current?.querySelector<HTMLButtonElement>('button:not(:disabled)')?.focus();
    const away = (e: MouseEvent) => {
      if (!ref.current?.contains(e.target as Node)) onClose();
    };
    window.addEventListener('mousedown', away);
    return () => window.removeEventListener('mousedown', away);
  }, [onClose]);

  const act = (fn: () => void | Promise<void>) => () => {
    void Promise.resolve(fn()).then(onClose);
  };

  const items = [
    { label: 'Copy', keys: 'Ctrl+Shift+C', disabled: !hasSelection, run: act(async () => void (await copyText(terminal.getSelection()))) },
    {
      label: 'Paste',
      keys: 'Ctrl+Shift+V',
      disabled: !pasteable,
      title: pasteable ? undefined : 'This browser lets pages paste only from the keyboard: press Ctrl+Shift+V',
      run: act(async () => {
        const text = await readText();
        if (text) onPaste(text);
      }),
    },
    { label: 'Select all', keys: '', disabled: false, run: act(() => terminal.selectAll()) },
    { label: 'Clear', keys: '', disabled: false, run: act(() => terminal.clear()) },
  ];

  return (
    <div
      ref={ref}
      className="context-menu"
      role="menu"
      style={{ left: position.x, top: position.y }}
      onKeyDown={(e) => {
        if (e.key === 'Escape' || e.key === 'Tab') {
          e.preventDefault();
          onClose();
        }
        if (e.key === 'ArrowDown' || e.key === 'ArrowUp') {
          e.preventDefault();
          const buttons = [...(ref.current?.querySelectorAll<HTMLButtonElement>('button:not(:disabled)') ?? [])];
          const i = buttons.indexOf(document.activeElement as HTMLButtonElement);
          buttons[(i + (e.key === 'ArrowDown' ? 1 : buttons.length - 1)) % buttons.length]?.focus();
        }
      }}
    >
      {items.map((item) => (
        <button key={item.label} type="button" role="menuitem" disabled={item.disabled} title={item.title} onClick={item.run}>
          <span>{item.label}</span>
          {item.keys ? <kbd>{item.keys}</kbd> : null}
        </button>
      ))}
    </div>
  );
}
