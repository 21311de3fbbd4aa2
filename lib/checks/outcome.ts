// What a step check reports, to the page and to the progress store (no Node dependencies).

/** What started a check: a command finished in a terminal, the page's timer, the Check button, a step switch. */
export type CheckTrigger = 'command' | 'poll' | 'button' | 'view';

export interface CheckOutcome {
  step: string;
  passed: boolean;
  message: string;
  trigger: CheckTrigger;
  durationMs: number;
  /** True when this check completed the step. */
  newlyDone: boolean;
}

/** A check started (the page shows "Checking…"), or ended with its outcome. */
export type CheckEvent = { type: 'checking'; step: string; trigger: CheckTrigger } | ({ type: 'check' } & CheckOutcome);
