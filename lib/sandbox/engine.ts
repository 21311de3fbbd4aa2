// Connecting to the Docker engine, and telling the user clearly when there is none.
import Docker from 'dockerode';
import type { DockerConnection } from '../config';
import { DockerUnavailableError } from '../errors';

export function describeConnection(conn: DockerConnection): string {
  return 'socketPath' in conn ? `unix://${conn.socketPath}` : `tcp://${conn.host}:${conn.port}`;
}

export function connectDocker(conn: DockerConnection): Docker {
  return new Docker({ ...conn, timeout: 0 });
}

export interface EngineInfo {
  version: string;
  apiVersion: string;
  cgroupVersion: 'v1' | 'v2';
  kernel: string;
  cpus: number;
}

/** Pings the engine; throws DockerUnavailableError (with what to do) when it does not answer. */
export async function probeEngine(docker: Docker, conn: DockerConnection, timeoutMs = 3000): Promise<EngineInfo> {
  const where = describeConnection(conn);
  const timer = new Promise<never>((_, reject) =>
    setTimeout(() => reject(new Error(`no answer within ${timeoutMs} ms`)), timeoutMs).unref(),
  );
  try {
    const [version, info] = await Promise.race([Promise.all([docker.version(), docker.info()]), timer]);
    return {
      version: version.Version,
      apiVersion: version.ApiVersion,
      cgroupVersion: String(info.CgroupVersion ?? '1') === '2' ? 'v2' : 'v1',
      kernel: info.KernelVersion,
      cpus: info.NCPU,
    };
  } catch (err) {
    throw new DockerUnavailableError(where, err);
  }
}
