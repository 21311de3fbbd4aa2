'use client';
// A step's rendered markdown. Its code blocks carry Run / Copy buttons (lib/labs/markdown.ts); this wires them:
// Run types the command into the block's terminal tab, Copy copies it. A code block wider than the pane scrolls
// sideways (a visible scrollbar, steps.css) and takes the keyboard focus, so arrow keys scroll it too.
import { useEffect, useRef, type MouseEvent } from 'react';
import { copyText } from '@/components/terminal/clipboard';
import { useTerminals } from '@/components/terminal/terminals-context';
import { commandOf } from '@/lib/labs/markdown';

export function StepContent({ html, className = 'step-content markdown' }: { html: string; className?: string }) {
  const terminals = useTerminals();
  const ref = useRef<HTMLDivElement>(null);
  // Run buttons whose command is still running, by tab: they read "Stop" and interrupt it.
  const running = useRef(new Map<string, HTMLButtonElement>());

  useEffect(
    () =>
      terminals.onCommandDone((tab) => {
        const button = running.current.get(tab);
        if (!button) return;
        running.current.delete(tab);
        button.textContent = 'Run';
        button.dataset.action = 'run';
      }),
    [terminals],
  );

  // Which blocks are wider than the pane changes with the pane's width: look again whenever it resizes.
  useEffect(() => {
    const root = ref.current;
    if (!root) return;
    const mark = () => {
      for (const pre of root.querySelectorAll<HTMLPreElement>('pre')) {
        if (pre.scrollWidth > pre.clientWidth) pre.tabIndex = 0;
        else pre.removeAttribute('tabindex');
      }
    };
    mark();
    const observer = new ResizeObserver(mark);
    observer.observe(root);
    return () => observer.disconnect();
  }, [html]);

  const onClick = (e: MouseEvent) => {
    const button = (e.target as HTMLElement).closest<HTMLButtonElement>('button[data-action]');
    const block = button?.closest<HTMLElement>('.code-block');
    if (!button || !block) return;
    const command = commandOf(block.querySelector('code')?.textContent ?? '');
    const flash = (text: string) => {
      const old = button.textContent;
      button.textContent = text;
      setTimeout(() => (button.textContent = old), 1200);
    };
    if (button.dataset.action === 'copy') void copyText(command).then((ok) => flash(ok ? 'Copied' : 'Copy failed'));
    const tab = block.dataset.tab ?? terminals.activeTab;
    if (button.dataset.action === 'stop') {
      terminals.interrupt(tab);
      return;
    }
    if (button.dataset.action === 'run') {
      if (!terminals.run(tab, command)) return flash('Not connected');
      const previous = running.current.get(tab);
      if (previous && previous !== button) {
        previous.textContent = 'Run';
        previous.dataset.action = 'run';
      }
      running.current.set(tab, button);
      button.textContent = 'Stop';
      button.dataset.action = 'stop';
      button.title = 'Interrupt this command (Ctrl+C)';
    }
  };

  return <div ref={ref} className={className} onClick={onClick} dangerouslySetInnerHTML={{ __html: html }} />;
}
