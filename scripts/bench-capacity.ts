// npm run bench:capacity [-- --n=25 --keystrokes=200 --pool=5 --pool-only]: how many learners one machine holds, and what a
// class's first minute costs. Three parts, each on its own server on 127.0.0.1 (everything is removed at the end):
// 1. Page Start -> first prompt, from a warm pool (SANDBOX_WARM_POOL, `--pool` sandboxes) and fresh, one learner at a
//    time; and what a pool sandbox costs while it waits (memory, CPU).
// 2. N learners start the proxy-acceleration lab's sandbox at once (its setup included: pods, app, proxy): time to
//    ready, host memory and server RSS per sandbox; then N lab pages open (the checks' polling runs for each): server
//    and engine (dockerd, containerd, shims) CPU per open page.
// 3. One learner's keystroke echo while the others idle, and while more and more of them stream output in their own
//    terminals; the number of learners at which echo p95 passes 100 ms.
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { loadConfig } from '../lib/config';
import { LabCatalog } from '../lib/labs/catalog';
import { connectSandboxEngine } from '../lib/sandbox/engine';
import { percentile } from '../lib/stats';
import { Client, withAppServer, type AppServer } from './harness/app-server';
import { echoLatency } from './harness/echo';
import { LabEventsClient } from './harness/lab-events-client';
import { TermClient } from './harness/terminal-client';

const arg = (name: string, fallback: number) => Number(process.argv.find((a) => a.startsWith(`--${name}=`))?.split('=')[1] ?? fallback);
const N = arg('n', 25);
const KEYSTROKES = arg('keystrokes', 200);
const POOL = arg('pool', 5);
/** Only part 1 (the warm pool), e.g. after a change to how sandboxes are handed out. */
const POOL_ONLY = process.argv.includes('--pool-only');
/** How long CPU is sampled, with and without the lab pages open. */
const CPU_WINDOW_MS = 20_000;
const LAB = 'proxy-acceleration';
/** Echo past this is felt as lag while typing. */
const ECHO_GOAL_MS = 100;
/** What a streaming learner runs: lines as fast as the shell can print them (flow control bounds the rate). */
const STREAM = 'while :; do seq 1 500; done\r';

const meminfo = (field: string) => Number(new RegExp(`${field}:\\s+(\\d+) kB`).exec(readFileSync('/proc/meminfo', 'utf8'))![1]) / 1024;
const rssMiB = (pid: number) => Number(/VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))![1]) / 1024;
const p = (xs: number[], q: number) => percentile(xs, q).toFixed(q === 50 ? 2 : 1);
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** CPU seconds (user + system) the processes have used so far; those that ended in between count as 0. */
function cpuSeconds(pids: number[]): number {
  let ticks = 0;
  for (const pid of pids) {
    try {
      // The command name may hold ') ': fields are counted from its last one (state is field 3, utime 14, stime 15).
      const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
      const fields = stat.slice(stat.lastIndexOf(') ') + 2).split(' ');
      ticks += Number(fields[11]) + Number(fields[12]);
    } catch {
      // gone
    }
  }
  return ticks / 100; // USER_HZ
}
/** Processes by pgrep's arguments; none is an empty list (pgrep then exits with 1). */
function pidsOf(...args: string[]): number[] {
  try {
    return execFileSync('pgrep', args, { encoding: 'utf8' }).trim().split('\n').filter(Boolean).map(Number);
  } catch {
    return [];
  }
}
/** The docker CLI processes the server runs (each open terminal is one `docker exec -it`): their memory, MiB. */
function dockerClientsMiB(server: AppServer): { count: number; mib: number } {
  const pids = pidsOf('-P', String(server.pid), '-x', 'docker');
  let mib = 0;
  for (const pid of pids) {
    try {
      mib += rssMiB(pid);
    } catch {
      // ended meanwhile
    }
  }
  return { count: pids.length, mib };
}
const enginePids = () => [...pidsOf('-x', 'dockerd'), ...pidsOf('-x', 'containerd'), ...pidsOf('-f', 'containerd-shim')];

/** CPU cores in use by the server and by the engine, averaged over `ms`. */
async function cpuRates(server: AppServer, ms: number): Promise<{ server: number; engine: number }> {
  const engine = enginePids();
  const s0 = cpuSeconds([server.pid]);
  const e0 = cpuSeconds(engine);
  await sleep(ms);
  return { server: (cpuSeconds([server.pid]) - s0) / (ms / 1000), engine: (cpuSeconds(engine) - e0) / (ms / 1000) };
}

/** Learners waiting for sandboxes (from /metrics, as Prometheus would read it). */
async function sandboxGauge(server: AppServer, state: 'running' | 'pool'): Promise<number> {
  const text = await (await fetch(`${server.url}/metrics`)).text();
  return Number(new RegExp(`^ebpf_labs_sandboxes\\{state="${state}"\\} (\\d+)`, 'm').exec(text)?.[1] ?? NaN);
}

/**
 * Page Start -> the first prompt, as a learner sees it: the start request, then every terminal tab of the lab
 * connecting at once (the page mounts them all), until the tab the page shows first has its prompt.
 */
async function startToPrompt(server: AppServer, tabs: string[]): Promise<{ total: number; request: number }> {
  const c = new Client(server.url);
  await c.fetch('/');
  const t0 = performance.now();
  const res = await c.fetch(`/api/labs/${LAB}/sandbox`, { method: 'POST' });
  if (!res.ok) throw new Error(`start failed: ${res.status} ${await res.text()}`);
  const request = (performance.now() - t0) / 1000;
  const terms = tabs.map((tab) => new TermClient(server.url, { lab: LAB, tab, cookie: c.cookie, keepChars: 16 * 1024, screen: true }));
  await terms[0]!.opened;
  // The prompt, wherever it is: a screen restore ends with escape sequences that put the cursor back after it.
  await terms[0]!.waitFor(/~# /, 60_000);
  const total = (performance.now() - t0) / 1000;
  for (const t of terms) t.close();
  return { total, request };
}

/** p50 and p95 of the whole, and the start request's share of it. */
function describeStarts(runs: { total: number; request: number }[]): string {
  const totals = runs.map((r) => r.total);
  const requests = runs.map((r) => r.request);
  const shells = runs.map((r) => r.total - r.request);
  return `p50 ${p(totals, 50)} s, p95 ${p(totals, 95)} s (start request p50 ${p(requests, 50)} s, then terminal to prompt p50 ${p(shells, 50)} s)`;
}

async function poolPart(): Promise<void> {
  const lab = await new LabCatalog(loadConfig(process.env).labsDir, true).get(LAB);
  const tabs = lab!.meta.terminals.map((t) => t.name);
  console.log(`page Start -> first prompt (tab ${tabs[0]}, with the lab's ${tabs.length} terminals connecting), ${POOL} learners one after another:`);
  const fresh = await withAppServer(async (server) => {
    const runs: { total: number; request: number }[] = [];
    for (let i = 0; i < POOL; i++) runs.push(await startToPrompt(server, tabs));
    return runs;
  });
  console.log(`  fresh sandbox: ${describeStarts(fresh)}`);
  await withAppServer(
    async (server) => {
      const memBefore = meminfo('MemAvailable');
      const deadline = Date.now() + 180_000;
      while ((await sandboxGauge(server, 'pool')) < POOL) {
        if (Date.now() > deadline) throw new Error('the warm pool did not fill in 3 minutes');
        await sleep(1000);
      }
      await sleep(5000); // the last one's setup settles
      const memEach = (memBefore - meminfo('MemAvailable')) / POOL;
      const { driver } = await connectSandboxEngine(loadConfig({ ...process.env, EBPF_LABS_INSTANCE: server.instance }));
      const pool = await driver.list();
      const first = await Promise.all(pool.map((s) => driver.usage(s.id)));
      const cpu = await cpuRates(server, CPU_WINDOW_MS);
      const second = await Promise.all(pool.map((s) => driver.usage(s.id)));
      const sandboxCpu = second.reduce((sum, u, i) => sum + (u && first[i] ? (u.cpuNs - first[i].cpuNs) / 1e6 / (u.at - first[i].at) : 0), 0) / pool.length;
      const memStats = second.reduce((sum, u) => sum + (u?.memoryBytes ?? 0), 0) / pool.length / 2 ** 20;
      const clients = dockerClientsMiB(server);
      console.log(
        `  a waiting pool sandbox costs ${memEach.toFixed(1)} MiB of host memory (${memStats.toFixed(1)} MiB by docker stats; ` +
          `its ${tabs.length} open terminals' docker exec clients ${(clients.mib / POOL).toFixed(1)} MiB RSS, ${clients.count} clients for the ${POOL}), ` +
          `${(sandboxCpu * 100).toFixed(2)}% of a core; server ${(cpu.server * 100).toFixed(1)}%, engine ${(cpu.engine * 100).toFixed(1)}% of a core for the ${POOL}`,
      );
      const pooled: { total: number; request: number }[] = [];
      for (let i = 0; i < POOL; i++) pooled.push(await startToPrompt(server, tabs));
      const p50 = (runs: { total: number }[]) => percentile(runs.map((r) => r.total), 50);
      console.log(`  from the warm pool: ${describeStarts(pooled)}, ${(p50(fresh) / p50(pooled)).toFixed(1)}x faster at p50`);
    },
    { SANDBOX_WARM_POOL: `${LAB}:${POOL}`, MAX_SANDBOXES: String(2 * POOL + 2) },
  );
}

async function startAll(server: AppServer): Promise<{ clients: Client[]; seconds: number[]; failed: string[] }> {
  const clients = Array.from({ length: N }, () => new Client(server.url));
  for (const c of clients) await c.fetch('/');
  const seconds: number[] = [];
  const failed: string[] = [];
  await Promise.all(
    clients.map(async (c) => {
      const t0 = performance.now();
      const res = await c.fetch(`/api/labs/${LAB}/sandbox`, { method: 'POST' });
      if (res.ok) seconds.push((performance.now() - t0) / 1000);
      else failed.push(`${res.status} ${JSON.stringify((await res.json()).error?.message)}`);
    }),
  );
  return { clients, seconds, failed };
}

async function openShell(server: AppServer, c: Client): Promise<TermClient> {
  const t = new TermClient(server.url, { lab: LAB, tab: 'sandbox', cookie: c.cookie, keepChars: 16 * 1024 });
  await t.opened;
  await t.waitFor(/# $/m, 60_000);
  return t;
}

async function main() {
  console.log(`capacity: ${N} learners, lab ${LAB}, ${KEYSTROKES} keystrokes per echo measurement, warm pool of ${POOL}`);
  if (POOL > 0) await poolPart();
  if (POOL_ONLY) return;
  await withAppServer(
    async (server) => {
      const memBefore = meminfo('MemAvailable');
      const rssBefore = rssMiB(server.pid);
      const { clients, seconds, failed } = await startAll(server);
      if (failed.length) console.log(`  ${failed.length} start(s) failed: ${failed.slice(0, 3).join('; ')}`);
      await new Promise((r) => setTimeout(r, 5000)); // let the labs' setups settle before reading memory
      const memUsed = memBefore - meminfo('MemAvailable');
      const rssGrowth = rssMiB(server.pid) - rssBefore;
      const ready = seconds.length;
      console.log(`time to ready (${ready} concurrent starts, lab setup included): p50 ${p(seconds, 50)} s, p95 ${p(seconds, 95)} s, max ${Math.max(...seconds).toFixed(2)} s`);
      console.log(`host memory: ${memUsed.toFixed(0)} MiB for ${ready} sandboxes (${(memUsed / ready).toFixed(1)} MiB each); server RSS ${rssBefore.toFixed(0)} -> ${(rssBefore + rssGrowth).toFixed(0)} MiB (${(rssGrowth / ready).toFixed(2)} MiB per sandbox)`);

      const idle = await cpuRates(server, CPU_WINDOW_MS);
      const pages = clients.map((c) => new LabEventsClient(server.url, LAB, c.cookie));
      await Promise.all(pages.map((pg) => pg.opened));
      await sleep(3000);
      const open = await cpuRates(server, CPU_WINDOW_MS);
      const perPage = (k: 'server' | 'engine') => (((open[k] - idle[k]) / pages.length) * 100).toFixed(2);
      console.log(
        `CPU with ${pages.length} lab pages open (checks polling) vs none: server ${(idle.server * 100).toFixed(1)}% -> ${(open.server * 100).toFixed(1)}%, ` +
          `engine ${(idle.engine * 100).toFixed(1)}% -> ${(open.engine * 100).toFixed(1)}% of a core; per open page: server ${perPage('server')}%, engine ${perPage('engine')}%`,
      );

      const me = await openShell(server, clients[0]!);
      await echoLatency(me, 50); // warm-up
      const loads = [...new Set([0, 1, 2, 4, 8, 12, 16, 24, N - 1].filter((k) => k < N))].sort((a, b) => a - b);
      const streams: TermClient[] = [];
      let passedAt: number | undefined;
      console.log('echo of one learner (ms), others streaming output in their terminals:');
      for (const k of loads) {
        while (streams.length < k) {
          const t = await openShell(server, clients[streams.length + 1]!);
          t.type(STREAM);
          streams.push(t);
        }
        await new Promise((r) => setTimeout(r, 1000));
        const echo = await echoLatency(me, KEYSTROKES);
        const p95 = percentile(echo, 95);
        console.log(`  ${String(k).padStart(2)} streaming, ${N - 1 - k} idle: p50 ${p(echo, 50)}, p95 ${p(echo, 95)}, max ${Math.max(...echo).toFixed(1)}`);
        if (passedAt === undefined && p95 > ECHO_GOAL_MS) passedAt = k;
      }
      for (const t of streams) {
        t.type('\x03');
        t.close();
      }
      me.close();
      for (const pg of pages) pg.close();
      console.log(
        passedAt === undefined
          ? `echo p95 stayed under ${ECHO_GOAL_MS} ms with ${loads.at(-1)} learners streaming and ${N} sandboxes running`
          : `echo p95 passed ${ECHO_GOAL_MS} ms with ${passedAt} learners streaming (${passedAt + 1} active learners, ${N} sandboxes running)`,
      );
    },
    {
      MAX_SANDBOXES: String(N + 2),
      MAX_SANDBOXES_PER_ADDRESS: String(N + 2),
      NEW_LEARNERS_PER_MINUTE: String(N * 4),
      SANDBOX_IDLE_MINUTES: '600',
    },
  );
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
