import { afterEach, describe, expect, it } from 'vitest';
import { silentLogger } from '../log';
import type { CapacityEvent } from './events';
import { IdleReaper } from './idle-reaper';

const MIN = 60_000;

function setup() {
  let t = 0;
  const running = new Set(['ann/lab', 'bob/lab']);
  const busy = new Set<string>();
  const events: string[] = [];
  const stopped: string[] = [];
  const reaper = new IdleReaper({
    idleMs: 60 * MIN,
    warnMs: 5 * MIN,
    events: { publish: (owner: string, lab: string, e: CapacityEvent) => events.push(`${owner}/${lab} ${JSON.stringify(e)}`) },
    running: () => [...running].map((k) => ({ owner: k.split('/')[0]!, lab: k.split('/')[1]! })),
    busy: (owner, lab) => busy.has(`${owner}/${lab}`),
    stop: async (owner, lab) => {
      stopped.push(`${owner}/${lab}`);
      running.delete(`${owner}/${lab}`);
    },
    log: silentLogger,
    now: () => t,
    sweepIntervalMs: 1e9,
  });
  return { reaper, events, stopped, busy, at: (ms: number) => (t = ms) };
}

let close: (() => void) | undefined;
afterEach(() => close?.());

describe('IdleReaper', () => {
  it('warns before it stops a sandbox nobody used, and stops only that one', async () => {
    const { reaper, events, stopped, at } = setup();
    close = () => reaper.close();
    await reaper.sweep(); // both first seen at 0
    at(30 * MIN);
    reaper.touch('bob', 'lab');
    at(56 * MIN);
    await reaper.sweep();
    expect(events).toEqual([`ann/lab {"type":"idle","stopsAt":${60 * MIN}}`]);
    at(60 * MIN);
    expect(await reaper.sweep()).toEqual(['ann\0lab']);
    expect(stopped).toEqual(['ann/lab']);
    expect(events.at(-1)).toBe('ann/lab {"type":"sandbox-stopped","reason":"idle","idleMinutes":60}');
    expect(reaper.nextStopInS()).toBe(30 * 60); // bob's, used at 30 min
  });

  it('a touch after the warning keeps the sandbox and clears the warning', async () => {
    const { reaper, events, stopped, at } = setup();
    close = () => reaper.close();
    await reaper.sweep();
    at(56 * MIN);
    await reaper.sweep();
    reaper.touch('ann', 'lab');
    expect(events.at(-1)).toBe('ann/lab {"type":"idle","stopsAt":null}');
    at(61 * MIN);
    await reaper.sweep();
    expect(stopped).toEqual(['bob/lab']);
  });

  it('counts a running benchmark as use', async () => {
    const { reaper, stopped, busy, at } = setup();
    close = () => reaper.close();
    busy.add('ann/lab');
    await reaper.sweep();
    at(90 * MIN);
    await reaper.sweep();
    expect(stopped).toEqual(['bob/lab']);
  });
});
