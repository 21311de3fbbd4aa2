// A learner's progress in a lab as the pages see it (no Node dependencies).

export type StepStatus = 'todo' | 'done' | 'done-with-help';

export interface StepProgress {
  step: string;
  status: StepStatus;
  doneAt?: number;
  hintsShown: number;
  solutionShown: boolean;
  lastCheck?: { passed: boolean; message: string; at: number };
}

export interface LabProgress {
  lab: string;
  currentStep?: string;
  lastActivity?: number;
  steps: StepProgress[];
  doneCount: number;
  complete: boolean;
}

/** The learner's progress changed (a check passed, a hint or solution was revealed, the lab was reset). */
export interface ProgressEvent {
  type: 'progress';
  progress: LabProgress;
}
