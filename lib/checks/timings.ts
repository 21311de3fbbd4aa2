// Where a self-test's time goes: named phases with their wall time, per sandbox (the in-order pass, each mistake),
// summed over a lab's mistakes for `lab test --timings`.

export interface PhaseTime {
  /** create, setup, replay 02-x, solution, mistake, check, destroy, ... */
  phase: string;
  ms: number;
}

/** Records phases in order as they finish. */
export class PhaseClock {
  readonly phases: PhaseTime[] = [];
  private last = Date.now();

  /** Closes the phase that ran since the previous mark. */
  mark(phase: string): void {
    const now = Date.now();
    this.phases.push({ phase, ms: now - this.last });
    this.last = now;
  }

  async time<T>(phase: string, fn: () => Promise<T>): Promise<T> {
    this.last = Date.now();
    try {
      return await fn();
    } finally {
      this.mark(phase);
    }
  }
}

/** Phases of many runs summed by name, in the order they first appear. */
export function sumPhases(runs: PhaseTime[][]): PhaseTime[] {
  const totals = new Map<string, number>();
  for (const run of runs) for (const p of run) totals.set(p.phase, (totals.get(p.phase) ?? 0) + p.ms);
  return [...totals].map(([phase, ms]) => ({ phase, ms }));
}

export const formatPhases = (phases: PhaseTime[]) => phases.map((p) => `${p.phase} ${(p.ms / 1000).toFixed(1)}`).join(', ');
