'use client';
// The lab's steps with their status: done, done with help, skipped, the one on view, to do.
import type { StepProgress } from '@/lib/progress/types';

export function StepList({ steps, progress, current, onSelect }: {
  steps: { id: string; title: string }[];
  progress: StepProgress[];
  current: number;
  onSelect(index: number): void;
}) {
  return (
    <nav className="step-list" aria-label="Steps">
      <ol>
        {steps.map((s, i) => {
          const status = progress.find((p) => p.step === s.id)?.status ?? 'todo';
          const label = status === 'done' ? 'done' : status === 'done-with-help' ? 'done with help' : status === 'skipped' ? 'skipped' : 'to do';
          return (
            <li key={s.id} data-testid={`step-item-${s.id}`} data-status={status}>
              <button type="button" aria-current={i === current ? 'step' : undefined} onClick={() => onSelect(i)}>
                <span className={`step-number step-${status}`} aria-hidden>
                  {status === 'todo' ? i + 1 : status === 'skipped' ? '↷' : '✓'}
                </span>
                <span>{s.title}</span>
                <span className="sr-only"> ({label})</span>
              </button>
            </li>
          );
        })}
      </ol>
    </nav>
  );
}
