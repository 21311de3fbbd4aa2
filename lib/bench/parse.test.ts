import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseIperf3, parseSockperf } from './parse';

const fixture = (name: string) => readFileSync(path.join(import.meta.dirname, 'fixtures', name), 'utf8');

describe('parseIperf3 (real output from the sandbox)', () => {
  it('reads throughput, retransmits, CPU and bytes', () => {
    const r = parseIperf3(fixture('iperf3-1k-proxy.json'));
    expect(r.gbps).toBeGreaterThan(0.1);
    expect(r.gbps).toBeLessThan(100);
    expect(r.retransmits).toBeGreaterThanOrEqual(0);
    expect(r.bytes).toBeGreaterThan(0);
    expect(r.seconds).toBeGreaterThan(0.5);
    expect(r.cpuClient).toBeGreaterThan(0);
  });
  it('reports iperf3 errors with what it said', () => {
    expect(() => parseIperf3(fixture('iperf3-refused.json'))).toThrow(/iperf3 failed: control socket has closed unexpectedly/);
    expect(() => parseIperf3('iperf3: error - unable to connect')).toThrow(/not JSON/);
  });
});

describe('parseSockperf (real output from the sandbox)', () => {
  it('reads average, percentiles, max, observations and the round trips of the whole run', () => {
    expect(parseSockperf(fixture('sockperf-64-proxy.txt'))).toEqual({
      avgUs: 61.296,
      p50Us: 27.836,
      p99Us: 430.241,
      p999Us: 6197.622,
      maxUs: 15937.39,
      observations: 4347,
      roundTrips: 8890,
    });
  });
  it('reads colourful output too, and reports a dead server', () => {
    expect(() => parseSockperf(fixture('sockperf-refused.txt'))).toThrow(/No messages were received from the server/);
    expect(parseSockperf(`\x1b[2;35m====> avg-latency=10.5 (std-dev=1)\x1b[0m\npercentile 50.000 =  9.9`).p50Us).toBe(9.9);
  });
});
