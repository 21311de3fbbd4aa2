// One server per data directory, and one per instance label on an engine. Two servers on one DATA_DIR would share
// a SQLite file and a secret while each believes it owns every sandbox; two with one EBPF_LABS_INSTANCE on an engine
// adopt, count and remove each other's sandboxes. Both locks name their holder, so the refusal says what to do.
import { readFileSync, unlinkSync, writeFileSync, mkdirSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Duplex } from 'node:stream';
import type Docker from 'dockerode';
import { AppError } from '../errors';
import type { Logger } from '../log';

export const LOCK_FILE = 'server.lock';
/** A server killed a moment ago leaves its engine lock for as long as the engine takes to notice: wait that long. */
const ENGINE_LOCK_WAIT_MS = 10_000;

interface Holder {
  pid: number;
  host: string;
  startedAt: string;
  /** The process's start time in clock ticks since boot (/proc/<pid>/stat field 22): tells a reused pid apart. */
  procStart?: string;
}

export class InstanceLockError extends AppError {
  constructor(message: string, hint: string) {
    super('instance_in_use', message, { status: 503, hint });
    this.name = 'AppError';
  }
}

function procStart(pid: number): string | undefined {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return stat.slice(stat.lastIndexOf(')') + 2).split(' ')[19];
  } catch {
    return undefined;
  }
}

function alive(holder: Holder): boolean {
  if (holder.host !== os.hostname()) return true; // cannot tell from here: assume it runs
  try {
    process.kill(holder.pid, 0);
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
  return !holder.procStart || procStart(holder.pid) === holder.procStart;
}

const describe = (h: Holder) => `pid ${h.pid} on ${h.host}, started ${h.startedAt}`;

/** Takes DATA_DIR/server.lock, or throws InstanceLockError naming the server that holds it. Returns the release. */
export function lockDataDir(dataDir: string, log: Logger): () => void {
  mkdirSync(dataDir, { recursive: true });
  const file = path.join(dataDir, LOCK_FILE);
  const me: Holder = { pid: process.pid, host: os.hostname(), startedAt: new Date().toISOString(), procStart: procStart(process.pid) };
  for (let attempt = 0; attempt < 2; attempt++) {
    try {
      writeFileSync(file, `${JSON.stringify(me)}\n`, { flag: 'wx', mode: 0o644 });
      return () => {
        try {
          if ((JSON.parse(readFileSync(file, 'utf8')) as Holder).pid === me.pid) unlinkSync(file);
        } catch {
          // already gone
        }
      };
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
    }
    let holder: Holder | undefined;
    try {
      holder = JSON.parse(readFileSync(file, 'utf8')) as Holder;
    } catch {
      holder = undefined; // half-written or garbage: nobody can be holding it meaningfully
    }
    if (holder && alive(holder)) {
      throw new InstanceLockError(
        `Another eBPF Labs server (${describe(holder)}) uses the data directory ${dataDir}.`,
        `Stop that server first, or give this one its own DATA_DIR (and EBPF_LABS_INSTANCE). If that server is gone, remove ${file}.`,
      );
    }
    log.warn(`taking over a stale lock ${file}${holder ? ` (${describe(holder)})` : ''}`);
    unlinkSync(file);
  }
  throw new InstanceLockError(`Could not lock the data directory ${dataDir}.`, 'Another server may be starting at the same time: try again.');
}

const lockName = (instance: string) => `ebpf-labs-lock-${instance}`;

/**
 * Takes the engine lock for `instance`: a container named after it, which lives exactly as long as this process's
 * connection to the engine (its `cat` reads a stdin that the engine closes when this process goes away, and the
 * engine removes it then). Throws InstanceLockError naming the holder. Returns the release.
 */
export async function lockEngineInstance(docker: Docker, instance: string, image: string, log: Logger): Promise<() => void> {
  const name = lockName(instance);
  const me: Holder = { pid: process.pid, host: os.hostname(), startedAt: new Date().toISOString() };
  const until = Date.now() + ENGINE_LOCK_WAIT_MS;
  for (;;) {
    try {
      const container = await docker.createContainer({
        name,
        Image: image,
        Cmd: ['cat'],
        OpenStdin: true,
        StdinOnce: true,
        Labels: { 'io.ebpf-labs.lock': instance, 'io.ebpf-labs.lock-holder': JSON.stringify(me) },
        HostConfig: { AutoRemove: true, NetworkMode: 'none', Memory: 16 * 1024 * 1024 },
      });
      const stream = (await container.attach({ stream: true, stdin: true, hijack: true })) as Duplex;
      stream.on('error', () => undefined);
      await container.start();
      log.info(`holding the engine lock ${name}`);
      return () => stream.destroy();
    } catch (err) {
      if ((err as { statusCode?: number }).statusCode !== 409) throw err;
    }
    const existing = await docker
      .getContainer(name)
      .inspect()
      .catch(() => undefined);
    if (existing && !existing.State.Running) {
      await docker.getContainer(name).remove({ force: true }).catch(() => undefined);
      continue;
    }
    if (existing && Date.now() > until) {
      let holder: Holder | undefined;
      try {
        holder = JSON.parse(existing.Config.Labels?.['io.ebpf-labs.lock-holder'] ?? '') as Holder;
      } catch {
        holder = undefined;
      }
      throw new InstanceLockError(
        `Another eBPF Labs server${holder ? ` (${describe(holder)})` : ''} runs with EBPF_LABS_INSTANCE=${instance} on this Docker engine.`,
        `Stop that server first, or give this one another EBPF_LABS_INSTANCE. If that server is gone, remove the container: docker rm -f ${name}`,
      );
    }
    await new Promise((r) => setTimeout(r, 250));
  }
}
