// Flow control as two pure steps (after wetty and VS Code): account for what was sent, commit what was acked.
import { FLOW } from './protocol';

export interface FlowState {
  /** Characters sent to the browser and not yet acknowledged. */
  unacked: number;
  paused: boolean;
}

export const newFlowState = (): FlowState => ({ unacked: 0, paused: false });

/** After sending `chars`: true when the producer must now pause. */
export function account(state: FlowState, chars: number, high: number = FLOW.HIGH_WATERMARK): boolean {
  state.unacked += chars;
  if (!state.paused && state.unacked > high) {
    state.paused = true;
    return true;
  }
  return false;
}

/** After the browser acknowledged `chars`: true when the producer may resume. Heals itself: never below 0. */
export function commit(state: FlowState, chars: number, low: number = FLOW.LOW_WATERMARK): boolean {
  state.unacked = Math.max(0, state.unacked - chars);
  if (state.paused && state.unacked < low) {
    state.paused = false;
    return true;
  }
  return false;
}
