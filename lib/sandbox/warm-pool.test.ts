import { mkdtempSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { FakeDriver } from '@/tests/doubles/fake-driver';
import { openDb } from '../db';
import { SandboxManager } from './manager';
import { PoolClaims } from './pool-claims';
import { WarmPool } from './warm-pool';

function setup(opts: { targets: Record<string, number>; max?: number; image?: string }) {
  const driver = new FakeDriver();
  const claims = new PoolClaims(openDb(mkdtempSync(path.join(os.tmpdir(), 'pool-'))));
  const prepared: string[] = [];
  const shells = new Set<string>();
  let image = opts.image;
  const learners = (): number => manager.list().length;
  const pool: WarmPool = new WarmPool({
    driver,
    targets: opts.targets,
    prepare: async (s, lab) => void prepared.push(`${s.id}:${lab}`),
    hasRoom: () => learners() + pool.size < (opts.max ?? 10),
    imageId: async () => image,
    claims,
    shells: { open: (id) => void shells.add(id), close: (id) => void shells.delete(id) },
    refillGapMs: 0,
  });
  const manager = new SandboxManager({ driver, maxSandboxes: opts.max ?? 10, warm: pool, claimOf: (id) => claims.ownerOf(id) });
  const fill = async () => {
    for (let i = 0; i < 20; i++) await pool.refill();
  };
  return { driver, claims, prepared, shells, pool, manager, fill, setImage: (i: string) => (image = i) };
}

describe('WarmPool', () => {
  it('keeps each lab at its target, prepared, and hands a sandbox to one learner only', async () => {
    const t = setup({ targets: { tour: 2, proxy: 1 } });
    await t.fill();
    expect(t.pool.state()).toEqual([
      { lab: 'proxy', ready: 1, target: 1 },
      { lab: 'tour', ready: 2, target: 2 },
    ]);
    expect(t.prepared).toHaveLength(3);
    const [a, b] = await Promise.all([t.manager.start('l1', 'tour'), t.manager.start('l2', 'tour')]);
    expect(a.id).not.toBe(b.id);
    expect(t.prepared).toContain(`${a.id}:tour`);
    expect(a.owner).toBe('l1');
    expect(t.claims.ownerOf(a.id)).toEqual({ owner: 'l1', lab: 'tour' });
    expect(t.driver.created).toBe(3); // both came from the pool
    expect(t.manager.ownedBy('l1', a.id)).toBeDefined();
    expect((await t.manager.find('l1', 'tour'))?.owner).toBe('l1');
    await t.fill();
    expect(t.pool.state().find((s) => s.lab === 'tour')?.ready).toBe(2);
  });

  it('creates a sandbox when the pool has none of the lab, giving up a pool sandbox when the server is full', async () => {
    const t = setup({ targets: { proxy: 2 }, max: 2 });
    await t.fill();
    expect(t.pool.size).toBe(2);
    const s = await t.manager.start('l1', 'tour');
    expect(s.lab).toBe('tour');
    expect(t.pool.size).toBe(1);
    expect(t.manager.list().length + t.pool.size).toBe(2);
    await t.fill(); // no room: stays at one
    expect(t.pool.size).toBe(1);
  });

  it('replaces ready sandboxes of an older image', async () => {
    const t = setup({ targets: { tour: 1 }, image: 'sha256:old' });
    t.driver.create = ((create) => async (spec) => ({ ...(await create(spec)), imageId: 'sha256:old' }))(t.driver.create.bind(t.driver));
    await t.fill();
    const first = t.pool.state()[0]!;
    expect(first.ready).toBe(1);
    const oldId = [...t.driver.sandboxes.keys()][0]!;
    t.setImage('sha256:new');
    await t.pool.refill();
    expect(t.driver.destroyed).toContain(oldId);
    expect(t.pool.size).toBe(1);
  });

  it('after a restart: a claimed pool sandbox is its learner\'s again, an unclaimed one rejoins the pool', async () => {
    const t = setup({ targets: { tour: 2 } });
    await t.fill();
    const mine = await t.manager.start('l1', 'tour');
    await t.fill();
    const reopened: string[] = [];
    const restarted = new WarmPool({
      driver: t.driver,
      targets: { tour: 1 },
      prepare: async () => undefined,
      hasRoom: () => true,
      imageId: async () => undefined,
      claims: t.claims,
      shells: { open: (id) => void reopened.push(id), close: () => undefined },
    });
    const m2 = new SandboxManager({ driver: t.driver, maxSandboxes: 10, warm: restarted, claimOf: (id) => t.claims.ownerOf(id) });
    const r = await m2.reconcile(() => true);
    expect(r.adopted).toBe(1);
    expect(m2.ownedBy('l1', mine.id)).toBeDefined();
    expect(restarted.size).toBe(1);
    expect(reopened).toHaveLength(1); // the rejoined one's shell, kept by its sandbox, is attached again
    expect(reopened).not.toContain(mine.id);
    expect(r.removed).toBe(1); // two ready, one wanted
  });

  it('keeps a shell open in each waiting sandbox, hands it over with the sandbox, and closes it before a removal', async () => {
    const t = setup({ targets: { tour: 2, proxy: 1 }, max: 3, image: 'sha256:old' });
    let imageNow = 'sha256:old';
    t.driver.create = ((create) => async (spec) => ({ ...(await create(spec)), imageId: imageNow }))(t.driver.create.bind(t.driver));
    await t.fill();
    expect([...t.shells].sort()).toEqual([...t.driver.sandboxes.keys()].sort());
    const mine = await t.manager.start('l1', 'tour');
    expect(t.shells).toContain(mine.id); // the learner's page attaches to it
    t.pool.setTargets({ tour: 0, proxy: 1 }); // the tour lab's other one goes
    t.setImage((imageNow = 'sha256:new'));
    await t.pool.refill(); // the proxy lab's sandbox is of the old image: replaced
    await t.fill();
    expect(await t.pool.shrink()).toBe(true); // room for a learner's new sandbox
    expect(t.driver.destroyed).toHaveLength(3);
    for (const id of t.driver.destroyed) expect(t.shells).not.toContain(id);
    await t.fill();
    expect([...t.shells].sort()).toEqual([...t.driver.sandboxes.keys()].sort());
  });

  it('a learner whose claimed sandbox is found at restart but not kept loses it', async () => {
    const t = setup({ targets: { tour: 1 } });
    await t.fill();
    const mine = await t.manager.start('l1', 'tour');
    const m2 = new SandboxManager({ driver: t.driver, maxSandboxes: 10, claimOf: (id) => t.claims.ownerOf(id) });
    await m2.reconcile(() => false);
    expect(t.driver.destroyed).toContain(mine.id);
  });
});
