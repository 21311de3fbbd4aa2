// Does a sandbox run on the engine host's kernel? eBPF is not namespaced, so this is what decides whether a learner's
// programs see the whole machine (a container: "shared") or only their own VM (a runtime such as Kata: "own").
// The kernel's boot id answers it: every kernel draws a random one at boot, and containers read their host's.
import type Docker from 'dockerode';
import { demuxOutput } from './exec-stream';
import type { KernelSharing } from './types';

export const BOOT_ID_PATH = '/proc/sys/kernel/random/boot_id';
const BOOT_ID = /\b[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}\b/;
/** Label of the short-lived container that reads the host's boot id (not a sandbox: list() never sees it). */
export const PROBE_LABEL = 'io.ebpf-labs.probe';
/** Creating, starting and reading a container that runs `cat`: about 0.6 s here; 20 s means the engine is stuck. */
const PROBE_TIMEOUT_MS = 20_000;

/** The boot id in `text` (sandbox-prepare's or cat's output), or undefined. */
export function parseBootId(text: string): string | undefined {
  return BOOT_ID.exec(text)?.[0];
}

/** 'shared' when the sandbox reports the host's boot id, 'own' when another; undefined when either is unknown. */
export function kernelSharing(sandboxBootId: string | undefined, hostBootId: string | undefined): KernelSharing | undefined {
  if (!sandboxBootId || !hostBootId) return undefined;
  return sandboxBootId === hostBootId ? 'shared' : 'own';
}

/**
 * The boot id of the engine host's kernel. The engine's info has none, and the engine may be remote, so it is read
 * in a throw-away container of `image` (no network, no capabilities) run by runc, the engine's plain container runtime,
 * whatever runtime the sandboxes use: a container reads its host's boot id. (An engine without runc: its default
 * runtime; if that is a VM runtime, the probe's VM differs from every sandbox's, and sandboxes are reported 'own', as
 * they are.) Removed by the engine when it exits (AutoRemove), even if this server dies meanwhile.
 */
export async function readHostBootId(docker: Docker, image: string, labels: Record<string, string>): Promise<string> {
  const info = (await docker.info()) as { Runtimes?: Record<string, unknown> };
  const container = await docker.createContainer({
    Image: image,
    Entrypoint: ['cat'],
    Cmd: [BOOT_ID_PATH],
    Labels: { ...labels, [PROBE_LABEL]: 'boot-id' },
    AttachStdout: true,
    HostConfig: {
      NetworkMode: 'none',
      AutoRemove: true,
      CapDrop: ['ALL'],
      ...(info.Runtimes?.runc ? { Runtime: 'runc' } : {}),
      LogConfig: { Type: 'none', Config: {} },
    },
  });
  const stream = (await container.attach({ stream: true, stdout: true, stderr: true })) as NodeJS.ReadableStream;
  let out = '';
  const done = new Promise<void>((resolve, reject) => {
    demuxOutput(stream, (which, chunk) => {
      if (which === 'stdout' && out.length < 4096) out += chunk.toString('utf8');
    });
    stream.once('end', resolve);
    stream.once('close', resolve);
    stream.once('error', reject);
  });
  let timer: ReturnType<typeof setTimeout> | undefined;
  try {
    await container.start();
    await Promise.race([
      done,
      new Promise((_, reject) => (timer = setTimeout(() => reject(new Error(`no boot id within ${PROBE_TIMEOUT_MS} ms`)), PROBE_TIMEOUT_MS))),
    ]);
  } catch (err) {
    await container.remove({ force: true }).catch(() => undefined);
    throw err;
  } finally {
    clearTimeout(timer);
  }
  const id = parseBootId(out);
  if (!id) throw new Error(`the boot id probe printed no boot id: ${JSON.stringify(out.slice(0, 200))}`);
  return id;
}
