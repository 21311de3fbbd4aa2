'use client';
// The step on view: where the learner left off (else the first step still to do), and the keyboard: Alt+←/→
// move between steps, Alt+Enter checks the step on view.
import { useCallback, useEffect, useState } from 'react';
import type { LabProgress } from '@/lib/progress/types';

function firstStepOnView(steps: { id: string }[], progress: LabProgress): number {
  const saved = steps.findIndex((s) => s.id === progress.currentStep);
  if (saved >= 0) return saved;
  return Math.max(0, progress.steps.findIndex((s) => s.status === 'todo'));
}

export function useStepNavigation(steps: { id: string }[], initialProgress: LabProgress) {
  const [current, setCurrent] = useState(() => firstStepOnView(steps, initialProgress));
  const navigate = useCallback((i: number) => setCurrent(Math.min(Math.max(0, i), steps.length - 1)), [steps.length]);

  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      if (!e.altKey || e.ctrlKey || e.metaKey) return;
      if (e.key === 'ArrowRight') navigate(current + 1);
      else if (e.key === 'ArrowLeft') navigate(current - 1);
      // Pressing the step panel's Check button keeps one way to check, and respects its disabled state.
      else if (e.key === 'Enter') document.querySelector<HTMLButtonElement>('.step-check button')?.click();
      else return;
      e.preventDefault();
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, [current, navigate]);

  return { current, navigate };
}
