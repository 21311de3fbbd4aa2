// Real sandboxes for integration tests: a driver on the real engine, under the "test" instance label so a running
// dev server never sees them, and a tracker that removes whatever a test file created.
import type Docker from 'dockerode';
import { loadConfig } from '@/lib/config';
import type { DockerSandboxDriver } from '@/lib/sandbox/docker-driver';
import { connectSandboxEngine, type EngineInfo } from '@/lib/sandbox/engine';
import type { Sandbox, SandboxSpec } from '@/lib/sandbox/types';

export const TEST_INSTANCE = 'test';

/** A driver on the configured engine that sees only the sandboxes labelled with `instance`. */
export async function testDriver(
  instance = TEST_INSTANCE,
): Promise<{ driver: DockerSandboxDriver; docker: Docker; engine: EngineInfo; track: Tracker }> {
  const config = loadConfig({ ...process.env, EBPF_LABS_INSTANCE: instance });
  const { docker, engine, driver } = await connectSandboxEngine(config);
  return { driver, docker, engine, track: new Tracker(driver) };
}

export class Tracker {
  private readonly ids = new Set<string>();
  constructor(private readonly driver: DockerSandboxDriver) {}
  async create(spec: Partial<SandboxSpec> = {}): Promise<Sandbox> {
    const s = await this.driver.create({ owner: 'test', lab: 'test', purpose: 'test', ...spec });
    this.ids.add(s.id);
    return s;
  }
  async cleanup(): Promise<void> {
    await Promise.all([...this.ids].map((id) => this.driver.destroy(id).catch(() => undefined)));
    this.ids.clear();
  }
}

export async function waitFor<T>(fn: () => Promise<T | undefined | false>, timeoutMs = 5000, stepMs = 100): Promise<T> {
  const until = Date.now() + timeoutMs;
  for (;;) {
    const v = await fn();
    if (v) return v;
    if (Date.now() > until) throw new Error(`condition not met within ${timeoutMs} ms`);
    await new Promise((r) => setTimeout(r, stepMs));
  }
}
