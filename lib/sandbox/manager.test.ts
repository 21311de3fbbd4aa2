import { describe, expect, it } from 'vitest';
import { FakeDriver } from '@/tests/doubles/fake-driver';
import { SandboxManager, statusToJson } from './manager';

describe('SandboxManager', () => {
  it('creates one sandbox per learner and lab, even when asked twice at once', async () => {
    const driver = new FakeDriver();
    driver.createDelayMs = 20;
    const m = new SandboxManager({ driver, maxSandboxes: 5 });
    const [a, b] = await Promise.all([m.start('l1', 'tour'), m.start('l1', 'tour')]);
    expect(a.id).toBe(b.id);
    expect(driver.created).toBe(1);
    expect((await m.start('l1', 'other')).id).not.toBe(a.id);
    expect(m.status('l1', 'tour')).toMatchObject({ state: 'running' });
    expect(m.ownedBy('l1', a.id)?.id).toBe(a.id);
    expect(m.ownedBy('l2', a.id)).toBeUndefined();
  });

  it('notices a sandbox that died and starts a new one', async () => {
    const driver = new FakeDriver();
    const m = new SandboxManager({ driver, maxSandboxes: 5 });
    const first = await m.start('l1', 'tour');
    driver.sandboxes.get(first.id)!.running = false;
    const second = await m.start('l1', 'tour');
    expect(second.id).not.toBe(first.id);
    expect(driver.destroyed).toContain(first.id);
  });

  it('refuses new sandboxes past the limit, saying what to do', async () => {
    const m = new SandboxManager({ driver: new FakeDriver(), maxSandboxes: 1 });
    await m.start('l1', 'a');
    await expect(m.start('l2', 'a')).rejects.toMatchObject({ code: 'server_full' });
  });

  it('destroys the sandbox when the lab setup fails, and reports the error', async () => {
    const driver = new FakeDriver();
    const m = new SandboxManager({
      driver,
      maxSandboxes: 5,
      onCreated: async () => {
        throw Object.assign(new Error('setup failed'), { code: 'lab_setup_failed' });
      },
    });
    await expect(m.start('l1', 'a')).rejects.toThrow('setup failed');
    expect(driver.sandboxes.size).toBe(0);
    expect(m.status('l1', 'a').state).toBe('error');
  });

  it('stops and forgets', async () => {
    const driver = new FakeDriver();
    const m = new SandboxManager({ driver, maxSandboxes: 5 });
    const s = await m.start('l1', 'a');
    expect(await m.stop('l1', 'a')).toBe(true);
    expect(driver.destroyed).toEqual([s.id]);
    expect(m.status('l1', 'a').state).toBe('none');
    expect(await m.stop('l1', 'a')).toBe(false);
  });

  it('adopts running learner sandboxes it is told to keep and removes the rest at start-up', async () => {
    const driver = new FakeDriver();
    const keep = await driver.create({ owner: 'known', lab: 'a' });
    const stranger = await driver.create({ owner: 'stranger', lab: 'a' });
    const tool = await driver.create({ owner: 'known', lab: 'b', purpose: 'test' });
    const m = new SandboxManager({ driver, maxSandboxes: 5 });
    expect(await m.reconcile((s) => s.owner === 'known')).toEqual({ adopted: 1, removed: 2 });
    expect(driver.destroyed.sort()).toEqual([stranger.id, tool.id].sort());
    expect((await m.find('known', 'a'))?.id).toBe(keep.id);
  });

  it("shows the browser whether the sandbox shares the host's kernel, once that is known", () => {
    const sandbox = { id: 'x', owner: 'o', lab: 'l', purpose: 'learner', createdAt: new Date(0), running: true, proxy: 'envoy' };
    expect(statusToJson({ state: 'running', sandbox: { ...sandbox, kernel: 'own' } })).toEqual({
      state: 'running',
      sandbox: { id: 'x', proxy: 'envoy', createdAt: '1970-01-01T00:00:00.000Z', kernel: 'own' },
    });
    expect(statusToJson({ state: 'running', sandbox })).toEqual({
      state: 'running',
      sandbox: { id: 'x', proxy: 'envoy', createdAt: '1970-01-01T00:00:00.000Z' },
    });
  });

  it('learns the kernel of a sandbox it adopted when it looks it up', async () => {
    const driver = new FakeDriver();
    const s = await driver.create({ owner: 'known', lab: 'a' });
    const m = new SandboxManager({ driver, maxSandboxes: 5 });
    await m.reconcile(() => true);
    expect(statusToJson(m.status('known', 'a'))).not.toHaveProperty('sandbox.kernel');
    driver.sandboxes.get(s.id)!.kernel = 'shared';
    await m.find('known', 'a');
    expect(statusToJson(m.status('known', 'a'))).toMatchObject({ sandbox: { kernel: 'shared' } });
  });
});
