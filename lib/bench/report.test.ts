import { describe, expect, it } from 'vitest';
import { BenchConfigSchema, summarizeSamples, type Mode, type Sample } from './model';
import { formatBenchTable, gbps, lower } from './report';

const s = (mode: Mode, rep: number, gbps: number, p50Us: number): Sample => ({
  index: 0,
  rep,
  size: 64,
  mode,
  iperf: { gbps, retransmits: 0, cpuClient: 1, cpuServer: 1, bytes: 1, seconds: 1 },
  sockperf: { avgUs: p50Us, p50Us, p99Us: p50Us * 2, p999Us: p50Us * 3, maxUs: p50Us * 4, observations: 1000 },
  datapath: { proxyConnections: mode === 'direct' ? 0 : 2, redirected: mode === 'proxy+accel' ? 10 : 0, ok: true, problems: [] },
  startedAt: '2026-01-01T00:00:00Z',
  durationMs: 1000,
});

describe('lower', () => {
  it('shows (proxy - x) / proxy as x against proxy', () => {
    expect(lower(0.1)).toBe('−10%');
    expect(lower(-0.054)).toBe('+5%');
    expect(lower(undefined)).toBe('–');
  });
});

describe('gbps', () => {
  it('gives two decimals, and two significant digits where two decimals would say 0.01 for every mode', () => {
    expect(gbps(1.234)).toBe('1.23');
    expect(gbps(0.12)).toBe('0.12');
    expect(gbps(0.0105)).toBe('0.011');
    expect(gbps(0.0096)).toBe('0.0096');
    expect(gbps(0)).toBe('0.00');
    expect(gbps(undefined)).toBe('–');
  });
});

describe('formatBenchTable', () => {
  it('prints medians with min-max, ratios to direct, and the paired acceleration change', () => {
    const summary = summarizeSamples([
      s('direct', 1, 10, 10), s('proxy', 1, 5, 30), s('proxy+accel', 1, 6, 27),
      s('direct', 2, 12, 10), s('proxy', 2, 5, 40), s('proxy+accel', 2, 6, 32),
    ]);
    const table = formatBenchTable(summary, { config: BenchConfigSchema.parse({}), lab: 'x', at: new Date(0) });
    expect(table).toContain('| 64 B | proxy | 5.00 [5.00–5.00] | 0.45 | 35.0 [30.0–40.0] | 70.0 | 3.50 |  |');
    // Medians: 35 -> 29.5 (−16%); pairs: −10% and −20%, median −15%. Throughput +20% both ways.
    expect(table).toContain('| 64 B | −16% | −15% [−20% … −10%] | 22% | +20% | +20% [+20% … +20%] |');
  });

  it('prints small throughputs with their significant digits', () => {
    const summary = summarizeSamples([s('direct', 1, 0.0105, 10), s('direct', 2, 0.0096, 10), s('direct', 3, 0.012, 10)]);
    const table = formatBenchTable(summary, { config: BenchConfigSchema.parse({}), lab: 'x', at: new Date(0) });
    expect(table).toContain('| 64 B | direct | 0.011 [0.0096–0.012] |');
  });
});
