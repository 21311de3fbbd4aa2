// Configuration: read from the environment once, validated, then passed down. Nothing else reads process.env.
import path from 'node:path';
import { z } from 'zod';

const bool = z
  .enum(['1', '0', 'true', 'false', 'yes', 'no', ''])
  .transform((v) => v === '1' || v === 'true' || v === 'yes');

/** Docker memory strings: "1g", "512m", "1073741824". */
export function parseBytes(value: string): number {
  const m = /^(\d+(?:\.\d+)?)\s*([kmg]i?b?|b)?$/i.exec(value.trim());
  if (!m) throw new Error(`"${value}" is not a size; use a number of bytes or a value like 512m or 1g`);
  const unit = (m[2] ?? 'b').toLowerCase()[0];
  const scale = unit === 'k' ? 1024 : unit === 'm' ? 1024 ** 2 : unit === 'g' ? 1024 ** 3 : 1;
  return Math.round(Number(m[1]) * scale);
}

/** DOCKER_HOST as dockerode connection options: unix:///path or tcp://host:port (no TLS). */
export function parseDockerHost(value: string | undefined): DockerConnection {
  if (!value) return { socketPath: '/var/run/docker.sock' };
  const url = new URL(value);
  if (url.protocol === 'unix:') return { socketPath: url.pathname };
  if (url.protocol === 'tcp:' || url.protocol === 'http:') {
    return { host: url.hostname, port: Number(url.port || 2375), protocol: 'http' };
  }
  throw new Error(`DOCKER_HOST=${value} is not supported; use unix:///path/to/docker.sock or tcp://host:port`);
}

export type DockerConnection =
  | { socketPath: string }
  | { host: string; port: number; protocol: 'http' };

const size = z.string().transform((v, ctx) => {
  try {
    return parseBytes(v);
  } catch (e) {
    ctx.addIssue({ code: 'custom', message: (e as Error).message });
    return z.NEVER;
  }
});

const EnvSchema = z.object({
  NODE_ENV: z.enum(['development', 'production', 'test']).default('development'),
  HOST: z.string().default('127.0.0.1'),
  PORT: z.coerce.number().int().min(0).max(65535).default(3000),
  PUBLIC_ORIGIN: z.url().optional(),
  ALLOWED_ORIGINS: z.string().default(''),
  TRUST_PROXY: bool.default(false),
  DATA_DIR: z.string().default('data'),
  LABS_DIR: z.string().default('labs'),
  SESSION_SECRET: z.string().min(32, 'SESSION_SECRET must be at least 32 characters').optional(),
  DOCKER_HOST: z.string().optional(),
  EBPF_LABS_INSTANCE: z
    .string()
    .regex(/^[a-z0-9][a-z0-9-]{0,31}$/, 'use lower-case letters, digits and dashes')
    .default('default'),
  SANDBOX_IMAGE: z.string().default('ebpf-labs/sandbox:latest'),
  SANDBOX_BASE_IMAGE: z.string().default('debian:bookworm-slim'),
  ENVOY_IMAGE: z.string().default('envoyproxy/envoy:v1.34-latest'),
  SANDBOX_MEMORY: size.default(1024 ** 3),
  SANDBOX_PIDS: z.coerce.number().int().min(64).default(512),
  SANDBOX_CPUS: z.coerce.number().positive().max(64).default(1),
  SANDBOX_PRIVILEGED: bool.default(false),
  SANDBOX_REMOVE_ORPHANS: bool.default(true),
  SANDBOX_KEEP_HOURS: z.coerce.number().positive().default(24),
  MAX_SANDBOXES: z.coerce.number().int().positive().default(40),
  MAX_SANDBOXES_PER_LEARNER: z.coerce.number().int().positive().default(3),
  MAX_SANDBOXES_PER_ADDRESS: z.coerce.number().int().positive().default(10),
  NEW_LEARNERS_PER_MINUTE: z.coerce.number().int().positive().default(30),
  SANDBOX_IDLE_MINUTES: z.coerce.number().positive().default(60),
  SANDBOX_IDLE_WARNING_MINUTES: z.coerce.number().positive().default(5),
  LOG_FORMAT: z.enum(['json', 'text']).optional(),
  ADMIN_TOKEN: z.string().min(16, 'ADMIN_TOKEN must be at least 16 characters (it opens the instructor view)').optional(),
  SANDBOX_WARM_POOL: z
    .string()
    .regex(/^([a-z0-9][a-z0-9-]*:\d{1,3})?(,[a-z0-9][a-z0-9-]*:\d{1,3})*$/, 'write lab:count pairs, e.g. proxy-acceleration:10,transparent-proxy:5')
    .default(''),
  SANDBOX_RUNTIME: z
    .string()
    .regex(/^[a-zA-Z0-9][a-zA-Z0-9_.-]*$/, 'the name of a runtime the Docker engine knows (docker info: Runtimes)')
    .optional(),
  DOCKER_CLI: z.string().default('docker'),
  PATH: z.string().default('/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin'),
  HOME: z.string().default('/root'),
});

export interface Config {
  env: 'development' | 'production' | 'test';
  host: string;
  port: number;
  /** The URL learners use (behind a reverse proxy: the proxy's). Its host is accepted, and its origin. */
  publicOrigin?: string;
  /** More origins the app answers for (scheme://host[:port]): a class on the network by IP and by name. */
  allowedOrigins: string[];
  /** Behind a reverse proxy: take the client's address from X-Forwarded-For (the proxy's own address otherwise). */
  trustProxy: boolean;
  dataDir: string;
  labsDir: string;
  sessionSecret?: string;
  docker: DockerConnection;
  /** Upper bound on concurrent learner sandboxes: protects the host. */
  maxSandboxes: number;
  /** json: JSON lines for a log collector (the default in production); text: for a developer's terminal. */
  logFormat: 'json' | 'text';
  /** Opens the instructor view (/admin) and, when set, protects /metrics; unset: no instructor view, metrics on loopback. */
  adminToken?: string;
  /** Sandboxes kept ready per lab (created, prepared, through the lab's setup), handed out on Start. */
  warmPool: Record<string, number>;
  /** Per client: sandboxes one learner, and one address, may run at once; new learner cookies per address a minute. */
  limits: { sandboxesPerLearner: number; sandboxesPerAddress: number; newLearnersPerMinute: number };
  /** Label value that separates the sandboxes of several servers sharing one Docker engine. */
  instance: string;
  terminal: {
    /** The docker CLI node-pty runs (`docker exec -it`). */
    dockerCli: string;
    /** The complete environment of that CLI: an allow-list, never the server's own environment. */
    env: Record<string, string>;
  };
  sandbox: {
    image: string;
    /** Pulled, or built with debootstrap when no registry answers. */
    baseImage: string;
    /** Where Envoy is copied from; HAProxy stands in when it cannot be pulled. */
    envoyImage: string;
    /** Per sandbox (the driver's SandboxLimits): memory without swap, processes, CPUs. */
    limits: { memoryBytes: number; pids: number; cpus: number };
    /** Opt-in: fails on hosts whose capability bounding set lacks CAP_SYS_RESOURCE. */
    privileged: boolean;
    /** At start-up, remove sandboxes nobody will come back for. */
    removeOrphans: boolean;
    /** A learner's sandbox is kept over a restart when the lab was used within this many hours. */
    keepHours: number;
    /** A sandbox nobody used for this long is stopped (progress is kept); the page warns `idleWarningMinutes` before. */
    idleMinutes: number;
    idleWarningMinutes: number;
    /** The engine's container runtime for sandboxes (e.g. a Kata Containers runtime: one kernel per sandbox). */
    runtime?: string;
  };
}

export class ConfigError extends Error {}

/** "http://Host:80/" -> "http://host" (URL's own normal form); undefined for anything but an http(s) origin. */
export function parseOrigin(value: string): string | undefined {
  try {
    const url = new URL(value);
    if (!/^https?:$/.test(url.protocol) || url.username || url.password || url.search || url.hash || (url.pathname !== '/' && url.pathname !== '')) return undefined;
    return url.origin;
  } catch {
    return undefined;
  }
}

export function loadConfig(env: Record<string, string | undefined> = process.env, root = process.cwd()): Config {
  const parsed = EnvSchema.safeParse(env);
  if (!parsed.success) {
    const lines = parsed.error.issues.map((i) => `  ${i.path.join('.')}: ${i.message}`);
    throw new ConfigError(`Invalid configuration in the environment:\n${lines.join('\n')}`);
  }
  const e = parsed.data;
  let docker: DockerConnection;
  try {
    docker = parseDockerHost(e.DOCKER_HOST);
  } catch (err) {
    throw new ConfigError((err as Error).message);
  }
  const allowedOrigins: string[] = [];
  for (const item of e.ALLOWED_ORIGINS.split(',').map((o) => o.trim()).filter(Boolean)) {
    const origin = parseOrigin(item);
    if (!origin) throw new ConfigError(`ALLOWED_ORIGINS: "${item}" is not an origin; write scheme://host[:port], e.g. http://10.0.0.5:3000`);
    allowedOrigins.push(origin);
  }
  return {
    env: e.NODE_ENV,
    host: e.HOST,
    port: e.PORT,
    publicOrigin: e.PUBLIC_ORIGIN?.replace(/\/$/, ''),
    dataDir: path.resolve(root, e.DATA_DIR),
    labsDir: path.resolve(root, e.LABS_DIR),
    sessionSecret: e.SESSION_SECRET,
    docker,
    maxSandboxes: e.MAX_SANDBOXES,
    allowedOrigins,
    trustProxy: e.TRUST_PROXY,
    logFormat: e.LOG_FORMAT ?? (e.NODE_ENV === 'production' ? 'json' : 'text'),
    adminToken: e.ADMIN_TOKEN,
    warmPool: Object.fromEntries(
      e.SANDBOX_WARM_POOL.split(',')
        .filter(Boolean)
        .map((pair) => [pair.split(':')[0]!, Number(pair.split(':')[1])]),
    ),
    limits: {
      sandboxesPerLearner: e.MAX_SANDBOXES_PER_LEARNER,
      sandboxesPerAddress: e.MAX_SANDBOXES_PER_ADDRESS,
      newLearnersPerMinute: e.NEW_LEARNERS_PER_MINUTE,
    },
    terminal: {
      dockerCli: e.DOCKER_CLI,
      env: {
        TERM: 'xterm-256color',
        LANG: 'C.UTF-8',
        HOME: e.HOME,
        PATH: e.PATH,
        ...(e.DOCKER_HOST ? { DOCKER_HOST: e.DOCKER_HOST } : {}),
      },
    },
    instance: e.EBPF_LABS_INSTANCE,
    sandbox: {
      image: e.SANDBOX_IMAGE,
      baseImage: e.SANDBOX_BASE_IMAGE,
      envoyImage: e.ENVOY_IMAGE,
      limits: { memoryBytes: e.SANDBOX_MEMORY, pids: e.SANDBOX_PIDS, cpus: e.SANDBOX_CPUS },
      privileged: e.SANDBOX_PRIVILEGED,
      removeOrphans: e.SANDBOX_REMOVE_ORPHANS,
      keepHours: e.SANDBOX_KEEP_HOURS,
      idleMinutes: e.SANDBOX_IDLE_MINUTES,
      idleWarningMinutes: Math.min(e.SANDBOX_IDLE_WARNING_MINUTES, e.SANDBOX_IDLE_MINUTES / 2),
      runtime: e.SANDBOX_RUNTIME,
    },
  };
}
