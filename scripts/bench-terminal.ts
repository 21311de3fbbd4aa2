// npm run bench:terminal: the terminal chain, measured against a real server and sandbox.
//   1. keystroke echo round trip: WebSocket client -> server -> pty -> docker exec -> shell -> back (p50, p99),
//      next to node-pty running docker exec directly (the floor);
//   2. output throughput to a client that reads as fast as it can (200 MB of base64);
//   3. server memory growth while a client reads slowly;
//   4. page "Start sandbox" to the first prompt, in Chromium;
//   5. the screen mirrors that restore terminals after a reload: memory per mirror (just opened, and with its
//      scrollback full), parsing speed, the time to serialize a full screen, and a restore through the app.
// `-- --only=echo,throughput,slow,start,mirror` runs some of them.
import { readFileSync } from 'node:fs';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { loadConfig } from '../lib/config';
import { percentile } from '../lib/stats';
import { spawnShell } from '../lib/terminal/pty';
import { FLOW } from '../lib/terminal/protocol';
import { ScreenMirror } from '../lib/terminal/screen-mirror';
import { scrollbackFor } from '../lib/terminal/scrollback';
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
/** CPU seconds the process has used (all its threads: the main loop and any worker). */
const cpuSeconds = (pid: number) => {
  // Fields after the command name (which may hold spaces): state is the 3rd field, utime the 14th, stime the 15th.
  const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').replace(/^.*\) /, '').split(' ');
  return (Number(fields[11]) + Number(fields[12])) / CLOCK_TICKS;
};
/** USER_HZ: 100 on every Linux this runs on. */
const CLOCK_TICKS = 100;
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

async function throughput(server: AppServer, cookie: string): Promise<{ mbps: number; chars: number; seconds: number; cpu: number }> {
  const t = new TermClient(server.url, { lab: LAB, tab: 'sandbox', cookie, fresh: true, keepChars: 64 * 1024 });
  await t.opened;
  await t.waitFor(/# $/m);
  const rawBytes = Math.round((THROUGHPUT_MB * 1024 * 1024 * 3) / 4); // base64 grows by 4/3
  const start = t.received;
  const t0 = performance.now();
  const cpu0 = cpuSeconds(server.pid);
  t.type(`head -c ${rawBytes} /dev/zero | base64; echo THROUGHPUT-$((1+1))-DONE\r`);
  while (!t.text.slice(-200).includes('THROUGHPUT-2-DONE')) await new Promise((r) => setTimeout(r, 20));
  const seconds = (performance.now() - t0) / 1000;
  const cpu = cpuSeconds(server.pid) - cpu0;
  const chars = t.received - start;
  t.close();
  return { mbps: chars / 1024 / 1024 / seconds, chars, seconds, cpu };
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

/** Mirrors measured at once: enough that one mirror's share stands out of the heap's noise. */
const MIRRORS = 20;
/** Output parsed to time a mirror's parsing (MiB). */
const PARSE_MIB = 16;

/**
 * Full garbage collections until the heap settles (the flag is set at run time: tsx starts Node without it); typed
 * arrays are released a turn after the collection that found them unreachable.
 */
async function collect(): Promise<void> {
  setFlagsFromString('--expose-gc');
  const gc = runInNewContext('gc') as () => void;
  for (let i = 0; i < 3; i++) {
    gc();
    await new Promise((r) => setTimeout(r, 50));
  }
}

/** What the mirrors' terminals hold: JavaScript heap plus the typed arrays of their buffers. */
function heapMiB(): number {
  const m = process.memoryUsage();
  return (m.heapUsed + m.external) / 1024 / 1024;
}

/** Lines as a shell prints them: a coloured prompt, a command, and output as wide as the terminal. */
function sampleOutput(lines: number, cols: number): string {
  const out: string[] = [];
  for (let i = 0; i < lines; i++) {
    const text = `line ${i} ${'abcdefghij'.repeat(Math.ceil(cols / 10))}`.slice(0, cols - 1);
    out.push(i % 10 === 0 ? `\x1b[1;32mclient\x1b[0m:\x1b[1;34m~\x1b[0m# echo ${i}` : text);
  }
  return out.join('\r\n');
}

/** Memory per mirror and what a restore costs to make, in this process (the server runs them in a worker). */
async function mirrorCost(cols: number, rows: number) {
  await collect();
  const base = heapMiB();
  const mirrors = Array.from({ length: MIRRORS }, () => new ScreenMirror(cols, rows));
  await Promise.all(mirrors.map((m) => m.lines()));
  await collect();
  const empty = (heapMiB() - base) / MIRRORS;
  const fill = sampleOutput(scrollbackFor(cols) + rows, cols);
  for (const m of mirrors) m.write(fill);
  await Promise.all(mirrors.map((m) => m.snapshot()));
  await collect();
  const full = (heapMiB() - base) / MIRRORS;
  // A fresh snapshot (the cached one is reused only while nothing changed).
  mirrors[0]!.write('\r\n');
  const t0 = performance.now();
  const snap = await mirrors[0]!.snapshot();
  const serializeMs = performance.now() - t0;
  for (const m of mirrors) m.dispose();
  return { empty, full, lines: scrollbackFor(cols) + rows, serializeMs, restoreChars: snap.screen.length };
}

/** Parsing speed of one mirror, MiB of output a second. */
async function mirrorParse(): Promise<number> {
  const m = new ScreenMirror(80, 24);
  const chunk = sampleOutput(2000, 80);
  const chunks = Math.ceil((PARSE_MIB * 1024 * 1024) / chunk.length);
  const t0 = performance.now();
  for (let i = 0; i < chunks; i++) m.write(chunk);
  await m.lines();
  const seconds = (performance.now() - t0) / 1000;
  m.dispose();
  return (chunks * chunk.length) / 1024 / 1024 / seconds;
}

/** A page's fresh terminal through the app: connect -> the whole screen restore received, with a full scrollback. */
async function restoreThroughApp(server: AppServer, cookie: string): Promise<{ ms: number[]; chars: number }> {
  const t = new TermClient(server.url, { lab: LAB, tab: 'sandbox', cookie, fresh: true, keepChars: 64 * 1024 });
  await t.opened;
  await t.waitFor(/# $/m);
  t.type(`clear; seq -f 'line %060g' 1 ${scrollbackFor(80) + 100}; echo FILLED-$((1+1))\r`);
  await t.waitFor(/FILLED-2/, 60_000);
  t.close();
  const ms: number[] = [];
  let chars = 0;
  for (let i = 0; i < 5; i++) {
    const t0 = performance.now();
    const page = new TermClient(server.url, { lab: LAB, tab: 'sandbox', cookie, screen: true, keepChars: 64 * 1024 });
    await page.opened;
    for (;;) {
      const hello = page.controls.find((c) => c.type === 'hello');
      if (hello && page.restoring === 0) {
        if (hello.type === 'hello') chars = hello.screen?.chars ?? 0;
        break;
      }
      await new Promise((r) => setTimeout(r, 2));
    }
    ms.push(performance.now() - t0);
    page.close();
  }
  return { ms, chars };
}

const SECTIONS = ['echo', 'throughput', 'slow', 'start', 'mirror'] as const;
type Section = (typeof SECTIONS)[number];

function sections(argv: string[]): Set<Section> {
  const only = argv.find((a) => a.startsWith('--only='))?.slice('--only='.length);
  if (!only) return new Set(SECTIONS);
  const asked = only.split(',');
  const unknown = asked.filter((s) => !(SECTIONS as readonly string[]).includes(s));
  if (unknown.length) throw new Error(`unknown section ${unknown.join(', ')}: choose from ${SECTIONS.join(', ')}`);
  return new Set(asked as Section[]);
}

async function main() {
  const run = sections(process.argv.slice(2));
  await withAppServer(async (server) => {
    const learner = new Client(server.url);
    await learner.fetch('/');
    const started = await (await learner.fetch(`/api/labs/${LAB}/sandbox`, { method: 'POST' })).json();
    const sandboxId: string = started.sandbox.id;

    if (run.has('echo')) {
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
    }

    if (run.has('throughput')) {
      const tp = await throughput(server, learner.cookie);
      const tpFloor = await throughputFloor(sandboxId);
      console.log(`output throughput, ${(tp.chars / 1024 / 1024).toFixed(0)} MiB of base64 to a fast client:`);
      console.log(`  through the app:      ${tp.mbps.toFixed(1)} MiB/s (${tp.seconds.toFixed(1)} s)   goal: >= 20 MB/s`);
      console.log(
        `  server CPU:           ${((100 * tp.cpu) / tp.seconds).toFixed(0)}% of one core, ${((1000 * tp.cpu) / (tp.chars / 1024 / 1024)).toFixed(1)} ms per MiB`,
      );
      console.log(`  node-pty direct:      ${tpFloor.toFixed(1)} MiB/s   (the floor: docker exec -it's pty path)`);
    }

    if (run.has('slow')) {
      const slow = await slowReader(server, learner.cookie);
      console.log(
        `slow reader (~200 KB/s for ${SLOW_READ_SECONDS} s while the shell writes as fast as it can): server RSS ${slow.before.toFixed(0)} -> peak ${slow.peak.toFixed(0)} MiB, growth ${slow.growth.toFixed(1)} MiB (client read ${slow.receivedMiB.toFixed(1)} MiB)   goal: < 100 MB`,
      );
    }

    if (run.has('mirror')) {
      console.log(`screen mirrors (headless xterm per terminal, in this process; the server runs them in one worker):`);
      for (const [cols, rows] of [
        [80, 24],
        [160, 50],
      ] as const) {
        const c = await mirrorCost(cols, rows);
        console.log(
          `  ${cols}x${rows}: ${c.empty.toFixed(2)} MiB just opened, ${c.full.toFixed(2)} MiB with a full scrollback (${c.lines} lines); serializing it ${c.serializeMs.toFixed(0)} ms, ${(c.restoreChars / 1024).toFixed(0)} Ki chars`,
        );
      }
      console.log(`  parsing: ${(await mirrorParse()).toFixed(1)} MiB/s of shell output on one core`);
      const r = await restoreThroughApp(server, learner.cookie);
      console.log(
        `  restore through the app (connect -> whole screen received, full scrollback at 80x24, ${(r.chars / 1024).toFixed(0)} Ki chars): first ${ms(r.ms[0]!)} (serialized), then p50 ${ms(percentile(r.ms.slice(1), 50))} (unchanged screen)`,
      );
    }

    if (run.has('start')) {
      const starts = await startToPrompt(server);
      console.log(`page "Start sandbox" click -> first prompt, ${START_RUNS} runs in Chromium: p50 ${(percentile(starts, 50) / 1000).toFixed(2)} s, max ${(Math.max(...starts) / 1000).toFixed(2)} s`);
    }
  });
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
