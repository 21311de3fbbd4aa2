import { describe, expect, it } from 'vitest';
import { ClassFeed, FEED_HISTORY } from './feed';

const check = (over: Record<string, unknown>) => ({ type: 'check' as const, step: '01-a', passed: false, message: 'no\nmore', trigger: 'poll' as const, durationMs: 5, newlyDone: false, ...over });

describe('ClassFeed', () => {
  it('tells failures and completions, not repeated passes or other events, first line only', () => {
    const feed = new ClassFeed(() => 7);
    const got: unknown[] = [];
    feed.subscribe((i) => got.push(i));
    feed.fromLabEvent('l1', 'tour', check({ reason: 'NOPE' }));
    feed.fromLabEvent('l1', 'tour', check({ passed: true }));
    feed.fromLabEvent('l1', 'tour', check({ passed: true, newlyDone: true }));
    feed.fromLabEvent('l1', 'tour', { type: 'idle', stopsAt: null });
    expect(got).toEqual([
      { at: 7, learner: 'l1', lab: 'tour', kind: 'check', step: '01-a', passed: false, reason: 'NOPE', text: 'no' },
      { at: 7, learner: 'l1', lab: 'tour', kind: 'check', step: '01-a', passed: true, text: 'finished 01-a' },
    ]);
  });

  it('tells a failure once while it stays the same (polling repeats it), again when it changes or after a pass', () => {
    const feed = new ClassFeed(() => 7);
    const got: { learner?: string; reason?: string; passed?: boolean }[] = [];
    feed.subscribe((i) => got.push(i));
    feed.fromLabEvent('l1', 'tour', check({ reason: 'NOPE' }));
    feed.fromLabEvent('l1', 'tour', check({ reason: 'NOPE' }));
    feed.fromLabEvent('l2', 'tour', check({ reason: 'NOPE' }));
    feed.fromLabEvent('l1', 'tour', check({ reason: 'OTHER' }));
    feed.fromLabEvent('l1', 'tour', check({ reason: 'NOPE' }));
    feed.fromLabEvent('l1', 'tour', check({ passed: true }));
    feed.fromLabEvent('l1', 'tour', check({ reason: 'NOPE' }));
    expect(got.map((i) => `${i.learner} ${i.reason}`)).toEqual(['l1 NOPE', 'l2 NOPE', 'l1 OTHER', 'l1 NOPE', 'l1 NOPE']);
  });

  it('keeps the last items for a view that opens, and survives a listener that throws', () => {
    const feed = new ClassFeed();
    feed.subscribe(() => {
      throw new Error('socket gone');
    });
    for (let i = 0; i < FEED_HISTORY + 5; i++) feed.add({ kind: 'action', text: `a${i}` });
    expect(feed.history()).toHaveLength(FEED_HISTORY);
    expect(feed.history()[0]!.text).toBe('a5');
  });
});
