// A learner's progress in a lab as the pages see it (no Node dependencies).

/** skipped: the learner moved past the step on purpose (Skip to a later step), without doing it. */
export type StepStatus = 'todo' | 'done' | 'done-with-help' | 'skipped';

export interface LastCheck {
  passed: boolean;
  message: string;
  /** The failure's reason code, when the check reported one (hints keyed to it are offered first). */
  reason?: string;
  at: number;
}

export interface StepProgress {
  step: string;
  status: StepStatus;
  doneAt?: number;
  /** How many hints are revealed (the same as hintsRevealed.length). */
  hintsShown: number;
  /** The revealed hints' indices, in the order they were revealed. */
  hintsRevealed: number[];
  solutionShown: boolean;
  lastCheck?: LastCheck;
}

export interface LabProgress {
  lab: string;
  currentStep?: string;
  lastActivity?: number;
  steps: StepProgress[];
  doneCount: number;
  skippedCount: number;
  /** Every step done or skipped. */
  complete: boolean;
}

export const isDone = (s: Pick<StepProgress, 'status'>) => s.status === 'done' || s.status === 'done-with-help';
/** Done or skipped: a later step may tick. */
export const isBehind = (s: Pick<StepProgress, 'status'>) => s.status !== 'todo';
/** Done once, but its check fails now: the page says it no longer holds (the record that it was done stays). */
export const noLongerHolds = (s: StepProgress) => isDone(s) && s.lastCheck !== undefined && !s.lastCheck.passed && s.lastCheck.at > (s.doneAt ?? 0);

/** The learner's progress changed (a check passed, a hint or solution was revealed, the lab was reset). */
export interface ProgressEvent {
  type: 'progress';
  progress: LabProgress;
}
