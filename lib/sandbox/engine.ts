// Connecting to the Docker engine, and telling the user clearly when there is none.
import Docker from 'dockerode';
import type { Config, DockerConnection } from '../config';
import { DockerUnavailableError } from '../errors';
import type { Logger } from '../log';
import { DockerSandboxDriver } from './docker-driver';

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

/** A local engine answers version and info in milliseconds; three seconds keeps a page waiting no longer than that. */
export const PROBE_TIMEOUT_MS = 3000;

/** Pings the engine; throws DockerUnavailableError (with what to do) when it does not answer. */
export async function probeEngine(docker: Docker, conn: DockerConnection, timeoutMs = PROBE_TIMEOUT_MS): Promise<EngineInfo> {
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

/** The sandbox driver the configuration describes, on an engine already probed (its cgroup version decides). */
export function driverFromConfig(config: Config, docker: Docker, engine: EngineInfo, log?: Logger): DockerSandboxDriver {
  return new DockerSandboxDriver({
    docker,
    image: config.sandbox.image,
    instance: config.instance,
    limits: config.sandbox.limits,
    privileged: config.sandbox.privileged,
    cgroupMode: engine.cgroupVersion,
    runtime: config.sandbox.runtime,
    log,
  });
}

/** Connects to the configured engine, probes it and builds the driver: what every script and test helper needs. */
export async function connectSandboxEngine(config: Config, log?: Logger): Promise<{ docker: Docker; engine: EngineInfo; driver: DockerSandboxDriver }> {
  const docker = connectDocker(config.docker);
  const engine = await probeEngine(docker, config.docker);
  return { docker, engine, driver: driverFromConfig(config, docker, engine, log) };
}
