import { describe, expect, it } from 'vitest';
import { SandboxSlots } from './sandbox-slots';

/** A job that runs until finish() is called, recording when it starts. */
function job(name: string, started: string[]) {
  let finish!: () => void;
  const done = new Promise<void>((r) => (finish = r));
  return { fn: async () => { started.push(name); await done; }, finish: () => finish() };
}

const tick = () => new Promise((r) => setTimeout(r, 0));

describe('SandboxSlots', () => {
  it('runs at most size jobs at once, then the waiting ones by priority, in the order they asked', async () => {
    const slots = new SandboxSlots(2);
    const started: string[] = [];
    const jobs = Object.fromEntries(['a', 'b', 'late-mistake', 'walk', 'early-mistake'].map((n) => [n, job(n, started)]));
    const runs = [slots.run(1, jobs.a!.fn), slots.run(1, jobs.b!.fn), slots.run(1, jobs['late-mistake']!.fn), slots.run(0, jobs.walk!.fn)];
    runs.push(slots.run(1, jobs['early-mistake']!.fn));
    await tick();
    expect(started).toEqual(['a', 'b']);
    jobs.a!.finish();
    await tick();
    expect(started).toEqual(['a', 'b', 'walk']);
    jobs.b!.finish();
    await tick();
    expect(started).toEqual(['a', 'b', 'walk', 'late-mistake']);
    for (const j of Object.values(jobs)) j.finish();
    await Promise.all(runs);
    expect(started).toEqual(['a', 'b', 'walk', 'late-mistake', 'early-mistake']);
  });

  it('holds a heavier job\'s slots free for it: the jobs behind it wait', async () => {
    const slots = new SandboxSlots(3);
    const started: string[] = [];
    const jobs = Object.fromEntries(['a', 'b', 'walk', 'c'].map((n) => [n, job(n, started)]));
    const runs = [slots.run(1, jobs.a!.fn), slots.run(1, jobs.b!.fn), slots.run(0, jobs.walk!.fn, 2), slots.run(1, jobs.c!.fn)];
    await tick();
    expect(started).toEqual(['a', 'b']); // c may not pass the walk waiting for two slots
    jobs.a!.finish();
    await tick();
    expect(started).toEqual(['a', 'b', 'walk']);
    jobs.b!.finish();
    await tick();
    expect(started).toEqual(['a', 'b', 'walk', 'c']);
    jobs.walk!.finish();
    jobs.c!.finish();
    await Promise.all(runs);
  });

  it('frees the slot of a job that throws', async () => {
    const slots = new SandboxSlots(1);
    await expect(slots.run(0, async () => { throw new Error('boom'); })).rejects.toThrow('boom');
    expect(await slots.run(0, async () => 'next')).toBe('next');
  });
});
