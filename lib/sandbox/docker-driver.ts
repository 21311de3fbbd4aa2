// The sandbox driver on a Docker engine (dockerode). No environment reads here: everything comes in options.
import { randomBytes } from 'node:crypto';
import path from 'node:path';
import type { Readable } from 'node:stream';
import type Docker from 'dockerode';
import { AppError, SandboxNotFoundError, SandboxPreflightError } from '../errors';
import { silentLogger, type Logger } from '../log';
import { packFiles, readSingleFile } from './archive';
import { DockerExec } from './docker-exec';
import { BOOT_ID_PATH, kernelSharing, parseBootId, readHostBootId } from './kernel-probe';
import type { LineLimits } from './output-limits';
import { parsePreflight } from './preflight';
import {
  LABEL,
  type DestroyReport,
  type ExecOptions,
  type ExecResult,
  type FileEntry,
  type KernelSharing,
  type LineStream,
  type LineStreamHandlers,
  type Sandbox,
  type SandboxDriver,
  type SandboxFilter,
  type SandboxInfo,
  type SandboxLimits,
  type SandboxSpec,
  type SandboxUsage,
} from './types';

/** Capabilities a sandbox needs instead of --privileged: BPF (via SYS_ADMIN on old engines), netns, tc, ptrace. */
export const SANDBOX_CAPABILITIES = ['SYS_ADMIN', 'NET_ADMIN', 'SYS_PTRACE'];
export { DEFAULT_EXEC_TIMEOUT_MS, DEFAULT_LINE_LIMITS, DEFAULT_OUTPUT_LIMIT, isTimeoutExit, withTimeout } from './docker-exec';
/** sandbox-prepare mounts bpffs, makes the cgroup and loads the preflight program: about 0.1 s; 20 s means stuck. */
const PREPARE_TIMEOUT_MS = 20_000;
/** sandbox-prepare prints one JSON line; the rest is noise kept for the error message. */
const PREPARE_OUTPUT_LIMIT = 64 * 1024;
/**
 * The first, in-sandbox cleanup: 0.1 to 0.3 s in a healthy sandbox. A sandbox that cannot run it within 5 s (its
 * processes exhausted, or a CPU it shares with hundreds of them) is killed from the host and cleaned again.
 */
const FAST_CLEANUP_TIMEOUT_MS = 5000;
/** The cleanup after the host killed every process: nothing else runs, so only a wedged kernel takes 20 s. */
const CLEANUP_TIMEOUT_MS = 20_000;
/** sandbox-cleanup prints a line per thing it removed. */
const CLEANUP_OUTPUT_LIMIT = 256 * 1024;
/** A sandbox's boot id, read once when its kernel sharing is not known yet (after a server restart). */
const BOOT_ID_TIMEOUT_MS = 5000;
/** A failed attempt to learn a runtime's kernel sharing is not repeated on every inspect for this long. */
const KERNEL_RETRY_MS = 60_000;

export interface DockerDriverOptions {
  docker: Docker;
  image: string;
  instance: string;
  limits: SandboxLimits;
  privileged: boolean;
  cgroupMode: 'v1' | 'v2';
  /** The engine's container runtime for sandboxes (HostConfig.Runtime); undefined: the engine's default. */
  runtime?: string;
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
      [LABEL.runtime]: opts.runtime ?? '',
    },
    HostConfig: {
      // A VM runtime (Kata Containers) gives each sandbox its own kernel; the default (runc) shares the host's.
      ...(opts.runtime ? { Runtime: opts.runtime } : {}),
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

function isNotFound(err: unknown): boolean {
  return (err as { statusCode?: number })?.statusCode === 404;
}

/** The engine refuses a runtime it does not know with 400 "Unknown runtime specified <name>". */
function isUnknownRuntime(err: unknown): boolean {
  const e = err as { statusCode?: number; json?: { message?: string }; message?: string };
  return e?.statusCode === 400 && /unknown runtime/i.test(e.json?.message ?? e.message ?? '');
}

/** What the sandbox's in-place cleanup did: the lines it printed, or why it could not finish. */
interface CleanupOutcome {
  cleaned: string[];
  problem?: string;
}

export class DockerSandboxDriver implements SandboxDriver {
  private readonly log: Logger;
  /** The engine host's boot id, read once (a throw-away container) and kept: the host does not reboot under us. */
  private hostBootId?: Promise<string | undefined>;
  /** Kernel sharing per runtime label ('' = the engine's default): the same for every sandbox of one runtime. */
  private readonly kernels = new Map<string, KernelSharing>();
  /** When learning a runtime's kernel sharing last failed: not retried on every inspect. */
  private readonly kernelFailures = new Map<string, number>();

  /** Commands in sandboxes, within their time and output bounds. */
  private readonly execs: DockerExec;

  constructor(private readonly opts: DockerDriverOptions) {
    this.log = opts.log ?? silentLogger;
    this.execs = new DockerExec(opts.docker, this.log);
  }

  async create(spec: SandboxSpec): Promise<Sandbox> {
    const id = newSandboxId();
    const container = await this.opts.docker.createContainer(containerSpec(this.opts, id, spec)).catch((err) => {
      throw this.createError(err);
    });
    try {
      await container.start();
      const hostBootId = this.readHostBootId(); // in parallel with the preparation
      const prep = await this.exec(id, ['/opt/ebpf-labs/bin/sandbox-prepare', id, this.opts.cgroupMode], {
        timeoutMs: PREPARE_TIMEOUT_MS,
        outputLimit: PREPARE_OUTPUT_LIMIT,
      });
      const preflight = parsePreflight(prep);
      if (!preflight.ok) throw new SandboxPreflightError(preflight.missing);
      const kernel = kernelSharing(preflight.bootId, await hostBootId);
      if (kernel) this.kernels.set(this.opts.runtime ?? '', kernel);
      const info = await this.inspect(id);
      if (!info) throw new SandboxNotFoundError(id);
      this.log.info(`created ${id}`, { owner: spec.owner, lab: spec.lab, cgroup: preflight.cgroup, kernel });
      return { ...info, kernel, preflight };
    } catch (err) {
      // Nothing may outlive a sandbox that failed to start.
      await this.destroy(id).catch((e) => this.log.warn(`cleanup of failed sandbox ${id} failed`, e));
      throw err;
    }
  }

  /** The engine's refusal to create a sandbox, as what to do about it. */
  private createError(err: unknown): unknown {
    if (isNotFound(err)) {
      return new AppError('image_missing', `The sandbox image ${this.opts.image} is not built.`, {
        status: 503,
        hint: 'Run "npm run build:image" (or "npm start", which builds it), then try again.',
        cause: err,
      });
    }
    if (this.opts.runtime && isUnknownRuntime(err)) {
      return new AppError('sandbox_runtime_unknown', `The Docker engine has no container runtime "${this.opts.runtime}" (SANDBOX_RUNTIME).`, {
        status: 503,
        hint:
          'Install the runtime and register it with the engine (daemon.json "runtimes", then restart dockerd; ' +
          '"docker info" lists the runtimes it knows), or unset SANDBOX_RUNTIME to use the engine\'s default runtime.',
        cause: err,
      });
    }
    return err;
  }

  /** The host's boot id (cached per engine), or undefined when it cannot be read (then kernel sharing is unknown). */
  private readHostBootId(): Promise<string | undefined> {
    this.hostBootId ??= readHostBootId(this.opts.docker, this.opts.image, { [LABEL.instance]: this.opts.instance }).catch((err) => {
      this.log.warn('cannot read the engine host\'s boot id: kernel sharing unknown', err);
      this.hostBootId = undefined;
      return undefined;
    });
    return this.hostBootId;
  }

  exec(id: string, argv: string[], options: ExecOptions = {}): Promise<ExecResult> {
    return this.execs.exec(id, argv, options);
  }

  streamLines(id: string, argv: string[], handlers: LineStreamHandlers, limits?: Partial<LineLimits>): Promise<LineStream> {
    return this.execs.streamLines(id, argv, handlers, limits);
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

  /**
   * Removes the sandbox and everything that could outlive it. The cleanup runs inside the sandbox (it alone knows its
   * cgroups and pins, and it can run only while the container runs). When it cannot (a fork bomb took every process
   * slot, a CPU shared with hundreds of processes, a stopped or frozen sandbox), every process is killed from the host
   * (the engine kills the container), the container is started again with nothing but its init, and the cleanup runs
   * there. Killing first every time would cost a restart (0.6 s here) on every destroy; it is needed only then.
   */
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
      if (state.State.Paused) await container.unpause();
      if (!state.State.Running) await container.start();
      let outcome = await this.cleanup(id, FAST_CLEANUP_TIMEOUT_MS);
      if (outcome.problem) {
        this.log.warn(`in-sandbox cleanup of ${id} failed (${outcome.problem}): killing it from the host`);
        report.cleaned.push(`killed every process from the host (the sandbox could not clean up: ${outcome.problem})`);
        await this.killFromHost(container);
        outcome = await this.cleanup(id, CLEANUP_TIMEOUT_MS);
      }
      report.cleaned.push(...outcome.cleaned);
      if (outcome.problem) report.problems.push(outcome.problem);
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

  /** sandbox-cleanup in the sandbox; what it removed, or why it could not finish (never throws). */
  private async cleanup(id: string, timeoutMs: number): Promise<CleanupOutcome> {
    try {
      const r = await this.exec(id, ['/opt/ebpf-labs/bin/sandbox-cleanup'], { timeoutMs, outputLimit: CLEANUP_OUTPUT_LIMIT });
      const cleaned = r.stdout.split('\n').filter(Boolean);
      if (r.exitCode === 0 && !r.timedOut && !r.overflow) return { cleaned };
      const why = r.timedOut ? `timed out after ${timeoutMs / 1000} s` : r.overflow ? 'printed too much' : `exited ${r.exitCode}`;
      const said = (r.stderr.trim() || r.stdout.trim()).split('\n').slice(-3).join(' ').slice(0, 500);
      return { cleaned, problem: `${said || 'sandbox-cleanup'} (${why})` };
    } catch (err) {
      return { cleaned: [], problem: `cleanup could not run: ${(err as Error).message}` };
    }
  }

  /** SIGKILL to the container's init: the kernel kills every process in it; then it starts again, empty. */
  private async killFromHost(container: Docker.Container): Promise<void> {
    await container.kill({ signal: 'SIGKILL' }).catch((err) => {
      if ((err as { statusCode?: number }).statusCode !== 409) throw err; // 409: it was not running
    });
    await container.wait({ condition: 'not-running' });
    await container.start();
  }

  async usage(id: string): Promise<SandboxUsage | undefined> {
    // one-shot: the engine answers at once instead of sampling for a second to fill precpu_stats.
    const stats = (await this.opts.docker
      .getContainer(id)
      .stats({ stream: false, 'one-shot': true } as { stream: false })
      .catch((err) => {
        if (isNotFound(err)) return undefined;
        throw err;
      })) as DockerStats | undefined;
    if (!stats?.cpu_stats?.cpu_usage) return undefined;
    const mem = stats.memory_stats ?? {};
    // As docker stats computes it: usage minus the inactive page cache (cgroup v1 total_inactive_file, v2 inactive_file).
    const cache = mem.stats?.total_inactive_file ?? mem.stats?.inactive_file ?? 0;
    return { cpuNs: stats.cpu_stats.cpu_usage.total_usage, memoryBytes: Math.max(0, (mem.usage ?? 0) - cache), at: Date.now() };
  }

  async list(filter: SandboxFilter = {}): Promise<SandboxInfo[]> {
    const labels = [`${LABEL.sandbox}=1`, `${LABEL.instance}=${this.opts.instance}`];
    if (filter.owner) labels.push(`${LABEL.owner}=${filter.owner}`);
    if (filter.lab) labels.push(`${LABEL.lab}=${filter.lab}`);
    if (filter.purpose) labels.push(`${LABEL.purpose}=${filter.purpose}`);
    const containers = await this.opts.docker.listContainers({ all: true, filters: { label: labels } });
    return containers.map((c) => {
      const labels = c.Labels ?? {};
      return toInfo(c.Names[0]?.replace(/^\//, '') ?? c.Id, labels, c.State === 'running', this.kernels.get(labels[LABEL.runtime] ?? ''), c.ImageID);
    });
  }

  async inspect(id: string): Promise<SandboxInfo | undefined> {
    let c: Docker.ContainerInspectInfo;
    try {
      c = await this.opts.docker.getContainer(id).inspect();
    } catch (err) {
      if (isNotFound(err)) return undefined;
      throw err;
    }
    const labels = c.Config.Labels ?? {};
    if (labels[LABEL.instance] !== this.opts.instance) return undefined;
    const kernel = c.State.Running ? await this.kernelOf(id, labels[LABEL.runtime] ?? '') : this.kernels.get(labels[LABEL.runtime] ?? '');
    return toInfo(c.Name.replace(/^\//, ''), labels, c.State.Running, kernel, c.Image);
  }

  /**
   * A running sandbox's kernel sharing: known for its runtime once one sandbox of it was created or looked at; else
   * learned from this one's boot id (after a server restart, for the sandboxes it adopted).
   */
  private async kernelOf(id: string, runtime: string): Promise<KernelSharing | undefined> {
    const known = this.kernels.get(runtime);
    if (known) return known;
    if (Date.now() - (this.kernelFailures.get(runtime) ?? 0) < KERNEL_RETRY_MS) return undefined;
    try {
      const [r, host] = await Promise.all([
        this.exec(id, ['cat', BOOT_ID_PATH], { timeoutMs: BOOT_ID_TIMEOUT_MS, outputLimit: 4096 }),
        this.readHostBootId(),
      ]);
      const kernel = kernelSharing(parseBootId(r.stdout), host);
      if (!kernel) throw new Error(`no boot id (${r.stderr.trim() || `exit ${r.exitCode}`})`);
      this.kernels.set(runtime, kernel);
      return kernel;
    } catch (err) {
      this.log.warn(`cannot tell whether ${id} shares the host's kernel`, err);
      this.kernelFailures.set(runtime, Date.now());
      return undefined;
    }
  }
}

/** The parts of the engine's stats answer read here (the answer is the sandbox's: a learner could shape it only by using resources). */
interface DockerStats {
  cpu_stats?: { cpu_usage?: { total_usage: number } };
  memory_stats?: { usage?: number; stats?: { total_inactive_file?: number; inactive_file?: number } };
}

function toInfo(id: string, labels: Record<string, string>, running: boolean, kernel?: KernelSharing, imageId?: string): SandboxInfo {
  return {
    id,
    ...(imageId ? { imageId } : {}),
    owner: labels[LABEL.owner] ?? '',
    lab: labels[LABEL.lab] ?? '',
    purpose: labels[LABEL.purpose] ?? 'learner',
    createdAt: new Date(labels[LABEL.createdAt] ?? 0),
    running,
    proxy: labels['io.ebpf-labs.proxy'] ?? 'unknown',
    ...(kernel ? { kernel } : {}),
  };
}
