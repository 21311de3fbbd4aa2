import { describe, expect, it } from 'vitest';
import { summarize } from '@/lib/stats';
import { DEFAULT_ROLES } from '@/lib/bench/model';
import { chartRows, datapathNote, modeColors, type BenchSummary, type Sample } from './bench-data';

const datapath = { proxyConnections: 0, redirected: 0 };
const summary: BenchSummary = {
  roles: DEFAULT_ROLES,
  comparisons: [],
  cells: [
    { mode: 'direct', size: 64, samples: 3, flagged: 0, datapath, throughputGbps: summarize([0.1, 0.12, 0.14]) },
    { mode: 'proxy', size: 64, samples: 3, flagged: 0, datapath, throughputGbps: summarize([0.06, 0.06, 0.09]) },
    { mode: 'direct', size: 131072, samples: 3, flagged: 0, datapath, throughputGbps: summarize([10, 12, 11]) },
    { mode: 'proxy', size: 131072, samples: 3, flagged: 0, datapath, throughputGbps: summarize([6, 5, 6]) },
    { mode: 'proxy', size: 1024, samples: 1, flagged: 0, datapath, throughputGbps: summarize([1]) },
  ],
};

describe('chartRows', () => {
  it('gives each size its medians and the distances to min and max, sizes in order', () => {
    const rows = chartRows(summary, 'throughputGbps', ['direct', 'proxy']);
    expect(rows.map((r) => r.size)).toEqual(['64 B', '1 KiB', '128 KiB']);
    expect(rows[0]).toMatchObject({ direct: 0.12, proxy: 0.06 });
    expect(rows[0]!['proxy:range']).toEqual([0, expect.closeTo(0.03, 9)]);
    expect(rows[2]).toMatchObject({ direct: 11, proxy: 6 });
  });

  it('relative to direct: divides by direct per size and drops sizes that have no direct', () => {
    const rows = chartRows(summary, 'throughputGbps', ['direct', 'proxy'], true);
    expect(rows.map((r) => r.size)).toEqual(['64 B', '128 KiB']);
    expect(rows[0]).toMatchObject({ direct: 1, proxy: 0.5 });
    expect(rows[1]).toMatchObject({ direct: 1, proxy: 0.545 });
    const [below, above] = rows[1]!['direct:range'] as [number, number];
    expect(below).toBeCloseTo(1 / 11, 9);
    expect(above).toBeCloseTo(1 / 11, 9);
  });

  it('leaves out modes and metrics the run did not measure', () => {
    expect(chartRows(summary, 'latencyP50Us', ['direct', 'proxy'])).toEqual([]);
    expect(chartRows(summary, 'throughputGbps', ['proxy+accel'])).toEqual([]);
  });
});

describe('modeColors', () => {
  it('gives every mode of a lab its own colour, the roles the same colour in every lab', () => {
    const splicing = modeColors(['direct', 'copy', 'splice', 'sockmap', 'ktls', 'io-uring'], { direct: 'direct', reference: 'copy', accelerated: 'sockmap' });
    expect(new Set(Object.values(splicing)).size).toBe(6);
    const acceleration = modeColors(['direct', 'proxy', 'proxy+accel'], DEFAULT_ROLES);
    expect([acceleration.direct, acceleration.proxy, acceleration['proxy+accel']]).toEqual([splicing.direct, splicing.copy, splicing.sockmap]);
  });
});

describe('datapathNote', () => {
  const sample = (rep: number, datapath: Sample['datapath'], error?: string): Sample => ({
    index: rep, rep, size: 64, mode: 'sockmap', datapath, startedAt: '', durationMs: 1, ...(error ? { error } : {}),
  });
  const leaked = ['the proxy read payload 4 times: the bytes went through user space'];
  const samples = [
    sample(1, { proxyConnections: 2, redirected: 1500, proxyReads: 0, ok: true, problems: [] }),
    sample(2, { proxyConnections: 2, redirected: 1200, proxyReads: 4, ok: false, problems: leaked }),
    sample(3, { proxyConnections: 2, redirected: 900, proxyReads: 4, ok: false, problems: leaked }, 'sockperf failed: exit 1'),
  ];
  const cell = { mode: 'sockmap', size: 64, samples: 3, flagged: 2, datapath: { proxyConnections: 6, redirected: 3600, proxyReads: 8 } };

  it('gives the counters over the cell, then each reason a sample was flagged, once', () => {
    expect(datapathNote(cell, samples)).toBe(
      '6 new proxy connections, 3,600 redirected in the kernel, 8 payload reads by the proxy (over 3 sample(s)). ' +
        `Flagged: ${leaked[0]}; sockperf failed: exit 1`,
    );
  });

  it('says nothing of reads the lab\'s counters do not report, nor of other cells\' samples', () => {
    const proxy = { ...cell, mode: 'proxy', samples: 1, flagged: 0, datapath: { proxyConnections: 2, redirected: 0 } };
    expect(datapathNote(proxy, samples)).toBe('2 new proxy connections, 0 redirected in the kernel (over 1 sample(s))');
  });
});
