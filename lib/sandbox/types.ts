// The sandbox driver interface: everything the app does with a learner's sandbox goes through it.
// One implementation talks to a Docker engine (docker-driver.ts); unit tests may use a fake.
import type { LineLimits, LineStreamEnd } from './output-limits';

export type { LineLimits, LineStreamEnd } from './output-limits';

/** Labels every sandbox carries, so it can be found again after a server restart. */
export const LABEL = {
  sandbox: 'io.ebpf-labs.sandbox',
  instance: 'io.ebpf-labs.instance',
  owner: 'io.ebpf-labs.owner',
  lab: 'io.ebpf-labs.lab',
  createdAt: 'io.ebpf-labs.created-at',
  purpose: 'io.ebpf-labs.purpose',
  /** The container runtime the sandbox was created with ('' for the engine's default). */
  runtime: 'io.ebpf-labs.runtime',
} as const;

/** What one sandbox may use: memory (no swap), processes, CPUs. */
export interface SandboxLimits {
  memoryBytes: number;
  pids: number;
  cpus: number;
}

export interface SandboxSpec {
  /** Learner id (or a test/CLI marker) that owns the sandbox. */
  owner: string;
  /** Lab slug the sandbox was made for. */
  lab: string;
  /** 'learner' for the app; 'test', 'bench' or 'cli' for tools, so the app never adopts them. */
  /** 'pool' for a warm sandbox not handed out yet; its owner is recorded when a learner gets it (see WarmPool). */
  purpose?: 'learner' | 'pool' | 'test' | 'bench' | 'cli';
  limits?: Partial<SandboxLimits>;
}

export interface SandboxInfo {
  /** The container name (ebpf-labs-<12 hex>): also the name of its cgroup on cgroup v1 hosts. */
  id: string;
  owner: string;
  lab: string;
  purpose: string;
  /** The image the container runs (its id): a pool sandbox of an older image is replaced. */
  imageId?: string;
  createdAt: Date;
  running: boolean;
  /** The proxy the image carries ('envoy' or 'haproxy'). */
  proxy: string;
  /**
   * Whether the sandbox runs on the engine host's kernel ('shared': a container, eBPF sees the whole machine) or on
   * one of its own ('own': a VM runtime such as Kata Containers). Undefined while it is not known.
   */
  kernel?: KernelSharing;
}

export type KernelSharing = 'shared' | 'own';

/** What the sandbox preparation found (sandbox-prepare in the image). */
export interface Preflight {
  ok: boolean;
  cgroup: string;
  cgroupMode: 'v1' | 'v2';
  kernel: string;
  proxy: string;
  missing: string[];
  /** The sandbox kernel's /proc/sys/kernel/random/boot_id: equal to the engine host's when the kernel is shared. */
  bootId?: string;
}

export interface Sandbox extends SandboxInfo {
  preflight: Preflight;
}

export interface ExecOptions {
  /** Written to the command's standard input, which is then closed. */
  stdin?: string | Buffer;
  /** Milliseconds (default DEFAULT_EXEC_TIMEOUT_MS); the command and everything it started are killed when it expires. */
  timeoutMs?: number;
  /**
   * Bytes of stdout and stderr together (default DEFAULT_OUTPUT_LIMIT). Past it the exec ends, every process it
   * started is killed in the sandbox, and the result says `overflow`. Choose it per use: what the caller can need.
   */
  outputLimit?: number;
  env?: Record<string, string>;
  workdir?: string;
  user?: string;
}

export interface ExecResult {
  exitCode: number;
  stdout: string;
  stderr: string;
  timedOut: boolean;
  durationMs: number;
  /** The output passed `outputLimit`: the command was stopped and killed; stdout and stderr hold what came before. */
  overflow?: boolean;
  /** The output limit that applied, in bytes (for messages). */
  outputLimit?: number;
}

/** A long-running command whose standard output is read line by line (the datapath sampler). */
export interface LineStreamHandlers {
  onLine(line: string): void;
  /**
   * The command ended: by itself or after stop() (`end.kind` 'exited'), or it passed one of the stream's limits and
   * was killed (`end` says which). stderr holds its first output there, for the log.
   */
  onExit(stderr: string, end?: LineStreamEnd): void;
}

export interface LineStream {
  /**
   * Closes the command's standard input (it should exit on end-of-file); a command still running after a short grace
   * is killed in the sandbox, with everything it started.
   */
  stop(): void;
}

export interface FileEntry {
  /** Path inside the sandbox (absolute) or relative to the copy target. */
  path: string;
  content: string | Buffer;
  mode?: number;
}

export interface SandboxFilter {
  owner?: string;
  lab?: string;
  purpose?: string;
}

export interface SandboxDriver {
  create(spec: SandboxSpec): Promise<Sandbox>;
  exec(id: string, argv: string[], options?: ExecOptions): Promise<ExecResult>;
  /** Starts a command that streams lines until stopped, within `limits` (default DEFAULT_LINE_LIMITS). */
  streamLines(id: string, argv: string[], handlers: LineStreamHandlers, limits?: Partial<LineLimits>): Promise<LineStream>;
  copyIn(id: string, directory: string, files: FileEntry[]): Promise<void>;
  copyOut(id: string, filePath: string): Promise<Buffer>;
  destroy(id: string): Promise<DestroyReport>;
  list(filter?: SandboxFilter): Promise<SandboxInfo[]>;
  /** Reads the preparation result again (after a server restart). */
  inspect(id: string): Promise<SandboxInfo | undefined>;
  /** CPU time used so far and memory in use, as the engine accounts them; undefined when it is gone. */
  usage(id: string): Promise<SandboxUsage | undefined>;
}

export interface SandboxUsage {
  /** CPU time since the sandbox started, in nanoseconds (all its processes). */
  cpuNs: number;
  /** Memory in use, without the page cache the kernel can drop (what `docker stats` shows). */
  memoryBytes: number;
  /** When it was read (ms since the epoch), to turn two readings into a CPU rate. */
  at: number;
}

export interface DestroyReport {
  id: string;
  /** What the in-sandbox cleanup removed, one line each. */
  cleaned: string[];
  /** Problems: things that may have outlived the sandbox. Empty when all is gone. */
  problems: string[];
}
