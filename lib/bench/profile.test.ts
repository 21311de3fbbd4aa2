import { describe, expect, it } from 'vitest';
import type { LabMeta } from '../labs/schema';
import { splicingBenchmark, testLab } from '../../tests/doubles/lab';
import { BenchConfigSchema, summarizeSamples, verifyDatapath, type Sample } from './model';
import { expectationOf, labProfile, modeNames, modeRoles, unknownModes } from './profile';
import { formatBenchTable } from './report';
import { modeScript, sampleScript } from './runner';

const benchmark = splicingBenchmark;

describe('a lab with its own benchmark modes', () => {
  const lab = testLab('splicing', { '01-a': 'true' }, { benchmark } as Partial<LabMeta>);
  const profile = labProfile(lab)!;

  it('reads the modes, roles and scripts from lab.yaml', () => {
    expect(modeNames(profile)).toEqual(['direct', 'copy', 'sockmap']);
    expect(modeRoles(profile)).toEqual({ direct: 'direct', reference: 'copy', accelerated: 'sockmap' });
    expect(unknownModes(['copy', 'proxy+accel'], profile)).toEqual(['proxy+accel']);
    expect(unknownModes(['copy'], undefined)).toEqual(['copy']);
    expect(modeScript('copy', '/x', profile)).toBe('switch copy');
    const script = sampleScript({ index: 0, rep: 1, size: 64, mode: 'copy' }, BenchConfigSchema.parse({ modes: ['copy'] }), profile);
    expect(script).toContain('@@BEFORE $(print-counters)');
    expect(script).not.toContain('accelctl');
  });

  it('flags a sample whose proxy read payload in a mode that must not', () => {
    const c = (p: number, r: number, reads: number) => ({ proxyConnections: p, redirected: r, proxyReads: reads });
    expect(verifyDatapath('sockmap', c(1, 0, 5), c(3, 90, 5), expectationOf('sockmap', profile)).ok).toBe(true);
    const leaked = verifyDatapath('sockmap', c(1, 0, 5), c(3, 90, 9), expectationOf('sockmap', profile));
    expect(leaked.problems).toEqual(['the proxy read payload 4 times: the bytes went through user space']);
    expect(verifyDatapath('copy', c(1, 0, 0), c(2, 0, 700), expectationOf('copy', profile)).ok).toBe(true);
  });

  it('measures the tax against its reference mode, for every other mode', () => {
    const s = (mode: string, p50: number): Sample => ({
      index: 0, rep: 1, size: 64, mode,
      sockperf: { avgUs: p50, p50Us: p50, p99Us: p50, p999Us: p50, maxUs: p50, observations: 1 },
      datapath: { proxyConnections: 0, redirected: 0, ok: true, problems: [] }, startedAt: '', durationMs: 1,
    });
    const summary = summarizeSamples([s('direct', 10), s('copy', 30), s('splice', 28), s('sockmap', 20)], modeRoles(profile), modeNames(profile));
    expect(summary.cells.map((c) => c.mode)).toEqual(['direct', 'copy', 'sockmap', 'splice']);
    const cmp = summary.comparisons[0]!;
    expect(cmp.taxRemoved.latency).toBeCloseTo(0.5);
    expect(cmp.taxRemovedBy.splice!.latency).toBeCloseTo(0.1);
    const table = formatBenchTable(summary, { config: BenchConfigSchema.parse({ modes: ['direct'] }), lab: 'x', at: new Date(0), roles: modeRoles(profile) });
    expect(table).toContain('sockmap against copy');
    expect(table).toContain('| 64 B | 50% | – | 10% | – |');
  });

  it('keeps its roles, ratios to its reference mode, and what the datapath checks saw per cell', () => {
    const s = (mode: string, p50: number, datapath: Sample['datapath']): Sample => ({
      index: 0, rep: 1, size: 64, mode,
      sockperf: { avgUs: p50, p50Us: p50, p99Us: p50, p999Us: p50, maxUs: p50, observations: 1 },
      datapath, startedAt: '', durationMs: 1,
    });
    const seen = (proxyConnections: number, redirected: number, proxyReads?: number) => ({ proxyConnections, redirected, proxyReads, ok: true, problems: [] });
    const summary = summarizeSamples(
      [s('direct', 10, seen(0, 0, 0)), s('copy', 30, seen(2, 0, 700)), s('sockmap', 15, seen(2, 90, 0)), s('sockmap', 15, seen(2, 60, 0))],
      modeRoles(profile),
      modeNames(profile),
    );
    expect(summary.roles).toEqual({ direct: 'direct', reference: 'copy', accelerated: 'sockmap' });
    expect(summary.comparisons[0]!.latencyRatioToReference).toEqual({ direct: 10 / 30, copy: 1, sockmap: 0.5 });
    expect(summary.cells.find((c) => c.mode === 'sockmap')!.datapath).toEqual({ proxyConnections: 4, redirected: 150, proxyReads: 0 });
    // Counters that report no reads (the acceleration lab's): none summed either.
    expect(summarizeSamples([s('proxy', 30, seen(2, 0))]).cells[0]!.datapath).toEqual({ proxyConnections: 2, redirected: 0 });
  });

  it('is refused in lab.yaml without its counters, restore and roles', () => {
    expect(() => testLab('x', { '01-a': 'true' }, { benchmark: { ...benchmark, counters: undefined } } as Partial<LabMeta>)).toThrow(/modes need/);
    expect(() => testLab('x', { '01-a': 'true' }, { benchmark: { ...benchmark, reference: 'proxy' } } as Partial<LabMeta>)).toThrow(/among the modes/);
  });
});
