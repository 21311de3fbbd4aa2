// Small statistics used by benchmarks and the benchmark runner: order statistics on sorted copies.

/** Linear-interpolated percentile (p in [0, 100]) of the values; NaN for an empty list. */
export function percentile(values: readonly number[], p: number): number {
  if (values.length === 0) return Number.NaN;
  const sorted = [...values].sort((a, b) => a - b);
  const rank = (Math.min(100, Math.max(0, p)) / 100) * (sorted.length - 1);
  const lo = Math.floor(rank);
  const hi = Math.ceil(rank);
  return sorted[lo]! + (sorted[hi]! - sorted[lo]!) * (rank - lo);
}

export const median = (values: readonly number[]) => percentile(values, 50);

export interface Summary {
  n: number;
  min: number;
  p25: number;
  median: number;
  p75: number;
  max: number;
  mean: number;
}

export function summarize(values: readonly number[]): Summary {
  return {
    n: values.length,
    min: values.length ? Math.min(...values) : Number.NaN,
    p25: percentile(values, 25),
    median: median(values),
    p75: percentile(values, 75),
    max: values.length ? Math.max(...values) : Number.NaN,
    mean: values.length ? values.reduce((a, b) => a + b, 0) / values.length : Number.NaN,
  };
}

/** Spread as max/min (1 = no spread); the benchmark goal asks for <= 1.10 across repetitions. */
export function spreadRatio(values: readonly number[]): number {
  if (values.length === 0) return Number.NaN;
  const min = Math.min(...values);
  return min > 0 ? Math.max(...values) / min : Number.POSITIVE_INFINITY;
}
