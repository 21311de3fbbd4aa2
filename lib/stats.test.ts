import { describe, expect, it } from 'vitest';
import { median, percentile, spreadRatio, summarize } from './stats';

describe('stats', () => {
  it('interpolates percentiles like numpy', () => {
    expect(percentile([1, 2, 3, 4], 50)).toBe(2.5);
    expect(percentile([10, 20, 30, 40, 50], 95)).toBeCloseTo(48);
    expect(percentile([5], 99)).toBe(5);
    expect(percentile([], 50)).toBeNaN();
    expect(median([3, 1, 2])).toBe(2);
  });
  it('does not reorder its input', () => {
    const v = [3, 1, 2];
    percentile(v, 10);
    expect(v).toEqual([3, 1, 2]);
  });
  it('summarizes', () => {
    expect(summarize([1, 2, 3, 4, 5])).toEqual({ n: 5, min: 1, p25: 2, median: 3, p75: 4, max: 5, mean: 3 });
  });
  it('measures spread as max/min', () => {
    expect(spreadRatio([100, 105, 110])).toBeCloseTo(1.1);
    expect(spreadRatio([0, 1])).toBe(Infinity);
  });
});
