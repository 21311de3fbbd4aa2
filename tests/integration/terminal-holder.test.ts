// Shells that outlive the server: each terminal tab's shell belongs to a holder in the sandbox (lab-session), so a
// server killed with SIGKILL, a "New shell" or a killed docker exec never loses a shell or leaves one behind.
// A real server, a real sandbox, real docker exec clients.
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '@/lib/config';
import { CLOSE } from '@/lib/terminal/protocol';
import { scanHeader } from '@/lib/terminal/session-records';
import { Client, startAppServer, type AppServer } from '@/scripts/harness/app-server';
import { TermClient } from '@/scripts/harness/terminal-client';

const run = promisify(execFile);
const DOCKER = loadConfig().terminal.dockerCli;
const LAB = 'sandbox-tour';
const TAB = 'sandbox';
const LAB_SESSION = '/opt/ebpf-labs/bin/lab-session';
let server: AppServer;
let learner: Client;
let sandboxId: string;

beforeAll(async () => {
  server = await startAppServer();
  learner = new Client(server.url);
  await learner.fetch('/');
  const started = await learner.fetch(`/api/labs/${LAB}/sandbox`, { method: 'POST' });
  expect(started.status).toBe(200);
  sandboxId = ((await started.json()) as { sandbox: { id: string } }).sandbox.id;
});
afterAll(async () => {
  await server?.stop();
  await server?.removeSandboxes();
});

const open = async (extra: Partial<ConstructorParameters<typeof TermClient>[1]> = {}) => {
  const t = new TermClient(server.url, { lab: LAB, tab: TAB, cookie: learner.cookie, ...extra });
  await t.opened;
  return t;
};

const inSandbox = async (script: string) => (await run(DOCKER, ['exec', sandboxId, 'bash', '-c', script])).stdout;

/**
 * The tab's login shells: bash processes with the tab's LAB_TAB whose parent is not a bash (subshells and
 * background jobs of a shell are bash processes too; a login shell's parent is its holder, or docker's shim).
 */
async function tabShells(tab = TAB): Promise<number[]> {
  const out = await inSandbox(`
    for d in /proc/[0-9]*; do
      [ "$(cat $d/comm 2>/dev/null)" = bash ] || continue
      tr '\\0' '\\n' < $d/environ 2>/dev/null | grep -qx "LAB_TAB=${tab}" || continue
      ppid=$(awk '{print $4}' $d/stat 2>/dev/null)
      [ "$(cat /proc/$ppid/comm 2>/dev/null)" = bash ] && continue
      echo \${d#/proc/}
    done`);
  return out.split('\n').filter(Boolean).map(Number).sort((a, b) => a - b);
}

/** Waits until the tab has `count` login shells (a shell being killed takes a moment to go). */
async function shellsSettle(count: number, timeoutMs = 10_000): Promise<number[]> {
  const until = Date.now() + timeoutMs;
  for (;;) {
    const shells = await tabShells();
    if (shells.length === count || Date.now() > until) return shells;
    await new Promise((r) => setTimeout(r, 200));
  }
}

async function shellPid(t: TermClient, tag: string, timeoutMs?: number): Promise<number> {
  t.type(`echo ${tag}=$$\r`);
  const [, pid] = await t.waitFor(new RegExp(`^${tag}=(\\d+)\\r?$`, 'm'), timeoutMs);
  return Number(pid);
}

describe('a terminal after the server was killed (SIGKILL) and started again', () => {
  it('is the same shell: same $$, its variables, its screen, and what it printed meanwhile', async () => {
    const t = await open({ fresh: true });
    await t.waitFor(/# $/m);
    const pid = await shellPid(t, 'BEFORE');
    t.type('export KEPT=kept-$((6*7)); (sleep 1; echo WHILE-DOWN-$((5*5))) &\r');
    await t.waitFor(/^\[1\] \d+/m);
    const { session, offset } = t;

    const killedAt = Date.now();
    process.kill(server.pid, 'SIGKILL');
    expect((await t.waitClosed()).code).toBe(CLOSE.ABNORMAL);
    await server.restart();
    expect(Date.now() - killedAt).toBeGreaterThan(1500); // the background job printed while no server ran

    // The page reconnects by itself with the session it knew: the new server has a new one, so a full replay.
    const back = await open({ session, resume: offset });
    await back.waitFor(/WHILE-DOWN-25/);
    expect(back.controls[0]).toMatchObject({ type: 'hello', resumed: false, offset: 0 });
    expect(back.controls[0]).not.toMatchObject({ session });
    expect(back.plain).toContain(`BEFORE=${pid}`); // the earlier output is on the screen again
    back.type('echo "AFTER=$$ $KEPT"\r');
    await back.waitFor(new RegExp(`AFTER=${pid} kept-42`));
    expect(back.text).not.toContain('\x1b]6973'); // markers and the holder's records never reach the browser
    expect(await tabShells()).toEqual([pid]);
    back.close();
  });
});

describe('a new shell ("New shell", fresh=1)', () => {
  it('ends the old one: exactly one shell for the tab', async () => {
    const t = await open();
    await t.waitFor(/# $/m);
    const before = await shellPid(t, 'OLD');
    const fresh = await open({ fresh: true });
    await fresh.waitFor(/# $/m);
    const after = await shellPid(fresh, 'NEW');
    expect(after).not.toBe(before);
    expect(await shellsSettle(1)).toEqual([after]);
    fresh.close();
  });
});

describe('a killed client', () => {
  it('(WebSocket dropped, docker exec killed) leaves no second shell: the tab comes back to its shell', async () => {
    const t = await open({ fresh: true });
    await t.waitFor(/# $/m);
    const pid = await shellPid(t, 'MINE');
    const { session, offset } = t;
    t.ws.terminate();
    const { stdout } = await run('pgrep', ['-f', `docker exec -it .*${sandboxId}`]);
    const clients = stdout.split('\n').filter(Boolean).map(Number);
    expect(clients.length).toBeGreaterThan(0);
    for (const p of clients) process.kill(p, 'SIGKILL');

    const back = await open({ session, resume: offset });
    // Keystrokes sent in the instant the dead link was not yet known dead are lost with it (as they were before):
    // ask again until the answer comes.
    let again: number | undefined;
    for (let attempt = 0; attempt < 5 && !again; attempt++) again = await shellPid(back, 'AGAIN', 3000).catch(() => undefined);
    if (!again) throw new Error(`no answer from the shell; the server said:\n${server.output.join('').slice(-2000)}`);
    expect(again).toBe(pid);
    expect(back.controls[0]).toMatchObject({ type: 'hello', session, resumed: true });
    expect(await shellsSettle(1)).toEqual([pid]);
    back.close();
  });
});

describe('the session holder', () => {
  it('survives garbage on its socket and serves its shell afterwards', async () => {
    // A holder of its own whose shell ignores what the garbage types (Ctrl+C, Ctrl+Z, Ctrl+\).
    await inSandbox(
      `timeout 1 ${LAB_SESSION} attach fuzz -- bash -c 'trap "" INT QUIT TSTP; echo FUZZ-READY; exec sleep 1000' </dev/null >/dev/null; true`,
    );
    const list = async () => (await inSandbox(`${LAB_SESSION} list`)).split('\n').filter((l) => l.startsWith('fuzz '));
    const attach = () => inSandbox(`timeout 2 ${LAB_SESSION} attach fuzz 0 -- true </dev/null; true`);
    const [before] = await list();
    expect(before).toMatch(/^fuzz \d+ alive [0-9a-f]{16}$/);
    const fuzz = String.raw`
      use strict; use Socket;
      srand(42);
      my $rnd = sub { join '', map { chr(int(rand(256))) } 1 .. shift };
      my @silent;
      for my $i (1 .. 400) {
        socket(my $s, PF_UNIX, SOCK_SEQPACKET, 0) or die "socket: $!";
        connect($s, pack_sockaddr_un('/run/ebpf-labs/sessions/fuzz.sock')) or die "connect $i: $!";
        my $kind = $i % 7;
        if ($kind == 0) { send($s, $rnd->(1 + int(rand(70000))), 0) }                     # anything, up to 70 kB
        elsif ($kind == 1) { send($s, chr(int(rand(256))) . $rnd->(int(rand(40))), 0) }   # any type, any short size
        elsif ($kind == 2) {                                                                # attach, then garbage
          send($s, pack('CCvvVV', 1, 1, int(rand(65536)), int(rand(65536)), int(rand(2**32)), int(rand(2**32))) . ('0' x 16), 0);
          send($s, $rnd->(1 + int(rand(5000))), 0) for 1 .. 5;
        }
        elsif ($kind == 3) { send($s, chr(3) . pack('vv', int(rand(65536)), int(rand(65536))), 0) }  # resize, any size
        elsif ($kind == 4) { send($s, chr(2) . $rnd->(5000), 0) }                        # keystrokes over the limit
        elsif ($kind == 5) { send($s, chr(5) . $rnd->(16), 0) }                          # kill, with a wrong id
        elsif ($i % 2) { push @silent, $s; next }                                      # says nothing, stays open
        close($s);
      }
      print "sent\n";`;
    const { stdout } = await promisify(execFile)(DOCKER, ['exec', sandboxId, 'perl', '-e', fuzz]);
    expect(stdout).toBe('sent\n');
    expect(await list()).toEqual([before]); // the same holder and shell, alive
    const output = await attach();
    expect(output).toContain('FUZZ-READY'); // it still serves its shell's output, from the start
    const scan = scanHeader(Buffer.from(output));
    if (scan.state !== 'header') throw new Error(`no session header in ${JSON.stringify(output.slice(0, 100))}`);
    const rssKiB = Number(/VmRSS:\s+(\d+)/.exec(await inSandbox(`cat /proc/${scan.header.holderPid}/status`))?.[1]);
    expect(rssKiB).toBeLessThan(8 * 1024); // its ring (1 MiB) and buffers; nothing grew with the garbage
    await inSandbox(`${LAB_SESSION} kill fuzz`);
    expect(await list()).toEqual([]);
  });
});
