import { describe, expect, it } from 'vitest';
import { RateLimiter } from './rate-limiter';

describe('RateLimiter', () => {
  it('allows `limit` uses per window and key, then refuses until the window moves on', () => {
    let t = 0;
    const r = new RateLimiter(3, 60_000, () => t);
    expect([r.take('a'), r.take('a'), r.take('a'), r.take('a')]).toEqual([true, true, true, false]);
    expect(r.take('b')).toBe(true); // another address is not affected
    t = 30_000;
    expect(r.take('a')).toBe(false);
    t = 60_001;
    expect(r.take('a')).toBe(true);
  });
});
