// What the lab page learns about its sandbox's slot (no Node dependencies).

export type CapacityEvent =
  /** The sandbox will be stopped at `stopsAt` (ms since the epoch) for want of use; null: it was used, no longer. */
  | { type: 'idle'; stopsAt: number | null }
  /** The sandbox was stopped on the server's initiative (unused) or the instructor's; progress is kept. */
  | { type: 'sandbox-stopped'; reason: 'idle'; idleMinutes: number }
  | { type: 'sandbox-stopped'; reason: 'instructor' };
