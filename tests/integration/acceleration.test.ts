// The acceleration on a real sandbox: with sock_ops + sk_msg attached, proxy<->app traffic is redirected socket to
// socket (the hit counter climbs, no data crosses lo); without, the opposite. Also the proxy and redirect tools.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DockerSandboxDriver } from '@/lib/sandbox/docker-driver';
import type { Sandbox } from '@/lib/sandbox/types';
import { testDriver, type Tracker } from '../helpers/sandbox';

let driver: DockerSandboxDriver;
let track: Tracker;
let sandbox: Sandbox;

const sh = async (script: string, timeoutMs = 60_000) => {
  const r = await driver.exec(sandbox.id, ['/opt/ebpf-labs/bin/lab-exec'], { stdin: script, timeoutMs });
  if (r.exitCode !== 0) throw new Error(`exit ${r.exitCode}:\n${r.stdout}\n${r.stderr}`);
  return r.stdout.trim();
};

beforeAll(async () => {
  ({ driver, track } = await testDriver());
  sandbox = await track.create({ lab: 'proxy-acceleration' });
  await sh('lab-pods up && redirectctl on');
});
afterAll(() => track.cleanup());

/**
 * During a 3 s iperf3 run through the proxy, captures lo in the server pod for 1.5 s of steady traffic and counts
 * proxy<->app packets that carry data, and the accel_stats redirect counter's change over the run.
 */
async function measureLoopback() {
  const out = await sh(`
    before=$(accelctl status --json | jq .redirected)
    pod client iperf3 -c 10.10.0.2 -t 3 > /dev/null &
    client=$!
    sleep 0.7
    timeout -s INT 1.5 nsenter --net=/run/netns/server tcpdump -ni lo -w /tmp/lo.pcap 'tcp and host 127.0.0.6' 2>/dev/null || true
    wait $client
    after=$(accelctl status --json | jq .redirected)
    data=$(tcpdump -nr /tmp/lo.pcap '(((ip[2:2] - ((ip[0]&0xf)<<2)) - ((tcp[12]&0xf0)>>2)) != 0)' 2>/dev/null | wc -l)
    all=$(tcpdump -nr /tmp/lo.pcap 2>/dev/null | wc -l)
    echo "$((after - before)) $data $all"
  `);
  const [redirected, dataPackets, packets] = out.split(/\s+/).map(Number);
  return { redirected: redirected!, dataPackets: dataPackets!, packets: packets! };
}

describe('proxy acceleration', () => {
  it('without it: proxy<->app data crosses lo as TCP segments, nothing is redirected', async () => {
    await sh('accelctl off');
    const m = await measureLoopback();
    expect(m.dataPackets).toBeGreaterThan(100);
    expect(m.redirected).toBe(0);
  });

  it('with it: the hit counter climbs and no proxy<->app data crosses lo', async () => {
    await sh('accelctl on');
    const m = await measureLoopback();
    expect(m.redirected).toBeGreaterThan(1000);
    expect(m.dataPackets).toBe(0);
    const status = JSON.parse(await sh('accelctl status --json'));
    expect(status).toMatchObject({ on: true, missed: expect.any(Number) });
    expect(status.sockets_added).toBeGreaterThanOrEqual(4); // both ends of iperf3's two connections
    // accel_stats is per CPU: accelctl sums the slots, bytes included.
    expect(status.redirected_bytes).toBeGreaterThan(status.redirected);
  });

  it('lists the pod\'s sockets in the map while a connection is open, and says they stay accelerated after off', async () => {
    const out = await sh(`
      setsid bash -c 'sleep 30 | pod client nc 10.10.0.2 11111' > /dev/null 2>&1 < /dev/null &
      sleep 1
      accelctl sockets
      accelctl off
      accelctl sockets
      pkill -f 'pod client nc 10.10.0.2 11111|^nc 10.10.0.2 11111' || true
      sleep 0.5
      /opt/ebpf-labs/bpf/accel/accel-probe sockets --count
    `);
    // The proxy's end of the connection (one line per listing) runs the sk_msg program, before and after accelctl off.
    expect(out.match(/127\.0\.0\.6:\d+ <-> 10\.10\.0\.2:11111 .*sk_msg accel_redirect/g)?.length).toBe(2);
    expect(out).toMatch(/2 sockets of the server pod stay accelerated until their connections close/);
    expect(out.trim().split('\n').at(-1)).toBe('0'); // the connection closed: the sockets left the map
    await sh('accelctl on');
  });

  it('keys both ends of IPv4-mapped sockets (iperf3 -s on [::]) with mirrored, host-order ports', async () => {
    const dump = await sh(`
      pod client iperf3 -c 10.10.0.2 -t 2 > /dev/null &
      sleep 1
      bpftool -j map dump pinned /sys/fs/bpf/accel_socks | jq -L /opt/ebpf-labs/lib -c 'include "bpf"; [.[] | .key | sockkey]'
      wait
    `);
    const keys: { local_ip: string; remote_ip: string; local_port: number; remote_port: number }[] = JSON.parse(dump);
    const app = keys.filter((k) => k.local_ip === '10.10.0.2' && k.local_port === 5201);
    expect(app.length).toBe(2);
    for (const k of app) {
      expect(k.remote_ip).toBe('127.0.0.6');
      expect(keys).toContainEqual({ local_ip: '127.0.0.6', remote_ip: '10.10.0.2', local_port: k.remote_port, remote_port: 5201 });
    }
  });

  it('detaches completely: no sock_ops left on the pod cgroup, no pins', async () => {
    // What the clean-up step's check reads instead of bpftool cgroup tree (which loads the kernel's BTF).
    const listed = await sh('/opt/ebpf-labs/bpf/accel/accel-probe cgroup-progs');
    expect(listed).toMatch(/^\$LAB_CGROUP\/server\tsock_ops\t\d+\taccel_sockops$/);
    await sh('accelctl off');
    expect(await sh('/opt/ebpf-labs/bpf/accel/accel-probe cgroup-progs')).toBe('');
    expect(await sh('bpftool -j cgroup show $LAB_CGROUP/server')).not.toMatch(/sock_ops/);
    expect(await sh('ls /sys/fs/bpf | grep -c accel_ || true')).toBe('0');
  });
});

describe('the lab tools', () => {
  it('redirectctl switches the capture; the proxy counts only redirected connections', async () => {
    const total = async () => JSON.parse(await sh('proxyctl stats --json')).connections_total as number;
    await sh('redirectctl off');
    let before = await total();
    await sh('pod client sockperf ping-pong --tcp -i 10.10.0.2 -p 11111 -t 1 > /dev/null 2>&1');
    expect(await total()).toBe(before);
    await sh('redirectctl on');
    before = await total();
    await sh('pod client sockperf ping-pong --tcp -i 10.10.0.2 -p 11111 -t 1 > /dev/null 2>&1');
    expect(await total()).toBe(before + 1);
    expect(JSON.parse(await sh('redirectctl status --json'))).toMatchObject({ on: true });
  });

  it('runs the proxy as uid 1337 in the server pod, and the app on [::]', async () => {
    const ps = await sh('ps -o uid=,args= -C haproxy -C envoy | head -1');
    expect(ps).toMatch(/^\s*1337 /);
    expect(await sh('nsenter --net=/run/netns/server ss -Hltn "sport = :5201"')).toMatch(/\[::\]:5201|\*:5201/);
  });
});
