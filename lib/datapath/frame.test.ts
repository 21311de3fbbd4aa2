import { describe, expect, it } from 'vitest';
import { parseSamplerLine, toFrame, unavailableReason } from './frame';

const line = (seq: number, tMs: number, m: Record<string, number>, na: Record<string, string> = {}) =>
  JSON.stringify({ seq, t_ms: tMs, m, na });

describe('parseSamplerLine', () => {
  it('reads counters and reasons', () => {
    const s = parseSamplerLine(line(3, 1500.5, { 'if.server.lo.tx_bytes': 10, 'map.accel_stats.1': 2 }, { bpf: 'nothing pinned' }));
    expect(s).toEqual({ seq: 3, tMs: 1500.5, values: { 'if.server.lo.tx_bytes': 10, 'map.accel_stats.1': 2 }, unavailable: { bpf: 'nothing pinned' } });
  });

  it('drops malformed lines and odd fields instead of using half of them', () => {
    expect(parseSamplerLine('not json')).toBeUndefined();
    expect(parseSamplerLine('{"seq":1}')).toBeUndefined();
    expect(parseSamplerLine('null')).toBeUndefined();
    const s = parseSamplerLine(JSON.stringify({ seq: 1, t_ms: 1, m: { ok: 1, 'bad name': 2, str: 'x', inf: null }, na: { a: 3 } }));
    expect(s?.values).toEqual({ ok: 1 });
    expect(s?.unavailable).toEqual({});
  });
});

describe('toFrame', () => {
  it('has no rates for the first sample', () => {
    const f = toFrame(undefined, parseSamplerLine(line(1, 1000, { a: 5 }))!, 42);
    expect(f).toMatchObject({ seq: 1, at: 42, dt: 0, rates: {}, values: { a: 5 } });
  });

  it('divides deltas by the sandbox clock interval', () => {
    const a = parseSamplerLine(line(1, 1000, { a: 100, b: 7 }))!;
    const b = parseSamplerLine(line(2, 1500, { a: 600, b: 7, c: 1 }))!;
    const f = toFrame(a, b);
    expect(f.dt).toBe(0.5);
    expect(f.rates).toEqual({ a: 1000, b: 0 });
  });

  it('treats a counter that went down as reset, never a negative rate', () => {
    const a = parseSamplerLine(line(1, 0, { hits: 5000 }))!;
    const b = parseSamplerLine(line(2, 1000, { hits: 30 }))!;
    expect(toFrame(a, b).rates.hits).toBe(30);
  });
});

describe('unavailableReason', () => {
  const na = { bpf: 'no BPF programs or maps pinned yet', 'nat.server': 'no nat table', run_cnt: 'stats off' };
  it('maps a metric to its family reason', () => {
    expect(unavailableReason('map.accel_stats.1', na)).toBe(na.bpf);
    expect(unavailableReason('nat.server.redirect_packets', na)).toBe('no nat table');
    expect(unavailableReason('cgroup.server.sock_ops.run_cnt', na)).toBe('stats off');
    expect(unavailableReason('if.client.eth0.tx_bytes', na)).toBeUndefined();
    expect(unavailableReason('if.client.eth0.tx_bytes', { pods: 'no pods: run lab-pods up' })).toBe('no pods: run lab-pods up');
  });
});
