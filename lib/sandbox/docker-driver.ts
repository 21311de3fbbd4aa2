// The sandbox driver on a Docker engine (dockerode). No environment reads here: everything comes in options.
import { randomBytes } from 'node:crypto';
import path from 'node:path';
import { createInterface } from 'node:readline';
import { PassThrough, type Duplex, type Readable } from 'node:stream';
import type Docker from 'dockerode';
import { AppError, SandboxNotFoundError, SandboxPreflightError } from '../errors';
import { silentLogger, type Logger } from '../log';
import { packFiles, readSingleFile } from './archive';
import { parsePreflight } from './preflight';
import {
  LABEL,
  type DestroyReport,
  type ExecOptions,
  type ExecResult,
  type FileEntry,
  type LineStream,
  type LineStreamHandlers,
  type Sandbox,
  type SandboxDriver,
  type SandboxFilter,
  type SandboxInfo,
  type SandboxLimits,
  type SandboxSpec,
} from './types';

/** Capabilities a sandbox needs instead of --privileged: BPF (via SYS_ADMIN on old engines), netns, tc, ptrace. */
export const SANDBOX_CAPABILITIES = ['SYS_ADMIN', 'NET_ADMIN', 'SYS_PTRACE'];
/** Captured exec output is capped so a runaway command cannot exhaust the server's memory. */
export const EXEC_OUTPUT_LIMIT = 16 * 1024 * 1024;
/** Extra time past the in-sandbox `timeout` before the server gives up on the stream itself. */
const EXEC_TIMEOUT_GRACE_MS = 3000;
/** `timeout --kill-after`: a command that ignores SIGTERM gets SIGKILL this much later. */
const KILL_AFTER_S = 1;
/** sandbox-prepare mounts bpffs, makes the cgroup and loads the preflight program: about 0.1 s; 20 s means stuck. */
const PREPARE_TIMEOUT_MS = 20_000;
/** A streaming command gets this long after its stdin closes before the server drops the connection. */
const STREAM_STOP_GRACE_MS = 2000;
/** A streaming command's stderr is kept for the log when it dies: a few lines, capped in case it floods. */
const STREAM_STDERR_LIMIT = 64 * 1024;
/** sandbox-cleanup detaches programs and removes cgroups and pins: well under a second unless the sandbox is wedged. */
const CLEANUP_TIMEOUT_MS = 20_000;

export interface DockerDriverOptions {
  docker: Docker;
  image: string;
  instance: string;
  limits: SandboxLimits;
  privileged: boolean;
  cgroupMode: 'v1' | 'v2';
  log?: Logger;
}

export function newSandboxId(): string {
  return `ebpf-labs-${randomBytes(6).toString('hex')}`;
}

/** Builds the container create options; pure, so unit tests can check the security settings. */
export function containerSpec(opts: DockerDriverOptions, id: string, spec: SandboxSpec, now = new Date()) {
  const limits = { ...opts.limits, ...spec.limits };
  return {
    name: id,
    Image: opts.image,
    Hostname: 'sandbox',
    Cmd: ['sleep', 'infinity'],
    Env: ['LANG=C.UTF-8', 'TERM=xterm-256color'],
    WorkingDir: '/root',
    Labels: {
      [LABEL.sandbox]: '1',
      [LABEL.instance]: opts.instance,
      [LABEL.owner]: spec.owner,
      [LABEL.lab]: spec.lab,
      [LABEL.purpose]: spec.purpose ?? 'learner',
      [LABEL.createdAt]: now.toISOString(),
    },
    HostConfig: {
      NetworkMode: 'none',
      // tini as PID 1: reaps the zombies of killed commands.
      Init: true,
      Privileged: opts.privileged,
      CapAdd: opts.privileged ? [] : SANDBOX_CAPABILITIES,
      SecurityOpt: opts.privileged ? [] : ['seccomp=unconfined', 'apparmor=unconfined'],
      // On cgroup v2 the container gets its own cgroup namespace, so its /sys/fs/cgroup is its own cgroup.
      ...(opts.cgroupMode === 'v2' ? { CgroupnsMode: 'private' } : {}),
      Memory: limits.memoryBytes,
      MemorySwap: limits.memoryBytes,
      PidsLimit: limits.pids,
      NanoCpus: Math.round(limits.cpus * 1e9),
      LogConfig: { Type: 'json-file', Config: { 'max-size': '1m', 'max-file': '1' } },
    },
  };
}

/** Wraps argv so that the command and its whole process group die when the timeout expires. */
export function withTimeout(argv: string[], timeoutMs?: number): string[] {
  if (!timeoutMs) return argv;
  return ['timeout', `--kill-after=${KILL_AFTER_S}`, `${(timeoutMs / 1000).toFixed(3)}s`, ...argv];
}

/** Exit codes of coreutils `timeout`: 124 when the command was stopped by SIGTERM, 137 by SIGKILL. */
export function isTimeoutExit(exitCode: number, durationMs: number, timeoutMs?: number): boolean {
  return !!timeoutMs && (exitCode === 124 || exitCode === 137) && durationMs >= timeoutMs;
}

class CappedBuffer extends PassThrough {
  private chunks: Buffer[] = [];
  private size = 0;
  truncated = false;
  constructor(private readonly limit: number) {
    super();
    this.on('data', (chunk: Buffer) => {
      if (this.size >= this.limit) {
        this.truncated = true;
        return;
      }
      const room = this.limit - this.size;
      const kept = chunk.length > room ? chunk.subarray(0, room) : chunk;
      this.truncated ||= kept.length < chunk.length;
      this.chunks.push(kept);
      this.size += kept.length;
    });
  }
  text(): string {
    const s = Buffer.concat(this.chunks).toString('utf8');
    return this.truncated ? `${s}\n[output truncated at ${this.limit} bytes]` : s;
  }
}

function isNotFound(err: unknown): boolean {
  return (err as { statusCode?: number })?.statusCode === 404;
}

export class DockerSandboxDriver implements SandboxDriver {
  private readonly log: Logger;

  constructor(private readonly opts: DockerDriverOptions) {
    this.log = opts.log ?? silentLogger;
  }

  async create(spec: SandboxSpec): Promise<Sandbox> {
    const id = newSandboxId();
    const container = await this.opts.docker.createContainer(containerSpec(this.opts, id, spec)).catch((err) => {
      if (isNotFound(err)) {
        throw new AppError('image_missing', `The sandbox image ${this.opts.image} is not built.`, {
          status: 503,
          hint: 'Run "npm run build:image" (or "npm start", which builds it), then try again.',
          cause: err,
        });
      }
      throw err;
    });
    try {
      await container.start();
      const prep = await this.exec(id, ['/opt/ebpf-labs/bin/sandbox-prepare', id, this.opts.cgroupMode], {
        timeoutMs: PREPARE_TIMEOUT_MS,
      });
      const preflight = parsePreflight(prep);
      if (!preflight.ok) throw new SandboxPreflightError(preflight.missing);
      const info = await this.inspect(id);
      if (!info) throw new SandboxNotFoundError(id);
      this.log.info(`created ${id}`, { owner: spec.owner, lab: spec.lab, cgroup: preflight.cgroup });
      return { ...info, preflight };
    } catch (err) {
      // Nothing may outlive a sandbox that failed to start.
      await this.destroy(id).catch((e) => this.log.warn(`cleanup of failed sandbox ${id} failed`, e));
      throw err;
    }
  }

  /** Creates an exec in the sandbox; a missing or stopped sandbox becomes an error that says what to do. */
  private async createExec(id: string, config: Docker.ExecCreateOptions): Promise<Docker.Exec> {
    return this.opts.docker
      .getContainer(id)
      .exec(config)
      .catch((err) => {
        if (isNotFound(err)) throw new SandboxNotFoundError(id);
        if ((err as { statusCode?: number }).statusCode === 409) {
          throw new AppError('sandbox_stopped', `Sandbox ${id} is not running.`, {
            status: 409,
            hint: 'Restart the lab to get a fresh sandbox.',
            cause: err,
          });
        }
        throw err;
      });
  }

  async exec(id: string, argv: string[], options: ExecOptions = {}): Promise<ExecResult> {
    const started = Date.now();
    const hasStdin = options.stdin !== undefined;
    const exec = await this.createExec(id, {
      Cmd: withTimeout(argv, options.timeoutMs),
      AttachStdin: hasStdin,
      AttachStdout: true,
      AttachStderr: true,
      Tty: false,
      Env: options.env ? Object.entries(options.env).map(([k, v]) => `${k}=${v}`) : undefined,
      WorkingDir: options.workdir,
      User: options.user,
    });
    const stream = (await exec.start({ hijack: true, stdin: hasStdin })) as Duplex;
    const stdout = new CappedBuffer(EXEC_OUTPUT_LIMIT);
    const stderr = new CappedBuffer(EXEC_OUTPUT_LIMIT);
    this.opts.docker.modem.demuxStream(stream, stdout, stderr);

    let backstopFired = false;
    const ended = new Promise<void>((resolve, reject) => {
      stream.once('end', resolve);
      stream.once('close', resolve);
      stream.once('error', reject);
    });
    const backstop = options.timeoutMs
      ? setTimeout(() => {
          backstopFired = true;
          stream.destroy();
        }, options.timeoutMs + KILL_AFTER_S * 1000 + EXEC_TIMEOUT_GRACE_MS)
      : undefined;
    if (hasStdin) {
      stream.write(options.stdin);
      stream.end(); // half-close: the command sees end-of-file on its stdin
    }
    try {
      await ended;
    } finally {
      clearTimeout(backstop);
    }
    const exitCode = backstopFired ? 137 : await this.exitCodeOf(exec);
    const durationMs = Date.now() - started;
    return {
      exitCode,
      stdout: stdout.text(),
      stderr: stderr.text(),
      timedOut: backstopFired || isTimeoutExit(exitCode, durationMs, options.timeoutMs),
      durationMs,
    };
  }

  /** The engine may report the exec as still running for a moment after its stream ended. */
  private async exitCodeOf(exec: Docker.Exec): Promise<number> {
    for (let attempt = 0; attempt < 50; attempt++) {
      const info = await exec.inspect();
      if (!info.Running && info.ExitCode !== null) return info.ExitCode;
      await new Promise((r) => setTimeout(r, 10));
    }
    return -1;
  }

  async streamLines(id: string, argv: string[], handlers: LineStreamHandlers): Promise<LineStream> {
    // stdin stays open: the command is expected to exit when it sees end-of-file there, which is how stop() ends
    // it. Closing the connection alone would not: the engine keeps an exec running after its client has gone.
    const exec = await this.createExec(id, { Cmd: argv, AttachStdin: true, AttachStdout: true, AttachStderr: true, Tty: false });
    const stream = (await exec.start({ hijack: true, stdin: true })) as Duplex;
    const stdout = new PassThrough();
    const stderr = new CappedBuffer(STREAM_STDERR_LIMIT);
    this.opts.docker.modem.demuxStream(stream, stdout, stderr);
    const lines = createInterface({ input: stdout, crlfDelay: Infinity });
    lines.on('line', (line) => handlers.onLine(line));
    let exited = false;
    const onEnd = () => {
      if (exited) return;
      exited = true;
      clearTimeout(killTimer);
      lines.close();
      handlers.onExit(stderr.text());
    };
    let killTimer: ReturnType<typeof setTimeout> | undefined;
    stream.once('end', onEnd);
    stream.once('close', onEnd);
    stream.once('error', (err) => {
      this.log.warn(`stream of ${argv[0]} in ${id} failed`, err);
      onEnd();
    });
    return {
      stop: () => {
        if (exited) return;
        stream.end();
        killTimer = setTimeout(() => stream.destroy(), STREAM_STOP_GRACE_MS);
      },
    };
  }

  async copyIn(id: string, directory: string, files: FileEntry[]): Promise<void> {
    const archive = await packFiles(directory, files);
    // Extracting at / lets the engine create missing parent directories.
    await this.opts.docker
      .getContainer(id)
      .putArchive(archive, { path: '/' })
      .catch((err) => {
        if (isNotFound(err)) throw new SandboxNotFoundError(id);
        throw err;
      });
  }

  async copyOut(id: string, filePath: string): Promise<Buffer> {
    if (!path.posix.isAbsolute(filePath)) {
      throw new AppError('bad_path', `"${filePath}" is not an absolute path inside the sandbox.`, { status: 400 });
    }
    const stream = await this.opts.docker
      .getContainer(id)
      .getArchive({ path: filePath })
      .catch((err) => {
        if (isNotFound(err)) {
          throw new AppError('file_not_found', `${filePath} does not exist in sandbox ${id}.`, { status: 404 });
        }
        throw err;
      });
    return readSingleFile(stream as unknown as Readable, filePath);
  }

  async destroy(id: string): Promise<DestroyReport> {
    const report: DestroyReport = { id, cleaned: [], problems: [] };
    const container = this.opts.docker.getContainer(id);
    let state: Docker.ContainerInspectInfo;
    try {
      state = await container.inspect();
    } catch (err) {
      if (isNotFound(err)) return report;
      throw err;
    }
    try {
      // The cleanup runs inside the sandbox: it alone knows its cgroups and pins, and it can run only while the
      // container runs. A stopped sandbox is started again for it.
      if (!state.State.Running) await container.start();
      const cleanup = await this.exec(id, ['/opt/ebpf-labs/bin/sandbox-cleanup'], { timeoutMs: CLEANUP_TIMEOUT_MS });
      report.cleaned.push(...cleanup.stdout.split('\n').filter(Boolean));
      if (cleanup.exitCode !== 0) report.problems.push(cleanup.stderr.trim() || `cleanup exited ${cleanup.exitCode}`);
    } catch (err) {
      report.problems.push(`in-sandbox cleanup failed: ${(err as Error).message}`);
    }
    await container.remove({ force: true, v: true }).catch((err) => {
      if (!isNotFound(err)) throw err;
    });
    if (report.problems.length) this.log.warn(`destroyed ${id} with problems`, report.problems);
    else this.log.info(`destroyed ${id}`);
    return report;
  }

  async list(filter: SandboxFilter = {}): Promise<SandboxInfo[]> {
    const labels = [`${LABEL.sandbox}=1`, `${LABEL.instance}=${this.opts.instance}`];
    if (filter.owner) labels.push(`${LABEL.owner}=${filter.owner}`);
    if (filter.lab) labels.push(`${LABEL.lab}=${filter.lab}`);
    if (filter.purpose) labels.push(`${LABEL.purpose}=${filter.purpose}`);
    const containers = await this.opts.docker.listContainers({ all: true, filters: { label: labels } });
    return containers.map((c) => toInfo(c.Names[0]?.replace(/^\//, '') ?? c.Id, c.Labels, c.State === 'running'));
  }

  async inspect(id: string): Promise<SandboxInfo | undefined> {
    try {
      const c = await this.opts.docker.getContainer(id).inspect();
      if (c.Config.Labels?.[LABEL.instance] !== this.opts.instance) return undefined;
      return toInfo(c.Name.replace(/^\//, ''), c.Config.Labels, c.State.Running);
    } catch (err) {
      if (isNotFound(err)) return undefined;
      throw err;
    }
  }
}

function toInfo(id: string, labels: Record<string, string>, running: boolean): SandboxInfo {
  return {
    id,
    owner: labels[LABEL.owner] ?? '',
    lab: labels[LABEL.lab] ?? '',
    purpose: labels[LABEL.purpose] ?? 'learner',
    createdAt: new Date(labels[LABEL.createdAt] ?? 0),
    running,
    proxy: labels['io.ebpf-labs.proxy'] ?? 'unknown',
  };
}
