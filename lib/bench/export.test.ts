import { expect, it } from 'vitest';
import { CSV_COLUMNS, toCsv } from './export';
import type { Sample } from './model';
import type { RunRecord } from './types';

const run = { id: 'r1' } as RunRecord;
const sample: Sample = {
  index: 0,
  rep: 1,
  mode: 'proxy',
  size: 64,
  iperf: { gbps: 1.5, retransmits: 2, cpuClient: 10, cpuServer: 20, bytes: 1, seconds: 1 },
  datapath: { proxyConnections: 0, redirected: 0, ok: false, problems: ['the proxy accepted no connection, "really"'] },
  error: 'sockperf failed: x',
  startedAt: '2026-01-01T00:00:00.000Z',
  durationMs: 1200,
};

it('writes one row per sample, quoting what needs quotes', () => {
  const [header, row, end] = toCsv(run, [sample]).split('\n');
  expect(header).toBe(CSV_COLUMNS.join(','));
  expect(row).toBe('r1,0,1,proxy,64,1.5,2,10,20,,,,,0,0,,false,"the proxy accepted no connection, ""really""",sockperf failed: x,2026-01-01T00:00:00.000Z,1200');
  expect(end).toBe('');
});

it('writes the proxy\'s payload reads where the lab\'s counters report them, blank where they do not', () => {
  const spliced: Sample = { ...sample, mode: 'sockmap', datapath: { proxyConnections: 2, redirected: 40, proxyReads: 0, ok: true, problems: [] } };
  const [header, withReads, withoutReads] = toCsv(run, [spliced, sample]).split('\n').map((l) => l.split(','));
  const at = header!.indexOf('proxy_reads');
  expect(withReads![at]).toBe('0');
  expect(withoutReads![at]).toBe('');
});
