// The lab event channel: every producer (checks, benchmarks, the datapath hub) publishes here, keyed by learner and
// lab; the /ws/lab endpoint subscribes once per open page and forwards what it gets. Producers never see sockets.
import type { LabEvent } from './events';
import type { EventSink } from '../event-sink';

export type LabEventListener = (event: LabEvent) => void;
/** Sees every learner's events (the instructor view's feed). */
export type LabEventTap = (learner: string, lab: string, event: LabEvent) => void;

const keyOf = (learner: string, lab: string) => `${learner}\0${lab}`;

export class LabEventChannel implements EventSink<LabEvent> {
  private readonly listeners = new Map<string, Set<LabEventListener>>();
  private readonly taps = new Set<LabEventTap>();

  /** Listens to one learner's lab; returns the function that stops listening. */
  subscribe(learner: string, lab: string, listener: LabEventListener): () => void {
    const k = keyOf(learner, lab);
    let set = this.listeners.get(k);
    if (!set) this.listeners.set(k, (set = new Set()));
    set.add(listener);
    return () => {
      set.delete(listener);
      if (set.size === 0 && this.listeners.get(k) === set) this.listeners.delete(k);
    };
  }

  publish(learner: string, lab: string, event: LabEvent): void {
    // A listener that throws (a socket gone bad) must not keep the event from the others.
    for (const listener of [...(this.listeners.get(keyOf(learner, lab)) ?? [])]) {
      try {
        listener(event);
      } catch {
        // the listener's own endpoint logs and closes its socket
      }
    }
    for (const tap of [...this.taps]) {
      try {
        tap(learner, lab, event);
      } catch {
        // a tap's failure is its own
      }
    }
  }

  /** Sends `event` to every open lab page (an instructor's message). */
  broadcast(event: LabEvent): void {
    for (const set of [...this.listeners.values()]) {
      for (const listener of [...set]) {
        try {
          listener(event);
        } catch {
          // as in publish
        }
      }
    }
  }

  /** Sees every event published; returns the function that stops it. */
  tap(tap: LabEventTap): () => void {
    this.taps.add(tap);
    return () => this.taps.delete(tap);
  }

  /** How many pages listen to this learner's lab. */
  listenerCount(learner: string, lab: string): number {
    return this.listeners.get(keyOf(learner, lab))?.size ?? 0;
  }

  close(): void {
    this.listeners.clear();
    this.taps.clear();
  }
}
