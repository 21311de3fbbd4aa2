// Messages of the lab page's event channel (/ws/lab), shared by the browser and the server.
import type { Progress } from '../bench/runner';
import type { RunStatus } from '../bench/store';
import type { DatapathFrame } from '../datapath/frame';
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
  | ({ type: 'check' } & CheckOutcome)
  /** A benchmark run moved on: a new status, a progress report, or a new sample (the page fetches the run). */
  | { type: 'bench'; runId: string; status: RunStatus; progress?: Progress; samples?: number; error?: string }
  /** Live counters for the Datapath pane, twice a second while the page watches. */
  | { type: 'datapath'; frame: DatapathFrame }
  /** The datapath stream cannot run (no sandbox, no datapath view, the sampler failed): what to do. */
  | { type: 'datapath-error'; message: string };

export type LabClientMessage = { type: 'view'; step: string } | { type: 'ping' } | { type: 'datapath'; watch: boolean };

export function parseLabClientMessage(text: string): LabClientMessage | undefined {
  try {
    const m = JSON.parse(text) as Record<string, unknown>;
    if (m?.type === 'view' && typeof m.step === 'string' && m.step.length < 100) return { type: 'view', step: m.step };
    if (m?.type === 'ping') return { type: 'ping' };
    if (m?.type === 'datapath' && typeof m.watch === 'boolean') return { type: 'datapath', watch: m.watch };
  } catch {
    // fall through
  }
  return undefined;
}
