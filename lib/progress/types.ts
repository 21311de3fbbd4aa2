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
