// What a step check reports, to the page and to the progress store (no Node dependencies).

/**
 * What started a check: a command finished in a terminal, the page's timer, the Check button, a step switch, the
 * page opening (done steps are checked again then: do they still hold?).
 */
export type CheckTrigger = 'command' | 'poll' | 'button' | 'view' | 'open';

export interface CheckOutcome {
  step: string;
  passed: boolean;
  message: string;
  /** Why it failed, when the check said (hints keyed to it are offered first). */
  reason?: string;
  trigger: CheckTrigger;
  durationMs: number;
  /** True when this check completed the step. */
  newlyDone: boolean;
  /** It passes, but an earlier step is not done (nor skipped): the step cannot tick yet. The earliest such step. */
  blockedBy?: string;
}

/** A check started (the page shows "Checking…"), or ended with its outcome. */
export type CheckEvent = { type: 'checking'; step: string; trigger: CheckTrigger } | ({ type: 'check' } & CheckOutcome);
