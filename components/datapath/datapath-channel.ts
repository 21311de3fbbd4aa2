// The Datapath pane's side of the lab event socket: it says when it watches (the server runs the sandbox's sampler
// only while someone does) and gets frames without re-rendering the whole lab page twice a second.
import type { DatapathEvent } from '@/lib/datapath/frame';

export class DatapathChannel {
  private readonly listeners = new Set<(e: DatapathEvent) => void>();
  private watching = false;
  private send?: (message: string) => void;

  /** The socket opened (send) or closed (undefined); a reopened socket is told again that the pane watches. */
  attach(send: ((message: string) => void) | undefined): void {
    this.send = send;
    if (send && this.watching) send(JSON.stringify({ type: 'datapath', watch: true }));
  }

  watch(on: boolean): void {
    if (this.watching === on) return;
    this.watching = on;
    this.send?.(JSON.stringify({ type: 'datapath', watch: on }));
  }

  emit(event: DatapathEvent): void {
    for (const fn of this.listeners) fn(event);
  }

  subscribe(fn: (e: DatapathEvent) => void): () => void {
    this.listeners.add(fn);
    return () => this.listeners.delete(fn);
  }
}
