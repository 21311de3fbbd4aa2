// How many self-test sandboxes run at once, shared by every lab of a run (`lab test --all` tests the labs side by
// side): a sandbox's work waits more than it computes, so a slot frees the CPU for another most of the time. Waiting
// work starts by priority (lower first), then in the order it asked.

interface Waiter {
  priority: number;
  order: number;
  weight: number;
  start: () => void;
}

export class SandboxSlots {
  private busy = 0;
  private asked = 0;
  private readonly waiting: Waiter[] = [];

  constructor(readonly size: number) {
    if (!Number.isInteger(size) || size < 1) throw new Error(`a slot count is a positive integer, not ${size}`);
  }

  /**
   * Runs fn once `weight` slots are free (a job that wants the machine quieter takes more), holding them until fn
   * settles. The first in line waits for its slots: nothing behind it goes ahead.
   */
  async run<T>(priority: number, fn: () => Promise<T>, weight = 1): Promise<T> {
    const w = Math.min(weight, this.size);
    await new Promise<void>((start) => {
      this.waiting.push({ priority, order: this.asked++, weight: w, start });
      this.waiting.sort((a, b) => a.priority - b.priority || a.order - b.order);
      this.startWaiting();
    });
    try {
      return await fn();
    } finally {
      this.busy -= w;
      this.startWaiting();
    }
  }

  private startWaiting(): void {
    while (this.waiting.length && this.busy + this.waiting[0]!.weight <= this.size) {
      const next = this.waiting.shift()!;
      this.busy += next.weight;
      next.start();
    }
  }
}
