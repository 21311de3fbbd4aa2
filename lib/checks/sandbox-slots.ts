// How many self-test sandboxes run at once, shared by every lab of a run (`lab test --all` tests the labs side by
// side): a sandbox's work waits more than it computes, so a slot frees the CPU for another most of the time. Waiting
// work starts by priority (lower first), then in the order it asked.

interface Waiter {
  priority: number;
  order: number;
  start: () => void;
}

export class SandboxSlots {
  private busy = 0;
  private asked = 0;
  private readonly waiting: Waiter[] = [];

  constructor(readonly size: number) {
    if (!Number.isInteger(size) || size < 1) throw new Error(`a slot count is a positive integer, not ${size}`);
  }

  /** Runs fn once a slot is free, holding it until fn settles. */
  async run<T>(priority: number, fn: () => Promise<T>): Promise<T> {
    await this.acquire(priority);
    try {
      return await fn();
    } finally {
      this.release();
    }
  }

  private acquire(priority: number): Promise<void> {
    if (this.busy < this.size && this.waiting.length === 0) {
      this.busy++;
      return Promise.resolve();
    }
    return new Promise((resolve) => {
      this.waiting.push({ priority, order: this.asked++, start: resolve });
      this.waiting.sort((a, b) => a.priority - b.priority || a.order - b.order);
    });
  }

  private release(): void {
    const next = this.waiting.shift();
    if (next) next.start();
    else this.busy--;
  }
}
