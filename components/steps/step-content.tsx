'use client';
// A step's rendered markdown. Its code blocks carry Run / Copy buttons (lib/labs/markdown.ts); this wires them:
// Run types the command into the block's terminal tab, Copy copies it.
import { useRef, type MouseEvent } from 'react';
import { copyText } from '@/components/terminal/clipboard';
import { useTerminals } from '@/components/terminal/terminals-context';
import { commandOf } from '@/lib/labs/markdown';

export function StepContent({ html }: { html: string }) {
  const terminals = useTerminals();
  const ref = useRef<HTMLDivElement>(null);

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
    if (button.dataset.action === 'run') {
      const ok = terminals.run(block.dataset.tab ?? terminals.activeTab, command);
      if (!ok) flash('Not connected');
    }
  };

  return <div ref={ref} className="step-content markdown" onClick={onClick} dangerouslySetInnerHTML={{ __html: html }} />;
}
