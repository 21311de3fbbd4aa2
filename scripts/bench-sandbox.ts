// npm run bench:sandbox: create -> exec-ready time (preparation and preflight included) over N sandboxes,
// next to the engine's own floor (create + start + one exec of `true`, no preparation). Prints p50 and p95.
import { loadConfig } from '../lib/config';
import { connectSandboxEngine } from '../lib/sandbox/engine';
import { percentile } from '../lib/stats';

const N = Number(process.argv.find((a) => a.startsWith('--n='))?.slice(4) ?? 10);

async function main() {
  const config = loadConfig({ ...process.env, EBPF_LABS_INSTANCE: 'bench' });
  const { docker, engine, driver } = await connectSandboxEngine(config);
  for (const s of await driver.list()) await driver.destroy(s.id);

  const ready: number[] = [];
  const floor: number[] = [];
  const destroy: number[] = [];
  for (let i = 0; i < N; i++) {
    let t = performance.now();
    const s = await driver.create({ owner: 'bench', lab: 'bench', purpose: 'bench' });
    ready.push(performance.now() - t);
    t = performance.now();
    await driver.destroy(s.id);
    destroy.push(performance.now() - t);

    // The floor: what the engine itself costs for a container that answers one exec.
    t = performance.now();
    const c = await docker.createContainer({
      Image: config.sandbox.image,
      Cmd: ['sleep', 'infinity'],
      Labels: { 'io.ebpf-labs.instance': 'bench' },
      HostConfig: { NetworkMode: 'none', Init: true },
    });
    await c.start();
    const e = await c.exec({ Cmd: ['true'], AttachStdout: true, AttachStderr: true });
    const stream = await e.start({ hijack: true, stdin: false });
    await new Promise((r) => stream.on('end', r).resume());
    floor.push(performance.now() - t);
    await c.remove({ force: true });
  }
  const fmt = (v: number[]) => `p50 ${(percentile(v, 50) / 1000).toFixed(3)} s, p95 ${(percentile(v, 95) / 1000).toFixed(3)} s`;
  console.log(`engine: Docker ${engine.version}, cgroup ${engine.cgroupVersion}, kernel ${engine.kernel}, ${engine.cpus} CPUs`);
  console.log(`sandboxes: ${N}`);
  console.log(`create -> exec-ready (prepared, preflight passed): ${fmt(ready)}   goal: p50 <= 0.5 s`);
  console.log(`engine floor (create + start + exec true):          ${fmt(floor)}`);
  console.log(`destroy (in-sandbox cleanup + remove):              ${fmt(destroy)}`);
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
