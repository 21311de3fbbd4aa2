// npm run bench:terminal: the terminal chain, measured against a real server and sandbox.
//   1. keystroke echo round trip: WebSocket client -> server -> pty -> docker exec -> shell -> back (p50, p99),
//      next to node-pty running docker exec directly (the floor);
//   2. output throughput to a client that reads as fast as it can (200 MB of base64);
//   3. server memory growth while a client reads slowly;
//   4. page "Start sandbox" to the first prompt, in Chromium.
import { readFileSync } from 'node:fs';
import { loadConfig } from '../lib/config';
import { percentile } from '../lib/stats';
import { spawnShell } from '../lib/terminal/pty';
import { FLOW } from '../lib/terminal/protocol';
import { launchBrowser } from './harness/browser';
import { Client, withAppServer, type AppServer } from './harness/app-server';
import { echoLatency } from './harness/echo';
import { TermClient } from './harness/terminal-client';

const LAB = 'sandbox-tour';
const KEYSTROKES = 1000;
const THROUGHPUT_MB = 200;
const SLOW_READ_SECONDS = 20;
const START_RUNS = 5;

const ms = (v: number) => `${v.toFixed(2)} ms`;
const rssMiB = (pid: number) => {
  const m = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
  return m ? Number(m[1]) / 1024 : Number.NaN;
};

async function ptyFloor(sandboxId: string): Promise<number[]> {
  const config = loadConfig();
  const pty = spawnShell({ ...config.terminal, sandboxId, tab: 'bench', cols: 80, rows: 24 });
  let got = 0;
  pty.onData((d) => (got += d.length));
  await new Promise((r) => setTimeout(r, 1500));
  const samples: number[] = [];
  for (let i = 0; i < KEYSTROKES; i++) {
    const before = got;
    const t0 = performance.now();
    pty.write('x');
    while (got === before) await new Promise<void>((r) => setImmediate(r));
    samples.push(performance.now() - t0);
    if (i % 50 === 49) {
      pty.write('\x15');
      await new Promise((r) => setTimeout(r, 50));
    }
  }
  pty.kill();
  return samples;
}

/** The same stream through node-pty + docker exec -it alone: what any design built on them can reach. */
async function throughputFloor(sandboxId: string): Promise<number> {
  const config = loadConfig();
  const rawBytes = Math.round((THROUGHPUT_MB * 1024 * 1024 * 3) / 4);
  const pty = spawnShell({ ...config.terminal, sandboxId, tab: 'bench', cols: 80, rows: 24 });
  await new Promise((r) => setTimeout(r, 1500));
  let chars = 0;
  let tail = '';
  pty.onData((d) => {
    chars += d.length;
    tail = (tail + d).slice(-100);
  });
  const t0 = performance.now();
  pty.write(`head -c ${rawBytes} /dev/zero | base64; echo FLOOR-$((1+1))-DONE\r`);
  while (!tail.includes('FLOOR-2-DONE')) await new Promise((r) => setTimeout(r, 20));
  const seconds = (performance.now() - t0) / 1000;
  pty.kill();
  return chars / 1024 / 1024 / seconds;
}

async function throughput(server: AppServer, cookie: string): Promise<{ mbps: number; chars: number; seconds: number }> {
  const t = new TermClient(server.url, { lab: LAB, tab: 'sandbox', cookie, fresh: true, keepChars: 64 * 1024 });
  await t.opened;
  await t.waitFor(/# $/m);
  const rawBytes = Math.round((THROUGHPUT_MB * 1024 * 1024 * 3) / 4); // base64 grows by 4/3
  const start = t.received;
  const t0 = performance.now();
  t.type(`head -c ${rawBytes} /dev/zero | base64; echo THROUGHPUT-$((1+1))-DONE\r`);
  while (!t.text.slice(-200).includes('THROUGHPUT-2-DONE')) await new Promise((r) => setTimeout(r, 20));
  const seconds = (performance.now() - t0) / 1000;
  const chars = t.received - start;
  t.close();
  return { mbps: chars / 1024 / 1024 / seconds, chars, seconds };
}

async function slowReader(server: AppServer, cookie: string) {
  const t = new TermClient(server.url, { lab: LAB, tab: 'sandbox', cookie, fresh: true, autoAck: false, keepChars: 64 * 1024 });
  await t.opened;
  await t.waitFor(/# $/m);
  t.ackAll(t.received);
  global.gc?.();
  await new Promise((r) => setTimeout(r, 1000));
  const before = rssMiB(server.pid);
  let peak = before;
  t.type('head -c 2000000000 /dev/zero | base64\r');
  // Reads at about 200 KB/s: acknowledges one ACK_SIZE every 25 ms.
  const acker = setInterval(() => t.ackAll(FLOW.ACK_SIZE), 25);
  const until = Date.now() + SLOW_READ_SECONDS * 1000;
  while (Date.now() < until) {
    peak = Math.max(peak, rssMiB(server.pid));
    await new Promise((r) => setTimeout(r, 250));
  }
  clearInterval(acker);
  const received = t.received;
  t.type('\x03');
  t.close();
  return { before, peak, growth: peak - before, receivedMiB: received / 1024 / 1024 };
}

async function startToPrompt(server: AppServer): Promise<number[]> {
  const browser = await launchBrowser();
  const samples: number[] = [];
  try {
    for (let i = 0; i < START_RUNS; i++) {
      const context = await browser.newContext({ viewport: { width: 1300, height: 850 } });
      const page = await context.newPage();
      await page.goto(`${server.url}/labs/${LAB}`);
      const start = page.getByRole('button', { name: 'Start sandbox' });
      await start.waitFor();
      const t0 = performance.now();
      await start.click();
      await page.locator('[data-testid="terminal-sandbox"] .xterm-rows').getByText(/sandbox:~#/).waitFor({ timeout: 60_000 });
      samples.push(performance.now() - t0);
      await page.getByRole('button', { name: 'Stop sandbox' }).click();
      await page.getByRole('button', { name: 'Start sandbox' }).waitFor({ timeout: 30_000 });
      await context.close();
    }
  } finally {
    await browser.close();
  }
  return samples;
}

async function main() {
  await withAppServer(async (server) => {
    const learner = new Client(server.url);
    await learner.fetch('/');
    const started = await (await learner.fetch(`/api/labs/${LAB}/sandbox`, { method: 'POST' })).json();
    const sandboxId: string = started.sandbox.id;

    const t = new TermClient(server.url, { lab: LAB, tab: 'sandbox', cookie: learner.cookie });
    await t.opened;
    await t.waitFor(/# $/m);
    await echoLatency(t, KEYSTROKES); // warm-up: first keystrokes pay for JIT and caches
    const echo = await echoLatency(t, KEYSTROKES);
    t.close();
    const floor = await ptyFloor(sandboxId);
    console.log(`keystroke echo, ${KEYSTROKES} keystrokes (WebSocket -> server -> pty -> docker exec -> shell -> back):`);
    console.log(`  through the app:      p50 ${ms(percentile(echo, 50))}, p99 ${ms(percentile(echo, 99))}   goal: p50 <= 3 ms, p99 <= 10 ms`);
    console.log(`  node-pty direct:      p50 ${ms(percentile(floor, 50))}, p99 ${ms(percentile(floor, 99))}   (the floor)`);

    const tp = await throughput(server, learner.cookie);
    const tpFloor = await throughputFloor(sandboxId);
    console.log(`output throughput, ${(tp.chars / 1024 / 1024).toFixed(0)} MiB of base64 to a fast client:`);
    console.log(`  through the app:      ${tp.mbps.toFixed(1)} MiB/s (${tp.seconds.toFixed(1)} s)   goal: >= 20 MB/s`);
    console.log(`  node-pty direct:      ${tpFloor.toFixed(1)} MiB/s   (the floor: docker exec -it's pty path)`);

    const slow = await slowReader(server, learner.cookie);
    console.log(
      `slow reader (~200 KB/s for ${SLOW_READ_SECONDS} s while the shell writes as fast as it can): server RSS ${slow.before.toFixed(0)} -> peak ${slow.peak.toFixed(0)} MiB, growth ${slow.growth.toFixed(1)} MiB (client read ${slow.receivedMiB.toFixed(1)} MiB)   goal: < 100 MB`,
    );

    const starts = await startToPrompt(server);
    console.log(`page "Start sandbox" click -> first prompt, ${START_RUNS} runs in Chromium: p50 ${(percentile(starts, 50) / 1000).toFixed(2)} s, max ${(Math.max(...starts) / 1000).toFixed(2)} s`);
  });
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
