'use client';
// What the step's check says now: checking (at once, while it runs), passed, failed (as a failure: icon, colour,
// the check's words), passing but waiting for an earlier step, or done once but no longer holding.
import type { CheckOutcome } from '@/lib/checks/outcome';

export interface ShownCheck {
  passed: boolean;
  message: string;
  blockedBy?: string;
}

interface Props {
  checking: boolean;
  last?: ShownCheck;
  /** The step was done before, and the check fails now. */
  noLongerHolds: boolean;
  /** Title of the step that must be done first, when the check passes early. */
  blockedTitle?: string;
}

export function lastCheckOf(outcome: CheckOutcome | undefined, lastCheck: { passed: boolean; message: string } | undefined): ShownCheck | undefined {
  if (outcome) return { passed: outcome.passed, message: outcome.message, blockedBy: outcome.blockedBy };
  return lastCheck ? { passed: lastCheck.passed, message: lastCheck.message } : undefined;
}

export function CheckResult({ checking, last, noLongerHolds, blockedTitle }: Props) {
  if (checking) {
    return (
      <span className="check-running" data-testid="check-running">
        <span className="spinner" aria-hidden /> Checking…
      </span>
    );
  }
  if (!last) return <span className="muted">The page checks this step after every command you run.</span>;
  if (last.passed && last.blockedBy) {
    return (
      <span className="check-blocked" data-passed="blocked">
        ✓ This passes, but “{blockedTitle ?? last.blockedBy}” is not done yet: do it first, or skip to this step. ({last.message})
      </span>
    );
  }
  return (
    <span className={last.passed ? 'check-pass' : 'check-fail'} data-passed={last.passed}>
      <span aria-hidden>{last.passed ? '✓ ' : '✗ '}</span>
      <span className="sr-only">{last.passed ? 'Passed: ' : noLongerHolds ? 'Done before, but no longer holds: ' : 'Not yet: '}</span>
      {noLongerHolds && !last.passed ? <strong>Done before, but no longer holds: </strong> : null}
      {last.message}
    </span>
  );
}
