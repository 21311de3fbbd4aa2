// The instructor view's live feed: what happens in the class as it happens (checks passing and failing, sandboxes
// starting and stopping, the instructor's own actions), kept short. The view refreshes its table when an item
// arrives; a view that opens gets the recent items first.
import type { LabEvent } from '../lab-events/events';

export interface FeedItem {
  at: number;
  learner?: string;
  lab?: string;
  kind: 'check' | 'sandbox' | 'action' | 'broadcast';
  step?: string;
  passed?: boolean;
  reason?: string;
  text: string;
}

/** Items a newly opened view gets. */
export const FEED_HISTORY = 100;
/** A check message is cut to its first line, this long, in the feed. */
const FEED_TEXT_CHARS = 200;

export type FeedListener = (item: FeedItem) => void;

/** Learners' steps whose last failure the feed told, remembered at most this many (oldest forgotten first). */
const MAX_REMEMBERED_FAILURES = 5000;

export class ClassFeed {
  private readonly recent: FeedItem[] = [];
  private readonly listeners = new Set<FeedListener>();
  /** learner/lab/step -> the failure told last: polling repeats an unchanged failure every few seconds. */
  private readonly lastFailure = new Map<string, string>();

  constructor(private readonly now: () => number = Date.now) {}

  add(item: Omit<FeedItem, 'at'>): void {
    const full = { ...item, text: item.text.split('\n')[0]!.slice(0, FEED_TEXT_CHARS), at: this.now() };
    this.recent.push(full);
    if (this.recent.length > FEED_HISTORY) this.recent.shift();
    for (const l of [...this.listeners]) {
      try {
        l(full);
      } catch {
        // a listener's socket closing is its endpoint's business
      }
    }
  }

  history(): FeedItem[] {
    return [...this.recent];
  }

  subscribe(listener: FeedListener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /**
   * A lab page's event, as the feed tells it: check outcomes (the timer's passes are left out: a learner's done step
   * passing again every minute is not news, its failing is; a failure is told once until it changes), nothing else (datapath frames and benchmark progress
   * would drown the rest).
   */
  fromLabEvent(learner: string, lab: string, event: LabEvent): void {
    if (event.type !== 'check') return;
    const key = `${learner}/${lab}/${event.step}`;
    if (event.passed) {
      this.lastFailure.delete(key);
      if (!event.newlyDone) return;
    } else {
      const failure = `${event.reason ?? ''}\n${event.message}`;
      if (this.lastFailure.get(key) === failure) return;
      this.lastFailure.delete(key); // re-inserted last: the Map's order is then oldest told first
      this.lastFailure.set(key, failure);
      if (this.lastFailure.size > MAX_REMEMBERED_FAILURES) this.lastFailure.delete(this.lastFailure.keys().next().value!);
    }
    this.add({
      learner,
      lab,
      kind: 'check',
      step: event.step,
      passed: event.passed,
      ...(event.reason ? { reason: event.reason } : {}),
      text: event.newlyDone ? `finished ${event.step}` : event.message,
    });
  }
}
