import { describe, expect, it } from 'vitest';
import { DatapathSchema } from '../labs/schema';
import type { DatapathFrame } from './frame';
import { bitRate, compact, counterState, edgePath, edgeState, groupBoxes, viewBox } from './view';

const topology = DatapathSchema.parse({
  nodes: [
    { id: 'proxy', label: 'proxy', col: 0, row: 1, group: 'server pod' },
    { id: 'lo', label: 'lo', col: 1, row: 2, group: 'server pod' },
    { id: 'app', label: 'app', col: 2, row: 1, group: 'server pod' },
  ],
  edges: [
    { from: 'proxy', to: 'lo', packets: 'if.server.lo.tx_packets', bytes: 'if.server.lo.tx_bytes' },
    { from: 'proxy', to: 'app', packets: 'map.accel_stats.1', unit: 'messages', shortcut: true, missing: 'load it (step 05)' },
  ],
  counters: [
    { label: 'hits', metric: 'map.accel_stats.1', show: 'rate' },
    { label: 'runs', metric: 'cgroup.server.sock_ops.run_cnt', show: 'total' },
  ],
});

const frame = (values: Record<string, number>, rates: Record<string, number>, unavailable: Record<string, string> = {}): DatapathFrame => ({
  seq: 2, at: 0, dt: 0.5, values, rates, unavailable,
});

describe('formatting', () => {
  it('keeps three significant digits with SI prefixes', () => {
    expect([compact(0), compact(7), compact(0.4), compact(1234), compact(98765), compact(2.5e6)]).toEqual(['0', '7', '0.4', '1.23k', '98.8k', '2.5M']);
    expect(bitRate(1.25e8)).toBe('1Gbit/s');
  });
});

describe('edgeState', () => {
  const [lo, shortcut] = topology.edges;
  it('is active with traffic and shows packets and bits per second', () => {
    const s = edgeState(lo!, frame({ 'if.server.lo.tx_packets': 10, 'if.server.lo.tx_bytes': 10 }, { 'if.server.lo.tx_packets': 20000, 'if.server.lo.tx_bytes': 1.25e8 }));
    expect(s).toMatchObject({ active: true, perSecond: 20000, rate: '20k pkt/s', bits: '1Gbit/s' });
  });

  it('is idle below the threshold', () => {
    expect(edgeState(lo!, frame({ 'if.server.lo.tx_packets': 1 }, { 'if.server.lo.tx_packets': 2 })).active).toBe(false);
  });

  it('says why when the counter is missing: the lab text first, else the sampler reason', () => {
    expect(edgeState(shortcut!, frame({}, {}, { bpf: 'nothing pinned' }))).toMatchObject({ active: false, rate: 'n/a', missing: 'load it (step 05)' });
    expect(edgeState(lo!, frame({}, {}, { pods: 'no pods: run lab-pods up' })).missing).toBe('no pods: run lab-pods up');
  });

  it('waits for the first frame', () => {
    expect(edgeState(lo!, undefined)).toMatchObject({ active: false, rate: '…' });
  });
});

describe('counterState', () => {
  const [hits, runs] = topology.counters;
  it('shows rates with totals, or values', () => {
    expect(counterState(hits!, frame({ 'map.accel_stats.1': 5000 }, { 'map.accel_stats.1': 1200 })).text).toBe('1.2k/s (total 5k)');
    expect(counterState(runs!, frame({ 'cgroup.server.sock_ops.run_cnt': 42 }, {})).text).toBe('42');
    expect(counterState(runs!, frame({}, {}, { run_cnt: 'stats off' })).missing).toBe('stats off');
  });
});

describe('geometry', () => {
  it('sizes the drawing to the grid and boxes groups around their nodes', () => {
    expect(viewBox(topology)).toEqual({ width: 32 + 3 * 200, height: 32 + 3 * 92 });
    const [box] = groupBoxes(topology);
    expect(box!.label).toBe('server pod');
    expect(box!.width).toBeGreaterThan(2 * 200);
  });

  it('arcs shortcuts above their ends and draws the rest straight', () => {
    const [proxy, lo, app] = topology.nodes;
    const down = edgePath(proxy!, lo!, false);
    expect(down.d).toMatch(/^M [\d.]+ [\d.]+ L /);
    expect(down.label.anchor).toBe('end'); // beside the line, not across it
    expect(edgePath(lo!, app!, false).label.anchor).toBe('start');
    const arc = edgePath(proxy!, app!, true);
    expect(arc.d).toMatch(/ Q /);
    expect(arc.label.y).toBeLessThan(16 + 92); // above row 1
    expect(arc.label.anchor).toBe('middle');
  });
});

describe('a proxy\'s user-space hop', () => {
  const hop = DatapathSchema.parse({
    nodes: [
      { id: 'proxy', label: 'proxy', col: 0, row: 1 },
      { id: 'lo', label: 'lo', col: 1, row: 2 },
    ],
    edges: [{ from: 'proxy', to: 'lo', packets: 'if.server.lo.tx_packets', userSpace: 'map.splice_proxy_stats.3' }],
  }).edges[0]!;
  const rates = (packets: number, payload?: number) =>
    frame(
      { 'if.server.lo.tx_packets': 1, ...(payload === undefined ? {} : { 'map.splice_proxy_stats.3': 1 }) },
      { 'if.server.lo.tx_packets': packets, ...(payload === undefined ? {} : { 'map.splice_proxy_stats.3': payload }) },
    );

  it('is bypassed while its traffic flows and its payload counter stands still (sockmap mode)', () => {
    expect(edgeState(hop, rates(20000, 0))).toMatchObject({ active: true, bypassed: true });
  });

  it('is not while payload moves through user space (copy mode), or no traffic flows, or the counter is unknown', () => {
    expect(edgeState(hop, rates(20000, 1.2e6))).toMatchObject({ active: true, bypassed: false });
    expect(edgeState(hop, rates(0, 0))).toMatchObject({ active: false, bypassed: false });
    expect(edgeState(hop, rates(20000))).toMatchObject({ active: true, bypassed: false }); // the proxy is not running
    expect(edgeState(topology.edges[0]!, rates(20000, 0)).bypassed).toBe(false); // an edge that is no user-space hop
  });

  it('needs a traffic counter to say so', () => {
    expect(() =>
      DatapathSchema.parse({
        nodes: [{ id: 'a', label: 'a', col: 0, row: 0 }, { id: 'b', label: 'b', col: 1, row: 0 }],
        edges: [{ from: 'a', to: 'b', userSpace: 'map.splice_proxy_stats.3' }],
      }),
    ).toThrow(/userSpace needs packets/);
    expect(() =>
      DatapathSchema.parse({
        nodes: [{ id: 'a', label: 'a', col: 0, row: 0 }, { id: 'b', label: 'b', col: 1, row: 0 }],
        edges: [{ from: 'a', to: 'b', packets: 'if.server.lo.tx_packets', userSpace: 'splice_proxy_stats' }],
      }),
    ).toThrow(/a sampler counter/);
  });
});
