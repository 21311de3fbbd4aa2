// The lab page's event channel (/ws/lab) from Node, for tests and benchmarks.
import WebSocket from 'ws';
import type { LabEvent } from '@/lib/lab-events/events';

export class LabEventsClient {
  events: LabEvent[] = [];
  readonly ws: WebSocket;
  readonly opened: Promise<void>;
  private waiters: { pred: (e: LabEvent) => boolean; resolve: (e: LabEvent) => void }[] = [];

  constructor(base: string, lab: string, cookie: string, step?: string) {
    const q = new URLSearchParams({ lab, ...(step ? { step } : {}) });
    this.ws = new WebSocket(`${base.replace(/^http/, 'ws')}/ws/lab?${q}`, { headers: { cookie, origin: base } });
    this.opened = new Promise((resolve, reject) => {
      this.ws.once('open', () => resolve());
      this.ws.once('error', reject);
    });
    this.ws.on('message', (data) => {
      const e = JSON.parse(data.toString()) as LabEvent;
      this.events.push(e);
      this.waiters = this.waiters.filter((w) => (w.pred(e) ? (w.resolve(e), false) : true));
    });
  }

  /** The next event (from now on) that matches. */
  next(pred: (e: LabEvent) => boolean, timeoutMs = 15_000): Promise<LabEvent> {
    return this.nextTimed(pred, timeoutMs).then((r) => r.event);
  }

  /** The next matching event with the time (performance.now) it arrived. */
  nextTimed(pred: (e: LabEvent) => boolean, timeoutMs = 15_000): Promise<{ event: LabEvent; at: number }> {
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error('no matching lab event in time')), timeoutMs);
      this.waiters.push({ pred, resolve: (event) => (clearTimeout(timer), resolve({ event, at: performance.now() })) });
    });
  }

  view(step: string) {
    this.ws.send(JSON.stringify({ type: 'view', step }));
  }

  close() {
    this.ws.close();
  }
}
