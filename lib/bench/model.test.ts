import { describe, expect, it } from 'vitest';
import { BenchConfigSchema, estimateSeconds, plan, summarizeSamples, verifyDatapath, type Sample } from './model';

const config = (o: object = {}) => BenchConfigSchema.parse(o);

describe('plan', () => {
  it('interleaves the modes within each repetition and size (A B C A B C ...)', () => {
    const runs = plan(config({ sizes: [64, 1024], repetitions: 2 }));
    expect(runs.map((r) => `${r.rep}/${r.size}/${r.mode}`)).toEqual([
      '1/64/direct', '1/64/proxy', '1/64/proxy+accel',
      '1/1024/direct', '1/1024/proxy', '1/1024/proxy+accel',
      '2/64/direct', '2/64/proxy', '2/64/proxy+accel',
      '2/1024/direct', '2/1024/proxy', '2/1024/proxy+accel',
    ]);
    expect(runs.map((r) => r.index)).toEqual([...runs.keys()]);
  });
  it('keeps the canonical mode order whatever order they were chosen in', () => {
    expect(plan(config({ modes: ['proxy+accel', 'proxy'], sizes: [64], repetitions: 1 })).map((r) => r.mode)).toEqual(['proxy', 'proxy+accel']);
  });
  it('estimates time: sockperf does not run above 65507 bytes', () => {
    const c = config({ sizes: [64, 131072], repetitions: 1, modes: ['proxy'], durationS: 5 });
    expect(estimateSeconds(c)).toBe(5 + 5 + 1.5 + (5 + 1.5));
  });
});

describe('configuration', () => {
  it('has defaults: all modes, four sizes, 3 repetitions, 5 s, pinned', () => {
    expect(config()).toEqual({
      modes: ['direct', 'proxy', 'proxy+accel'],
      sizes: [64, 1024, 16384, 131072],
      repetitions: 3,
      durationS: 5,
      pinned: true,
      tools: ['iperf3', 'sockperf'],
    });
  });
  it('refuses odd sizes, too many repetitions and unknown fields', () => {
    expect(BenchConfigSchema.safeParse({ sizes: [100] }).success).toBe(false);
    expect(BenchConfigSchema.safeParse({ repetitions: 50 }).success).toBe(false);
    expect(BenchConfigSchema.safeParse({ modes: [] }).success).toBe(false);
    expect(BenchConfigSchema.safeParse({ rm: '-rf' }).success).toBe(false);
  });
});

describe('verifyDatapath', () => {
  const c = (proxyConnections: number, redirected: number) => ({ proxyConnections, redirected });
  it('accepts what each mode claims', () => {
    expect(verifyDatapath('direct', c(5, 0), c(5, 0)).ok).toBe(true);
    expect(verifyDatapath('proxy', c(5, 0), c(8, 0))).toEqual({ proxyConnections: 3, redirected: 0, ok: true, problems: [] });
    expect(verifyDatapath('proxy+accel', c(5, 10), c(8, 5000)).ok).toBe(true);
  });
  it('flags samples whose path was not the claimed one', () => {
    expect(verifyDatapath('direct', c(5, 0), c(6, 0)).problems).toEqual(['the proxy accepted 1 connection(s) in direct mode']);
    expect(verifyDatapath('proxy', c(5, 0), c(5, 0)).problems[0]).toMatch(/did not go through it/);
    expect(verifyDatapath('proxy', c(5, 0), c(6, 40)).problems[0]).toMatch(/40 messages were redirected without acceleration/);
    expect(verifyDatapath('proxy+accel', c(5, 10), c(8, 10)).problems[0]).toMatch(/acceleration was not on the path/);
  });
  it('treats a restarted counter (lower after than before) as zero', () => {
    expect(verifyDatapath('proxy', c(9, 0), c(2, 0)).proxyConnections).toBe(0);
  });
});

describe('summarizeSamples', () => {
  const s = (mode: Sample['mode'], rep: number, gbps: number, p50: number, ok = true): Sample => ({
    index: 0,
    rep,
    size: 64,
    mode,
    iperf: { gbps, retransmits: 0, cpuClient: 1, cpuServer: 1, bytes: 1, seconds: 1 },
    sockperf: { avgUs: p50, p50Us: p50, p99Us: p50 * 2, p999Us: p50 * 3, maxUs: p50 * 4, observations: 1000 },
    datapath: { proxyConnections: 0, redirected: 0, ok, problems: ok ? [] : ['x'] },
    startedAt: '',
    durationMs: 1,
  });
  const samples = [
    s('direct', 1, 10, 10), s('proxy', 1, 5, 30), s('proxy+accel', 1, 6, 24),
    s('direct', 2, 12, 11), s('proxy', 2, 5.5, 32), s('proxy+accel', 2, 6.4, 25),
    s('direct', 3, 11, 10), s('proxy', 3, 6, 31), s('proxy+accel', 3, 99, 1, false),
  ];
  const { cells, comparisons } = summarizeSamples(samples);

  it('gives medians with spread, and leaves flagged samples out', () => {
    const accel = cells.find((c) => c.mode === 'proxy+accel')!;
    expect(accel.flagged).toBe(1);
    expect(accel.throughputGbps!.median).toBeCloseTo(6.2);
    expect(accel.throughputGbps!.max).toBe(6.4);
    const proxy = cells.find((c) => c.mode === 'proxy')!;
    expect(proxy.latencyP50Us!.median).toBe(31);
    expect(proxy.latencySpread).toBeCloseTo(32 / 30);
  });

  it('compares with direct, and computes the share of the tax removed', () => {
    const c = comparisons[0]!;
    expect(c.throughputRatio.proxy).toBeCloseTo(5.5 / 11);
    expect(c.latencyRatio.proxy).toBeCloseTo(31 / 10);
    expect(c.taxRemoved.latency).toBeCloseTo((31 - 24.5) / (31 - 10));
    expect(c.accelLatencyChange).toBeCloseTo((31 - 24.5) / 31);
  });

  it('pairs proxy and proxy+accel per repetition, skipping repetitions with a flagged sample', () => {
    const c = comparisons[0]!;
    expect(c.pairedLatencyChange!.n).toBe(2);
    expect(c.pairedLatencyChange!.min).toBeCloseTo((30 - 24) / 30);
    expect(c.pairedLatencyChange!.max).toBeCloseTo((32 - 25) / 32);
    expect(c.pairedThroughputChange!.median).toBeCloseTo(((5 - 6) / 5 + (5.5 - 6.4) / 5.5) / 2);
  });

  it('cancels a drift that hits both modes of a repetition alike', () => {
    // Every mode of repetition 2 is 30% slower: the medians move, the paired change does not.
    const drift = summarizeSamples([
      s('proxy', 1, 5, 30), s('proxy+accel', 1, 6, 27),
      s('proxy', 2, 5, 39), s('proxy+accel', 2, 6, 35.1),
    ]).comparisons[0]!;
    expect(drift.pairedLatencyChange!.min).toBeCloseTo(0.1);
    expect(drift.pairedLatencyChange!.max).toBeCloseTo(0.1);
  });
});
