import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { metricProblem } from './metrics';
import { LAB_PODS } from './pods';

const pods = new Set<string>(LAB_PODS);

describe('datapath metric names', () => {
  it('accepts what the sampler prints', () => {
    for (const m of [
      'if.server.lo.tx_bytes',
      'if.client.eth0.rx_packets',
      'tcp.server.15006.established',
      'nat.server.redirect_packets',
      'cgroup.server.sock_ops.progs',
      'cgroup.server.getsockopt.run_cnt',
      'map.accel_stats.1',
      'map.accel_socks.entries',
      'map.accel_socks.msg_verdict.run_cnt',
      'map.steer_maps/steer_stats.0',
      'prog.accel_sockops.run_cnt',
    ]) {
      expect(metricProblem(m, pods), m).toBeUndefined();
    }
  });

  it('refuses names it never prints, and pods the lab does not create, saying what it does print', () => {
    expect(metricProblem('if.server.lo.tx_pkts', pods)).toMatch(/not a counter .*if\.<pod>\.<dev>\.\{rx,tx\}_\{packets,bytes\}/);
    expect(metricProblem('if.clinet.eth0.rx_bytes', pods)).toMatch(/counts pods client, server, not "clinet"/);
    expect(metricProblem('map.accel_stats.hits', pods)).toMatch(/not a counter/);
    expect(metricProblem('packets', pods)).toMatch(/not a counter/);
  });
});

describe('the pods lab-pods creates', () => {
  it('are the ones the lab format knows', () => {
    const script = readFileSync(path.join(import.meta.dirname, '../../sandbox/rootfs/opt/ebpf-labs/bin/lab-pods'), 'utf8');
    const loop = /for p in ([a-z ]+); do/.exec(script)?.[1]?.trim().split(/\s+/);
    expect(loop).toEqual([...LAB_PODS]);
  });
});
