// What a lab page learns from the instructor (no Node dependencies).

export type ClassEvent =
  /** A message to every open lab page. */
  | { type: 'broadcast'; message: string; at: number }
  /** The instructor gave this learner a fresh sandbox (progress kept): the page follows it to the new one. */
  | { type: 'sandbox-replaced'; by: 'instructor' }
  /** The instructor is watching (or stopped watching) one of this learner's terminals, read-only. */
  | { type: 'watched'; watching: boolean };

/** Longest broadcast message. */
export const MAX_BROADCAST_CHARS = 500;
/** A page that opens within this long after a broadcast still shows it. */
export const BROADCAST_SHOWN_MS = 15 * 60_000;
