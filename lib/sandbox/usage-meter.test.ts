import { describe, expect, it } from 'vitest';
import { UsageMeter } from './usage-meter';
import type { SandboxUsage } from './types';

describe('UsageMeter', () => {
  it('turns two readings of CPU time into cores in use, and forgets sandboxes that are gone', async () => {
    const readings = new Map<string, SandboxUsage>([['a', { cpuNs: 0, memoryBytes: 10, at: 1000 }]]);
    let clock = 1000;
    const meter = new UsageMeter(async (id) => readings.get(id), () => clock);
    expect((await meter.sample(['a'])).get('a')).toEqual({ memoryBytes: 10 });
    readings.set('a', { cpuNs: 1.5e9, memoryBytes: 20, at: (clock = 3000) }); // 1.5 s of CPU in 2 s
    expect((await meter.sample(['a'])).get('a')).toEqual({ memoryBytes: 20, cpuCores: 0.75 });
    readings.set('a', { cpuNs: 1.6e9, memoryBytes: 20, at: (clock = 3100) }); // too soon: the last rate stays
    expect((await meter.sample(['a'])).get('a')?.cpuCores).toBe(0.75);
    expect((await meter.sample([])).size).toBe(0);
    readings.set('a', { cpuNs: 9e9, memoryBytes: 5, at: (clock = 9000) });
    expect((await meter.sample(['a'])).get('a')).toEqual({ memoryBytes: 5 }); // a new first reading
  });

  it('shares readings: two pages refreshing at once, or one right after the other, read each sandbox once', async () => {
    let clock = 0;
    let reads = 0;
    let release!: () => void;
    const gate = new Promise<void>((r) => (release = r));
    const meter = new UsageMeter(async () => {
      reads++;
      await gate;
      return { cpuNs: reads * 1e9, memoryBytes: 10, at: clock };
    }, () => clock);
    const both = Promise.all([meter.sample(['a', 'b']), meter.sample(['a', 'b'])]);
    release();
    const [first, second] = await both;
    expect(reads).toBe(2); // a and b, once each
    expect(second).toEqual(first);
    clock = 100;
    await meter.sample(['a']);
    expect(reads).toBe(2); // a reading 100 ms old is used again
    clock = 1000;
    await meter.sample(['a']);
    expect(reads).toBe(3);
  });

  it('skips a sandbox whose reading fails', async () => {
    const meter = new UsageMeter(async () => {
      throw new Error('engine gone');
    });
    expect((await meter.sample(['a'])).size).toBe(0);
  });
});
