// Messages of the lab page's event channel (/ws/lab), shared by the browser and the server.
import type { LabProgress } from '../progress/store';

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

export type LabEvent =
  | { type: 'progress'; progress: LabProgress }
  | { type: 'checking'; step: string; trigger: CheckTrigger }
  | ({ type: 'check' } & CheckOutcome);

export type LabClientMessage = { type: 'view'; step: string } | { type: 'ping' };

export function parseLabClientMessage(text: string): LabClientMessage | undefined {
  try {
    const m = JSON.parse(text) as Record<string, unknown>;
    if (m?.type === 'view' && typeof m.step === 'string' && m.step.length < 100) return { type: 'view', step: m.step };
    if (m?.type === 'ping') return { type: 'ping' };
  } catch {
    // fall through
  }
  return undefined;
}
