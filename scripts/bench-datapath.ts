// npm run bench:datapath: what the Datapath pane's sampler costs while it streams. A sandbox with the proxy-acceleration
// lab's topology (pods up, redirect on, acceleration on) is watched through the app's own hub for SECONDS with no
// traffic and SECONDS with iperf3 running; the sampler's CPU comes from its own getrusage counter and, as a cross
// check, from /proc/<pid>/stat. Also the server's CPU for the stream (parsing, rates). Goal: sampler < 2% of a core.
import { loadConfig } from '../lib/config';
import type { DatapathFrame } from '../lib/datapath/frame';
import { DatapathHub } from '../lib/datapath/hub';
import { LabCatalog } from '../lib/labs/catalog';
import { LabEventChannel } from '../lib/lab-events/channel';
import { silentLogger } from '../lib/log';
import { connectSandboxEngine } from '../lib/sandbox/engine';
import { runLabScript } from '../lib/sandbox/lab-exec';
import { percentile } from '../lib/stats';

const SECONDS = Number(process.argv.find((a) => a.startsWith('--seconds='))?.slice(10) ?? 20);
const CLOCK_TICKS_PER_S = 100;

async function main() {
  const config = loadConfig({ ...process.env, EBPF_LABS_INSTANCE: 'bench' });
  const { driver } = await connectSandboxEngine(config);
  for (const s of await driver.list()) await driver.destroy(s.id);
  const topology = (await new LabCatalog(config.labsDir, true).get('proxy-acceleration'))!.meta.datapath!;
  const s = await driver.create({ owner: 'bench', lab: 'proxy-acceleration', purpose: 'bench' });
  const sh = async (script: string, timeoutMs = 120_000) => {
    const r = await runLabScript(driver, s.id, script, { timeoutMs });
    if (r.exitCode !== 0) throw new Error(`${script}: exit ${r.exitCode}\n${r.stderr}`);
    return r.stdout.trim();
  };
  const events = new LabEventChannel();
  const hub = new DatapathHub({ driver: async () => driver, events, log: silentLogger });
  try {
    await sh('lab-pods up >/dev/null && redirectctl on >/dev/null && accelctl on >/dev/null');
    const frames: DatapathFrame[] = [];
    const lineBytes: number[] = [];
    events.subscribe('bench', 'proxy-acceleration', (e) => {
      if (e.type === 'datapath') frames.push(e.frame);
      else if (e.type === 'datapath-error') console.error(e.message);
    });
    const off = hub.watch({ learner: 'bench', lab: 'proxy-acceleration', sandboxId: s.id }, topology.ports);
    while (frames.length < 3) await new Promise((r) => setTimeout(r, 100));
    const procTicks = async () => {
      const stat = await sh('cat /proc/$(pgrep -f -o bin/datapath-sampler)/stat');
      const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      return Number(fields[11]) + Number(fields[12]); // utime + stime (fields 14 and 15 of stat)
    };

    const phase = async (name: string, traffic: boolean) => {
      const run = traffic ? sh(`pod client iperf3 -c 10.10.0.2 -t ${SECONDS + 2} > /dev/null`) : undefined;
      if (traffic) await new Promise((r) => setTimeout(r, 1000));
      const from = frames.length;
      const ticks0 = await procTicks();
      const cpu0 = process.cpuUsage();
      const t0 = performance.now();
      await new Promise((r) => setTimeout(r, SECONDS * 1000));
      const wallS = (performance.now() - t0) / 1000;
      const serverCpu = process.cpuUsage(cpu0);
      const ticks1 = await procTicks();
      const got = frames.slice(from);
      const first = got[0]!;
      const last = got.at(-1)!;
      const selfUs = last.values['sampler.cpu_us']! - first.values['sampler.cpu_us']!;
      const spanS = (last.values['sampler.cpu_us'] !== undefined ? got.slice(1).reduce((a, f) => a + f.dt, 0) : 0) || 1;
      const ticks = got.map((f) => f.values['sampler.tick_us'] ?? 0);
      lineBytes.push(...got.map((f) => JSON.stringify({ m: f.values, na: f.unavailable }).length));
      const hits = (last.values['map.accel_stats.1'] ?? 0) - (first.values['map.accel_stats.1'] ?? 0);
      console.log(
        `${name.padEnd(18)} ${got.length} frames in ${wallS.toFixed(1)} s (${(got.length / wallS).toFixed(2)}/s)  ` +
          `sampler CPU ${((selfUs / 1e6 / spanS) * 100).toFixed(2)}% of a core (getrusage), ` +
          `${(((ticks1 - ticks0) / CLOCK_TICKS_PER_S / wallS) * 100).toFixed(2)}% (/proc stat, 10 ms ticks)  ` +
          `tick p50 ${percentile(ticks, 50).toFixed(0)} µs, max ${Math.max(...ticks).toFixed(0)} µs  ` +
          `server ${(((serverCpu.user + serverCpu.system) / 1e6 / wallS) * 100).toFixed(2)}% (stream + rates, this process)` +
          (traffic ? `  sk_msg hits ${(hits / spanS / 1000).toFixed(0)}k/s` : ''),
      );
      await run;
    };
    console.log(`datapath sampler, ${SECONDS} s per phase, ${topology.ports.length} port(s) counted, acceleration on (goal: sampler < 2% of one core)`);
    await phase('idle', false);
    await phase('iperf3 traffic', true);
    console.log(`frame size p50 ${percentile(lineBytes, 50).toFixed(0)} bytes of JSON (${Object.keys(frames.at(-1)!.values).length} counters)`);
    off();
  } finally {
    hub.closeAll();
    await driver.destroy(s.id);
  }
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
