// Building the sandbox image: offline-capable (debootstrap base when no registry answers), cached by a content
// hash of the files that go into it, Envoy when its image can be pulled and HAProxy otherwise.
import { spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdtemp, readdir, readFile, rm, stat } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import type Docker from 'dockerode';
import tar from 'tar-stream';
import { AppError } from '../errors';

/** Everything under these directories goes into the image (or decides how it is built). */
/**
 * What the Dockerfile copies into the image, and so what its content hash covers. Not labs/: lab files reach a
 * sandbox when it is created (workspace, setup, checks and solutions on stdin), so editing a lab never rebuilds it.
 */
export const IMAGE_INPUT_DIRS = ['sandbox', 'bpf', 'envoy'];
const IGNORED = /(^|\/)(node_modules|\.git)(\/|$)|\.o$|~$|\.swp$|(^|\/)\.DS_Store$/;
export const NO_ENVOY_IMAGE = 'ebpf-labs/no-envoy:1';
export const IMAGE_LABEL = {
  contentHash: 'io.ebpf-labs.content-hash',
  proxy: 'io.ebpf-labs.proxy',
} as const;

/** How often a long build step prints a progress line. */
const BUILD_PROGRESS_INTERVAL_MS = 5000;

export type ProxyKind = 'envoy' | 'haproxy';

export interface ImageBuildOptions {
  docker: Docker;
  /** Repository root (holds sandbox/, bpf/, envoy/). */
  root: string;
  image: string;
  baseImage: string;
  envoyImage: string;
  force?: boolean;
  /** Progress lines for a human. */
  print?: (line: string) => void;
}

export interface ImageStatus {
  image: string;
  built: boolean;
  contentHash: string;
  proxy: ProxyKind;
  base: 'present' | 'pulled' | 'debootstrap';
  seconds: number;
}

/** Files that make up the image inputs, relative to root, sorted. */
export async function listInputFiles(root: string, dirs = IMAGE_INPUT_DIRS): Promise<string[]> {
  const out: string[] = [];
  async function walk(rel: string) {
    let entries;
    try {
      entries = await readdir(path.join(root, rel), { withFileTypes: true });
    } catch {
      return; // a missing input directory simply contributes nothing
    }
    for (const e of entries) {
      const child = path.posix.join(rel, e.name);
      if (IGNORED.test(child)) continue;
      if (e.isDirectory()) await walk(child);
      else if (e.isFile()) out.push(child);
    }
  }
  for (const d of dirs) await walk(d);
  return out.sort();
}

/** sha256 over paths, executable bits and contents: any change to an input changes the hash. */
export async function contentHash(root: string, files: string[]): Promise<string> {
  const h = createHash('sha256');
  for (const f of files) {
    const full = path.join(root, f);
    const [st, data] = await Promise.all([stat(full), readFile(full)]);
    h.update(`${f}\0${st.mode & 0o111 ? 'x' : '-'}\0${data.length}\0`);
    h.update(data);
  }
  return h.digest('hex').slice(0, 16);
}

async function inspectImage(docker: Docker, name: string): Promise<{ id: string; labels: Record<string, string> } | undefined> {
  try {
    const info = await docker.getImage(name).inspect();
    return { id: info.Id, labels: info.Config?.Labels ?? {} };
  } catch (err) {
    if ((err as { statusCode?: number }).statusCode === 404) return undefined;
    throw err;
  }
}

const imageLabels = async (docker: Docker, name: string) => (await inspectImage(docker, name))?.labels;

function followProgress(docker: Docker, stream: NodeJS.ReadableStream, onEvent: (e: ProgressEvent) => void) {
  return new Promise<void>((resolve, reject) =>
    docker.modem.followProgress(
      stream,
      (err: Error | null) => (err ? reject(err) : resolve()),
      (event: ProgressEvent) => onEvent(event),
    ),
  );
}

interface ProgressEvent {
  stream?: string;
  status?: string;
  error?: string;
  errorDetail?: { message?: string };
  aux?: { ID?: string };
}

async function tryPull(docker: Docker, name: string, print: (l: string) => void): Promise<boolean> {
  try {
    const stream = await docker.pull(name);
    let failed: string | undefined;
    await followProgress(docker, stream, (e) => {
      if (e.error) failed = e.error;
    });
    if (failed) throw new Error(failed);
    print(`pulled ${name}`);
    return true;
  } catch (err) {
    print(`cannot pull ${name}: ${(err as Error).message.split('\n')[0]}`);
    return false;
  }
}

function run(cmd: string, args: string[], print: (l: string) => void): Promise<void> {
  return new Promise((resolve, reject) => {
    const child = spawn(cmd, args, { stdio: ['ignore', 'pipe', 'pipe'] });
    const tail: string[] = [];
    const onData = (b: Buffer) => {
      for (const line of b.toString().split('\n').filter(Boolean)) {
        tail.push(line);
        if (tail.length > 20) tail.shift();
        print(`  ${line}`);
      }
    };
    child.stdout.on('data', onData);
    child.stderr.on('data', onData);
    child.on('error', reject);
    child.on('close', (code) =>
      code === 0 ? resolve() : reject(new Error(`${cmd} exited ${code}:\n${tail.join('\n')}`)),
    );
  });
}

/** debootstrap a minimal bookworm into a temporary directory and import it under `name`. */
async function debootstrapBase(opts: ImageBuildOptions, print: (l: string) => void): Promise<void> {
  const dir = await mkdtemp(path.join(os.tmpdir(), 'ebpf-labs-rootfs-'));
  try {
    print(`building ${opts.baseImage} locally with debootstrap (about 30 s)`);
    await run('bash', [path.join(opts.root, 'sandbox/make-rootfs.sh'), dir], print);
    const tarProc = spawn('tar', ['-C', dir, '-c', '.'], { stdio: ['ignore', 'pipe', 'inherit'] });
    const [repo, tag = 'latest'] = splitTag(opts.baseImage);
    const stream = await opts.docker.importImage(tarProc.stdout as unknown as string, { repo, tag });
    await followProgress(opts.docker, stream, () => {});
    print(`imported ${opts.baseImage}`);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

export function splitTag(name: string): [string, string | undefined] {
  const slash = name.lastIndexOf('/');
  const colon = name.lastIndexOf(':');
  return colon > slash ? [name.slice(0, colon), name.slice(colon + 1)] : [name, undefined];
}

/** A tiny image with an empty /usr/local/bin: what the Dockerfile copies "Envoy" from when there is none. */
async function ensureNoEnvoyImage(docker: Docker): Promise<void> {
  if (await imageLabels(docker, NO_ENVOY_IMAGE)) return;
  const pack = tar.pack();
  pack.entry({ name: 'usr/local/bin/', type: 'directory', mode: 0o755 });
  pack.entry({ name: 'usr/local/bin/.no-envoy', mode: 0o644 }, 'Envoy could not be pulled; HAProxy stands in.\n');
  pack.finalize();
  const [repo, tag] = splitTag(NO_ENVOY_IMAGE);
  const stream = await docker.importImage(pack as unknown as string, { repo, tag });
  await followProgress(docker, stream, () => {});
}

/**
 * Makes sure the sandbox image exists and matches the inputs; builds it when not. Prints progress; a failed build
 * throws an AppError naming the failing step with the end of its output.
 */
export async function ensureSandboxImage(opts: ImageBuildOptions): Promise<ImageStatus> {
  const started = Date.now();
  const print = opts.print ?? (() => {});
  const files = await listInputFiles(opts.root);
  const hash = await contentHash(opts.root, files);
  const previous = await inspectImage(opts.docker, opts.image);
  const existing = previous?.labels;
  if (!opts.force && existing?.[IMAGE_LABEL.contentHash] === hash) {
    const proxy = (existing[IMAGE_LABEL.proxy] as ProxyKind) ?? 'haproxy';
    print(`${opts.image} is up to date (inputs ${hash}, proxy ${proxy})`);
    return { image: opts.image, built: false, contentHash: hash, proxy, base: 'present', seconds: 0 };
  }
  print(existing ? `${opts.image} is out of date: rebuilding (inputs ${hash})` : `building ${opts.image}`);

  let base: ImageStatus['base'] = 'present';
  if (!(await imageLabels(opts.docker, opts.baseImage))) {
    if (await tryPull(opts.docker, opts.baseImage, print)) base = 'pulled';
    else {
      await debootstrapBase(opts, print);
      base = 'debootstrap';
    }
  }

  let proxy: ProxyKind = 'haproxy';
  let envoySource = NO_ENVOY_IMAGE;
  if ((await imageLabels(opts.docker, opts.envoyImage)) || (await tryPull(opts.docker, opts.envoyImage, print))) {
    proxy = 'envoy';
    envoySource = opts.envoyImage;
  } else {
    print('Envoy is not available: HAProxy will stand in as the transparent proxy');
    await ensureNoEnvoyImage(opts.docker);
  }

  const stream = await opts.docker.buildImage(
    { context: opts.root, src: files },
    {
      t: opts.image,
      dockerfile: 'sandbox/Dockerfile',
      // apt-get inside the build needs the network; sandboxes themselves run with none.
      networkmode: 'host',
      rm: true,
      forcerm: true,
      buildargs: {
        BASE_IMAGE: opts.baseImage,
        ENVOY_IMAGE: envoySource,
        PROXY_KIND: proxy,
        CONTENT_HASH: hash,
      },
    },
  );
  let step = '';
  const stepOutput: string[] = [];
  let stepLines = 0;
  let lastPrint = Date.now();
  let error: string | undefined;
  await followProgress(opts.docker, stream, (e) => {
    if (e.error) {
      error = e.errorDetail?.message ?? e.error;
      return;
    }
    for (const line of (e.stream ?? '').split('\n')) {
      if (!line.trim()) continue;
      if (/^Step \d+\/\d+ :/.test(line)) {
        step = line;
        stepOutput.length = 0;
        stepLines = 0;
        lastPrint = Date.now();
        print(line.length > 160 ? `${line.slice(0, 157)}...` : line);
      } else {
        stepOutput.push(line);
        stepLines++;
        if (stepOutput.length > 40) stepOutput.shift();
        // Long steps (apt-get) report now and then instead of flooding the terminal.
        if (Date.now() - lastPrint > BUILD_PROGRESS_INTERVAL_MS) {
          lastPrint = Date.now();
          print(`  ... ${stepLines} lines so far; latest: ${line.slice(0, 100)}`);
        }
      }
    }
  }).catch((err) => {
    error = (err as Error).message;
  });
  if (error) {
    throw new AppError('image_build_failed', `Building ${opts.image} failed at: ${step || 'the start'}`, {
      details: [...stepOutput.slice(-30), error],
      hint: 'Read the output above the error; a network failure during apt-get is the usual cause. Then run again.',
    });
  }
  // The rebuild moved the tag: the previous image is now untagged (about 1 GB for the sandbox). Remove it unless a
  // container still uses it (the engine refuses then, and a later rebuild tries nothing more: that is fine).
  const current = await inspectImage(opts.docker, opts.image);
  if (previous && current && previous.id !== current.id) {
    await opts.docker.getImage(previous.id).remove().catch(() => undefined);
  }
  const seconds = Math.round((Date.now() - started) / 100) / 10;
  print(`built ${opts.image} in ${seconds} s (proxy ${proxy}, base ${base})`);
  return { image: opts.image, built: true, contentHash: hash, proxy, base, seconds };
}
