import { describe, expect, it } from 'vitest';
import { FakeDriver } from '@/tests/doubles/fake-driver';
import { trackSandboxes } from './tracked-sandboxes';

describe('trackSandboxes', () => {
  it('removes the sandboxes made through it and not removed yet, and only those', async () => {
    const fake = new FakeDriver();
    const other = await fake.create({ owner: 'someone-else', lab: 'x' });
    const { driver, removeAll } = trackSandboxes(fake);
    const a = await driver.create({ owner: 'lab-test', lab: 'x' });
    const b = await driver.create({ owner: 'lab-test', lab: 'x' });
    await driver.destroy(a.id);
    expect(await driver.list()).toHaveLength(2); // the rest of the driver goes through
    expect(await removeAll()).toBe(1);
    expect(fake.destroyed).toEqual([a.id, b.id]);
    expect([...fake.sandboxes.keys()]).toEqual([other.id]);
  });
});
