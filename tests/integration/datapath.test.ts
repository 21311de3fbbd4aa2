// The datapath view's data on a real sandbox: the sampler streams counters twice a second, and with acceleration on
// and iperf3 running the sk_msg hit counter climbs while lo stays quiet; without, the opposite. Captures show the
// same as payload vs control packets, and the sampler stops when nobody watches.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CaptureService } from '@/lib/datapath/capture-service';
import type { DatapathFrame } from '@/lib/datapath/frame';
import { DatapathHub } from '@/lib/datapath/hub';
import { edgeState } from '@/lib/datapath/view';
import { LabEventChannel } from '@/lib/lab-events/channel';
import { LabCatalog } from '@/lib/labs/catalog';
import { applySolutions, runLabSetup } from '@/lib/labs/setup';
import type { Datapath, Lab } from '@/lib/labs/schema';
import { silentLogger } from '@/lib/log';
import type { DockerSandboxDriver } from '@/lib/sandbox/docker-driver';
import { runLabScript } from '@/lib/sandbox/lab-exec';
import type { Sandbox } from '@/lib/sandbox/types';
import { testDriver, waitFor, type Tracker } from '../helpers/sandbox';

let driver: DockerSandboxDriver;
let track: Tracker;
let sandbox: Sandbox;
let hub: DatapathHub;
let topology: Datapath;
const captures = new CaptureService();
const frames: DatapathFrame[] = [];
const errors: string[] = [];
let unsubscribe: (() => void) | undefined;
const events = new LabEventChannel();

/** A page watching `sandboxId` (learner "test", its lab): frames and errors as the page would receive them. */
function watch(sandboxId: string, lab: string, ports: number[], into: DatapathFrame[]): () => void {
  const stop = events.subscribe('test', lab, (e) => {
    if (e.type === 'datapath') into.push(e.frame);
    else if (e.type === 'datapath-error') errors.push(e.message);
  });
  const unwatch = hub.watch({ learner: 'test', lab, sandboxId }, ports);
  return () => {
    unwatch();
    stop();
  };
}

const sh = async (script: string, timeoutMs = 60_000) => {
  const r = await runLabScript(driver, sandbox.id, script, { timeoutMs });
  if (r.exitCode !== 0) throw new Error(`exit ${r.exitCode}:\n${r.stdout}\n${r.stderr}`);
  return r.stdout.trim();
};

const HITS = 'map.accel_stats.1';
const LO = 'if.server.lo.tx_packets';
const ETH0 = 'if.server.eth0.rx_packets';

/** Frames that arrived while an iperf3 run through the proxy was in its steady state. */
async function framesDuringTraffic(): Promise<DatapathFrame[]> {
  const run = sh('pod client iperf3 -c 10.10.0.2 -t 3 > /dev/null');
  await new Promise((r) => setTimeout(r, 800)); // past the handshake and slow start
  const from = frames.length;
  await new Promise((r) => setTimeout(r, 1800));
  const during = frames.slice(from);
  await run;
  return during;
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] ?? 0;
const rates = (fs: DatapathFrame[], metric: string) => fs.map((f) => f.rates[metric] ?? 0);

beforeAll(async () => {
  ({ driver, track } = await testDriver());
  const catalog = new LabCatalog('labs', true);
  topology = (await catalog.get('proxy-acceleration'))!.meta.datapath!;
  sandbox = await track.create({ lab: 'proxy-acceleration' });
  await sh('lab-pods up && redirectctl on && accelctl off');
  hub = new DatapathHub({ driver: async () => driver, events, log: silentLogger, stopGraceMs: 300 });
  unsubscribe = watch(sandbox.id, 'proxy-acceleration', topology.ports, frames);
});
afterAll(async () => {
  unsubscribe?.();
  hub?.closeAll();
  await track.cleanup();
});

describe('datapath sampler', () => {
  it('streams counters twice a second, and says why BPF counters are missing before anything is loaded', async () => {
    await waitFor(async () => frames.length >= 4, 10_000);
    expect(errors).toEqual([]);
    const intervals = frames.slice(1).map((f) => f.dt);
    expect(median(intervals)).toBeGreaterThan(0.4);
    expect(median(intervals)).toBeLessThan(0.6);
    const last = frames.at(-1)!;
    for (const m of [LO, ETH0, 'if.client.eth0.tx_bytes', 'nat.server.redirect_packets', 'tcp.server.15006.established', 'cgroup.server.sock_ops.progs']) {
      expect(last.values[m], m).toBeTypeOf('number');
    }
    expect(last.values[HITS]).toBeUndefined();
    expect(last.values['cgroup.server.sock_ops.progs']).toBe(0);
  });

  it('without acceleration: proxy<->app traffic crosses lo, no hits', async () => {
    const during = await framesDuringTraffic();
    expect(during.length).toBeGreaterThanOrEqual(3);
    expect(median(rates(during, LO))).toBeGreaterThan(5000);
    expect(median(rates(during, ETH0))).toBeGreaterThan(5000);
    expect(during.every((f) => f.values[HITS] === undefined)).toBe(true);
    expect(Math.max(...during.map((f) => f.values['tcp.server.15006.established'] ?? 0))).toBeGreaterThanOrEqual(2); // iperf3's control and data connections

    const c = await captures.capture(driver, sandbox.id, topology);
    expect(c.state).toBe('acceleration off');
    const lo = c.interfaces.find((i) => i.name === 'lo')!;
    expect(lo.payloadPackets).toBeGreaterThan(100);
    expect(lo.firstLines.length).toBeGreaterThan(0);
    expect(c.interfaces.find((i) => i.name === 'eth0')!.payloadPackets).toBeGreaterThan(100);
  });

  it('with acceleration: the hit counter climbs and lo carries almost nothing', async () => {
    await sh('accelctl on');
    const during = await framesDuringTraffic();
    expect(median(rates(during, HITS))).toBeGreaterThan(1000);
    expect(median(rates(during, ETH0))).toBeGreaterThan(5000);
    expect(median(rates(during, LO))).toBeLessThan(50);
    const last = during.at(-1)!;
    expect(last.values['cgroup.server.sock_ops.progs']).toBe(1);
    expect(last.values['cgroup.server.sock_ops.run_cnt']).toBeGreaterThan(0);
    expect(last.values['map.accel_socks.entries']).toBeGreaterThanOrEqual(2);

    const c = await captures.capture(driver, sandbox.id, topology);
    expect(c.state).toBe('acceleration on');
    const lo = c.interfaces.find((i) => i.name === 'lo')!;
    expect(lo.payloadPackets).toBeLessThan(5); // the handshakes are control packets; the data never reaches lo
    expect(lo.controlPackets).toBeGreaterThan(0);
    expect(c.interfaces.find((i) => i.name === 'eth0')!.payloadPackets).toBeGreaterThan(100);
    expect(captures.list(sandbox.id).map((x) => x.state)).toEqual(['acceleration on', 'acceleration off']);
  });

  it('refuses a second capture while one runs, and says what to do when the pods are gone', async () => {
    const first = captures.capture(driver, sandbox.id, topology, false);
    await expect(captures.capture(driver, sandbox.id, topology, false)).rejects.toMatchObject({ code: 'capture_running' });
    await first;
    await sh('lab-pods down');
    await expect(captures.capture(driver, sandbox.id, topology, false)).rejects.toMatchObject({ code: 'capture_failed', hint: expect.stringMatching(/lab-pods up/) });
    const n = frames.length;
    await waitFor(async () => frames.length >= n + 2 && frames.at(-1)!.unavailable.pods, 5000);
    await sh('lab-pods up');
  });

  it('stops the sampler in the sandbox when nobody watches', async () => {
    expect(await sh('pgrep -c -f datapath-sampler || true')).toBe('1');
    unsubscribe?.();
    unsubscribe = undefined;
    await waitFor(async () => (await sh('pgrep -c -f datapath-sampler || true')) === '0', 6000, 200);
    expect(hub.running()).toEqual([]);
  });
});

describe('datapath view of the transparent-proxy lab', () => {
  it('has every edge counter once the pods are up, and the TC steering arc and counters once they are loaded', async () => {
    const lab1 = (await new LabCatalog('labs', true).get('transparent-proxy'))!.meta.datapath!;
    const s = await track.create({ lab: 'transparent-proxy' });
    const run = async (script: string) => {
      const r = await runLabScript(driver, s.id, script, { timeoutMs: 60_000 });
      if (r.exitCode !== 0) throw new Error(`exit ${r.exitCode}: ${r.stderr}`);
    };
    await run('lab-pods up');
    const got: DatapathFrame[] = [];
    const off = watch(s.id, 'transparent-proxy', lab1.ports, got);
    try {
      await waitFor(async () => got.length >= 1, 10_000);
      const first = got.at(-1)!;
      // Before any redirect: the nat edge and the TC steering arc have no counter (they say why); the others count.
      const notYet = (metric?: string) => !!metric && (metric.startsWith('nat.') || metric.startsWith('map.steer_maps/'));
      for (const e of lab1.edges) {
        if (notYet(e.packets)) expect(first.values[e.packets!], e.packets).toBeUndefined();
        else expect(first.values[e.packets!], e.packets).toBeTypeOf('number');
      }
      expect(first.unavailable['nat.server']).toMatch(/no iptables nat table/);
      await run('/opt/ebpf-labs/bpf/steer/load.sh >/dev/null && pod client iperf3 -c 10.10.0.2 -t 1 >/dev/null');
      const n = got.length;
      await waitFor(async () => got.length > n + 1, 5000);
      const last = got.at(-1)!;
      expect(last.values['map.steer_maps/steer_stats.0']).toBeGreaterThanOrEqual(2); // iperf3's two connections steered
      expect(last.values['map.steer_maps/steer_stats.3']).toBeGreaterThanOrEqual(2); // SO_ORIGINAL_DST answered by eBPF
      expect(last.values['cgroup.server.getsockopt.progs']).toBe(1);
      // The TC arc of the diagram now has its counter: the packets steer_ingress rewrote.
      const arc = lab1.edges.find((e) => e.shortcut && e.packets?.startsWith('map.steer_maps/'));
      expect(arc, 'the TC steering arc').toBeDefined();
      expect(last.values[arc!.packets!]).toBeGreaterThan(0);
    } finally {
      off();
    }
  });
});

describe('datapath view of the proxy-splicing lab', () => {
  let lab3: Lab;
  let s: Sandbox;
  /** A script in the proxy-splicing sandbox; its stdout, or an error with its output. */
  const sh3 = async (script: string, timeoutMs = 60_000) => {
    const r = await runLabScript(driver, s.id, script, { timeoutMs });
    if (r.exitCode !== 0) throw new Error(`exit ${r.exitCode}:\n${r.stdout}\n${r.stderr}`);
    return r.stdout.trim();
  };

  beforeAll(async () => {
    lab3 = (await new LabCatalog('labs', true).get('proxy-splicing'))!;
    s = await track.create({ lab: lab3.slug });
    await runLabSetup(driver, s.id, lab3);
    await applySolutions(driver, s.id, lab3, '05-splice-the-sockets', () => undefined);
  });

  it('draws the proxy\'s user-space hop bypassed in sockmap mode and carrying payload in copy mode', async () => {
    const hop = lab3.meta.datapath!.edges.find((e) => e.userSpace)!;
    expect(hop, 'the user-space hop').toBeDefined();
    const got: DatapathFrame[] = [];
    const off = watch(s.id, lab3.slug, lab3.meta.datapath!.ports, got);
    /** The hop's state in the frames of a 3 s iperf3 run's steady state, with the proxy in `mode`. */
    const hopDuring = async (mode: string) => {
      await runLabScript(driver, s.id, `splicectl restart ${mode} >/dev/null`, { timeoutMs: 30_000 });
      const run = runLabScript(driver, s.id, 'pod client iperf3 -c 10.10.0.2 -t 3 > /dev/null', { timeoutMs: 30_000 });
      await new Promise((r) => setTimeout(r, 800));
      const from = got.length;
      await new Promise((r) => setTimeout(r, 1800));
      const during = got.slice(from);
      await run;
      return during.map((f) => edgeState(hop, f));
    };
    try {
      await waitFor(async () => got.length >= 1, 10_000);
      const copy = await hopDuring('copy');
      expect(copy.length).toBeGreaterThanOrEqual(3);
      expect(copy.filter((e) => e.active && !e.bypassed).length, 'copy: solid, active').toBeGreaterThanOrEqual(copy.length - 1);
      const sockmap = await hopDuring('sockmap');
      expect(sockmap.filter((e) => e.active && e.bypassed).length, 'sockmap: dashed, no payload').toBeGreaterThanOrEqual(sockmap.length - 1);
    } finally {
      off();
    }
  });

  // The proxy's own counters around a 64-byte ping-pong (sockperf through the proxy): round trips, and what the proxy
  // did meanwhile (its context switches over all its threads, its poll() returns, its payload reads).
  const pingPong = async () =>
    JSON.parse(
      await sh3(`set -o pipefail
        a=$(splicectl stats --json)
        n=$(netbench latency -m 64 -t 3 --raw | sed 's/\\x1b\\[[0-9;]*m//g' | sed -n 's/.*\\[Total Run\\].*ReceivedMessages=\\([0-9]*\\).*/\\1/p')
        b=$(splicectl stats --json)
        jq -nc --argjson a "$a" --argjson b "$b" --argjson n "\${n:-0}" \\
          '{roundTrips: $n, contextSwitches: ($b.context_switches - $a.context_switches), wakeups: ($b.wakeups - $a.wakeups), reads: ($b.data_reads - $a.data_reads)}'`),
    ) as { roundTrips: number; contextSwitches: number; wakeups: number; reads: number };

  it('sockmap mode: the proxy\'s thread sleeps through a ping-pong, and bytes the kernel does not redirect still get through, read by the proxy', async () => {
    await sh3('splicectl restart sockmap >/dev/null');
    const spliced = await pingPong();
    expect(spliced.roundTrips, 'round trips').toBeGreaterThan(0);
    expect(spliced.reads, 'no payload read by the proxy').toBe(0);
    // Polled for POLLIN, the proxy's thread was woken by every redirected skb (about 1.5 context switches per round
    // trip); polling for hang-ups, with a look every SPLICED_POLL_MS, it is scheduled tens of times in 3 s at most.
    expect(spliced.contextSwitches, `context switches (${spliced.wakeups} poll returns) for ${spliced.roundTrips} round trips`).toBeLessThan(0.2 * spliced.roundTrips);

    // A miss: with the verdict program detached, a new connection's sockets are in the map but nothing redirects
    // their bytes. They wake no hang-up poll; the proxy must find them on its timeout and forward them itself.
    await sh3('bpftool prog detach pinned /sys/fs/bpf/splice_verdict stream_verdict pinned /sys/fs/bpf/splice_socks && splicectl restart sockmap >/dev/null');
    const missed = await pingPong();
    expect(missed.roundTrips, 'round trips without the verdict program').toBeGreaterThan(0);
    expect(missed.reads, 'each message read by the proxy').toBeGreaterThanOrEqual(missed.roundTrips);
  });
});
