// The Docker engine as the app sees it: probed at start-up and again (at most every few seconds) while it is down,
// so the app keeps serving pages that explain the problem, and recovers by itself once the engine answers.
import type Docker from 'dockerode';
import type { Config } from '../config';
import { DockerUnavailableError } from '../errors';
import type { Logger } from '../log';
import type { DockerSandboxDriver } from './docker-driver';
import { driverFromConfig, probeEngine, type EngineInfo } from './engine';
import { IMAGE_LABEL } from './image';

/** While the engine is down, pages ask again at most this often (each probe waits up to PROBE_TIMEOUT_MS). */
const REPROBE_INTERVAL_MS = 3000;

export interface EngineReady {
  info: EngineInfo;
  driver: DockerSandboxDriver;
  /** The proxy the sandbox image carries, or undefined when the image is not built. */
  proxy?: string;
}

export class EngineState {
  private ready?: EngineReady;
  private lastError?: DockerUnavailableError;
  private lastProbe = 0;
  private probing?: Promise<EngineReady>;

  constructor(
    private readonly docker: Docker,
    private readonly config: Config,
    private readonly log: Logger,
    private readonly onFirstReady: (ready: EngineReady) => Promise<void>,
  ) {}

  /** The engine, or throws DockerUnavailableError saying what to do. */
  async get(): Promise<EngineReady> {
    if (this.ready) return this.ready;
    if (this.lastError && Date.now() - this.lastProbe < REPROBE_INTERVAL_MS) throw this.lastError;
    this.probing ??= this.probe().finally(() => (this.probing = undefined));
    return this.probing;
  }

  /** For pages: the engine or the error, without throwing. */
  async check(): Promise<{ ok: true; ready: EngineReady } | { ok: false; error: DockerUnavailableError }> {
    try {
      return { ok: true, ready: await this.get() };
    } catch (error) {
      if (error instanceof DockerUnavailableError) return { ok: false, error };
      throw error;
    }
  }

  private async probe(): Promise<EngineReady> {
    this.lastProbe = Date.now();
    try {
      const info = await probeEngine(this.docker, this.config.docker);
      const image = await this.docker
        .getImage(this.config.sandbox.image)
        .inspect()
        .catch(() => undefined);
      const driver = driverFromConfig(this.config, this.docker, info, this.log.child('sandbox'));
      const ready: EngineReady = { info, driver, proxy: image?.Config?.Labels?.[IMAGE_LABEL.proxy] };
      await this.onFirstReady(ready);
      this.ready = ready;
      this.lastError = undefined;
      this.log.info(`Docker ${info.version} (API ${info.apiVersion}), cgroup ${info.cgroupVersion}, proxy ${ready.proxy ?? 'no image'}`);
      return ready;
    } catch (err) {
      if (err instanceof DockerUnavailableError) {
        if (!this.lastError) this.log.warn(err.message, err.hint);
        this.lastError = err;
      }
      throw err;
    }
  }
}
