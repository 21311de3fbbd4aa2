// The real app server (server.ts) as a child process, for tests and benchmarks: production mode, a free port, its own
// data directory and instance label. Requires a production build (npm test runs one).
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { loadConfig } from '@/lib/config';
import { connectSandboxEngine } from '@/lib/sandbox/engine';

const ROOT = path.resolve(import.meta.dirname, '../..');

export interface AppServer {
  url: string;
  /** The server's own Node process (tsx runs it as a child). */
  pid: number;
  instance: string;
  dataDir: string;
  output: string[];
  stop(): Promise<void>;
  /**
   * Stops and starts again with the same data directory, port and instance. `kill`: with SIGKILL instead of SIGTERM
   * (no shutdown at all: sockets drop, nothing is released), as a crash or the OOM killer would.
   */
  restart(opts?: { kill?: boolean }): Promise<void>;
  /** Removes every sandbox this server's instance label owns. */
  removeSandboxes(): Promise<void>;
}

export function newInstanceName(): string {
  return `t${Math.random().toString(36).slice(2, 10)}`;
}

export async function startAppServer(env: Record<string, string> = {}, instance = newInstanceName()): Promise<AppServer> {
  const dataDir = mkdtempSync(path.join(os.tmpdir(), 'ebpf-labs-test-'));
  const output: string[] = [];
  let child: ChildProcess | undefined;
  let port = 0;
  let pid = 0;

  const launch = () =>
    new Promise<void>((resolve, reject) => {
      child = spawn(path.join(ROOT, 'node_modules/.bin/tsx'), ['server.ts'], {
        cwd: ROOT,
        env: {
          ...process.env,
          NODE_ENV: 'production',
          NEXT_TELEMETRY_DISABLED: '1',
          HOST: '127.0.0.1',
          PORT: String(port),
          DATA_DIR: dataDir,
          EBPF_LABS_INSTANCE: instance,
          ...env,
        },
        stdio: ['ignore', 'pipe', 'pipe'],
      });
      const timer = setTimeout(() => reject(new Error(`server did not start:\n${output.join('')}`)), 60_000);
      const onData = (b: Buffer) => {
        output.push(b.toString());
        const m = /eBPF Labs at http:\/\/[^:]+:(\d+) \(\w+, pid (\d+)\)/.exec(output.join(''));
        if (m && !port) port = Number(m[1]);
        if (m) {
          pid = Number(m[2]);
          clearTimeout(timer);
          resolve();
        }
      };
      child.stdout!.on('data', onData);
      child.stderr!.on('data', (b: Buffer) => output.push(b.toString()));
      child.once('exit', (code) => {
        clearTimeout(timer);
        reject(new Error(`server exited ${code}:\n${output.join('')}`));
      });
    });

  const stop = async (opts: { kill?: boolean } = {}) => {
    const c = child;
    if (!c || c.exitCode !== null || c.signalCode !== null) return;
    const exited = new Promise((r) => c.once('exit', r));
    // The server is tsx's child: SIGKILL goes to it (tsx exits with it); SIGTERM to tsx, which passes it on.
    if (opts.kill) process.kill(pid, 'SIGKILL');
    else c.kill('SIGTERM');
    const killer = setTimeout(() => c.kill('SIGKILL'), 10_000);
    await exited;
    clearTimeout(killer);
  };

  await launch();
  return {
    get url() {
      return `http://127.0.0.1:${port}`;
    },
    get pid() {
      return pid;
    },
    instance,
    dataDir,
    output,
    stop: () => stop(),
    async restart(opts = {}) {
      await stop(opts);
      output.length = 0;
      await launch();
    },
    async removeSandboxes() {
      const { driver } = await connectSandboxEngine(loadConfig({ ...process.env, EBPF_LABS_INSTANCE: instance }));
      for (const s of await driver.list()) await driver.destroy(s.id);
    },
  };
}

/** A minimal cookie-keeping client that behaves like the app's own pages (same Origin). */
/** A browser stand-in: keeps every cookie the server sets (the learner's and the instructor's), by name. */
export class Client {
  private readonly jar = new Map<string, string>();
  constructor(readonly base: string) {}
  /** The Cookie header this client sends. */
  get cookie(): string {
    return [...this.jar].map(([name, value]) => `${name}=${value}`).join('; ');
  }
  async fetch(pathname: string, init: RequestInit = {}): Promise<Response> {
    const headers = new Headers(init.headers);
    if (this.jar.size) headers.set('cookie', this.cookie);
    if (init.method && init.method !== 'GET' && !headers.has('origin')) headers.set('origin', this.base);
    const res = await fetch(this.base + pathname, { ...init, headers, redirect: 'manual' });
    for (const set of res.headers.getSetCookie()) {
      const [pair = ''] = set.split(';');
      const eq = pair.indexOf('=');
      if (eq <= 0) continue;
      const name = pair.slice(0, eq).trim();
      const value = pair.slice(eq + 1).trim();
      if (/max-age=0/i.test(set) || value === '') this.jar.delete(name);
      else this.jar.set(name, value);
    }
    return res;
  }
}

/** Runs `fn` against a fresh app server, then stops it and removes every sandbox it made (benchmarks). */
export async function withAppServer<T>(fn: (server: AppServer) => Promise<T>, env: Record<string, string> = {}): Promise<T> {
  const server = await startAppServer(env);
  try {
    return await fn(server);
  } finally {
    await server.stop();
    await server.removeSandboxes();
  }
}
