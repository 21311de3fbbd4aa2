// How many times a key (a client address) may do something per window: new learner cookies per minute. A sliding
// count over the last window, kept per key; keys that went quiet are forgotten, so the table stays small.

export class RateLimiter {
  private readonly hits = new Map<string, number[]>();

  constructor(
    private readonly limit: number,
    private readonly windowMs: number,
    private readonly now: () => number = Date.now,
  ) {}

  /** Records one use by `key`; false (and nothing recorded) when it already used its `limit` in the window. */
  take(key: string): boolean {
    const t = this.now();
    const recent = (this.hits.get(key) ?? []).filter((at) => t - at < this.windowMs);
    if (recent.length >= this.limit) {
      this.hits.set(key, recent);
      return false;
    }
    recent.push(t);
    this.hits.set(key, recent);
    if (this.hits.size > 10_000) this.forgetQuiet(t);
    return true;
  }

  private forgetQuiet(t: number): void {
    for (const [key, times] of this.hits) if (times.every((at) => t - at >= this.windowMs)) this.hits.delete(key);
  }
}
