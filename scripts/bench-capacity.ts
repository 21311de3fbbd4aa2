// npm run bench:capacity [-- --n=25 --keystrokes=200]: how many learners one machine holds. N learners start the
// proxy-acceleration lab's sandbox at once (its setup included: pods, app, proxy); then one learner's keystroke echo
// is measured while the others idle, and while more and more of them stream output in their own terminals.
// Prints time to ready p50/p95, host memory and server RSS per sandbox, echo p50/p95 per load, and the number of
// learners at which echo p95 passes 100 ms. Everything runs on 127.0.0.1 and is removed at the end.
import { readFileSync } from 'node:fs';
import { percentile } from '../lib/stats';
import { Client, withAppServer, type AppServer } from './harness/app-server';
import { echoLatency } from './harness/echo';
import { TermClient } from './harness/terminal-client';

const arg = (name: string, fallback: number) => Number(process.argv.find((a) => a.startsWith(`--${name}=`))?.split('=')[1] ?? fallback);
const N = arg('n', 25);
const KEYSTROKES = arg('keystrokes', 200);
const LAB = 'proxy-acceleration';
/** Echo past this is felt as lag while typing. */
const ECHO_GOAL_MS = 100;
/** What a streaming learner runs: lines as fast as the shell can print them (flow control bounds the rate). */
const STREAM = 'while :; do seq 1 500; done\r';

const meminfo = (field: string) => Number(new RegExp(`${field}:\\s+(\\d+) kB`).exec(readFileSync('/proc/meminfo', 'utf8'))![1]) / 1024;
const rssMiB = (pid: number) => Number(/VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))![1]) / 1024;
const p = (xs: number[], q: number) => percentile(xs, q).toFixed(q === 50 ? 2 : 1);

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
  console.log(`capacity: ${N} learners, lab ${LAB}, ${KEYSTROKES} keystrokes per echo measurement`);
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
