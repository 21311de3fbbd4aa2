import { describe, expect, it } from 'vitest';
import { UsageMeter } from './usage-meter';
import type { SandboxUsage } from './types';

describe('UsageMeter', () => {
  it('turns two readings of CPU time into cores in use, and forgets sandboxes that are gone', async () => {
    const readings = new Map<string, SandboxUsage>([['a', { cpuNs: 0, memoryBytes: 10, at: 1000 }]]);
    const meter = new UsageMeter(async (id) => readings.get(id));
    expect((await meter.sample(['a'])).get('a')).toEqual({ memoryBytes: 10 });
    readings.set('a', { cpuNs: 1.5e9, memoryBytes: 20, at: 3000 }); // 1.5 s of CPU in 2 s
    expect((await meter.sample(['a'])).get('a')).toEqual({ memoryBytes: 20, cpuCores: 0.75 });
    readings.set('a', { cpuNs: 1.6e9, memoryBytes: 20, at: 3100 }); // too soon: the last rate stays
    expect((await meter.sample(['a'])).get('a')?.cpuCores).toBe(0.75);
    expect((await meter.sample([])).size).toBe(0);
    readings.set('a', { cpuNs: 9e9, memoryBytes: 5, at: 9000 });
    expect((await meter.sample(['a'])).get('a')).toEqual({ memoryBytes: 5 }); // a new first reading
  });

  it('skips a sandbox whose reading fails', async () => {
    const meter = new UsageMeter(async () => {
      throw new Error('engine gone');
    });
    expect((await meter.sample(['a'])).size).toBe(0);
  });
});
