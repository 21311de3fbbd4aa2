// Messages of the lab page's event channel (/ws/lab), shared by the browser and the server. Each producer defines
// its own events (checks, benchmarks, the datapath); this is their union as the page receives it.
import type { BenchEvent } from '../bench/types';
import type { CapacityEvent } from '../capacity/events';
import type { CheckEvent } from '../checks/outcome';
import type { ClassEvent } from '../class/events';
import type { DatapathEvent } from '../datapath/frame';
import type { ProgressEvent } from '../progress/types';

export const LAB_EVENTS_PATH = '/ws/lab';

export type LabEvent = ProgressEvent | CheckEvent | BenchEvent | DatapathEvent | CapacityEvent | ClassEvent;

export type LabClientMessage =
  | { type: 'view'; step: string }
  | { type: 'ping' }
  | { type: 'datapath'; watch: boolean }
  /** The learner touched the page (a key, a click, a scroll): the sandbox is in use. Sent at most once a minute. */
  | { type: 'active' }
  /** The page went to the background or came back: a hidden page's checks are not polled. */
  | { type: 'visibility'; visible: boolean };

/** Longest step id a page may name (ids are NN-<name>). */
const MAX_STEP_ID = 100;

export function parseLabClientMessage(text: string): LabClientMessage | undefined {
  try {
    const m = JSON.parse(text) as Record<string, unknown>;
    if (m?.type === 'view' && typeof m.step === 'string' && m.step.length < MAX_STEP_ID) return { type: 'view', step: m.step };
    if (m?.type === 'ping') return { type: 'ping' };
    if (m?.type === 'active') return { type: 'active' };
    if (m?.type === 'visibility' && typeof m.visible === 'boolean') return { type: 'visibility', visible: m.visible };
    if (m?.type === 'datapath' && typeof m.watch === 'boolean') return { type: 'datapath', watch: m.watch };
  } catch {
    // not JSON: malformed, like any other unknown message
  }
  return undefined;
}
