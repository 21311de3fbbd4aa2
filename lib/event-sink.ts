// What a producer of lab events needs: somewhere to publish them for one learner's lab. Checks, benchmarks and the
// datapath hub each take an EventSink of their own event type; the lab event channel (lib/lab-events) is one for all
// of them. Here, below every producer, so that none of them imports the channel or the union of all events.

export interface EventSink<E> {
  /** Sends `event` to every page this learner has open on this lab (none: it is dropped). */
  publish(learner: string, lab: string, event: E): void;
}
