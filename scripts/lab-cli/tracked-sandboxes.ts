// The sandboxes a `lab test` run has made and not removed yet, so that stopping the run (Ctrl+C, a CI timeout's
// SIGTERM) removes them too instead of leaving them on the engine.
import type { SandboxDriver } from '../../lib/sandbox/types';

export function trackSandboxes(driver: SandboxDriver): { driver: SandboxDriver; removeAll(): Promise<number> } {
  const live = new Set<string>();
  const tracked: SandboxDriver = Object.assign(Object.create(driver) as SandboxDriver, {
    create: async (...args: Parameters<SandboxDriver['create']>) => {
      const sandbox = await driver.create(...args);
      live.add(sandbox.id);
      return sandbox;
    },
    destroy: async (id: string) => {
      live.delete(id);
      return driver.destroy(id);
    },
  });
  const removeAll = async () => {
    const ids = [...live];
    live.clear();
    await Promise.allSettled(ids.map((id) => driver.destroy(id)));
    return ids.length;
  };
  return { driver: tracked, removeAll };
}
