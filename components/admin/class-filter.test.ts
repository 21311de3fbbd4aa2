import { describe, expect, it } from 'vitest';
import type { LearnerRow } from '@/lib/class/report';
import { failureOf, filterRows, NO_FILTER, sortRows } from './class-filter';

const MIN = 60_000;
const row = (over: Partial<LearnerRow>): LearnerRow => ({
  learner: 'aaaaaaaaaaaaaaaaaaaaaaaa',
  lab: 'tour',
  stepCount: 3,
  doneCount: 0,
  skippedCount: 0,
  complete: false,
  hintsRevealed: 0,
  solutionsShown: 0,
  sandbox: { state: 'none' },
  ...over,
});

const ann = row({ learner: 'a1'.padEnd(24, '0'), displayName: 'Ann', step: '02-b', stepNumber: 2, onStepSince: 0, lastCheck: { passed: false, message: 'x', reason: 'WRONG', at: 5 } });
const bob = row({ learner: 'b2'.padEnd(24, '0'), lab: 'proxy', step: '01-a', stepNumber: 1, onStepSince: 55 * MIN, sandbox: { state: 'running', cpuCores: 0.5 } });
const cy = row({ learner: 'c3'.padEnd(24, '0'), complete: true, doneCount: 3 });

describe('class filter', () => {
  const now = 60 * MIN;
  it('finds learners stuck longer than a time, failing one reason, in one lab, by name or id', () => {
    expect(filterRows([ann, bob, cy], { ...NO_FILTER, stuckMinutes: 10 }, now)).toEqual([ann]);
    expect(filterRows([ann, bob, cy], { ...NO_FILTER, failing: 'tour/02-b/WRONG' }, now)).toEqual([ann]);
    expect(failureOf(ann)).toBe('tour/02-b/WRONG');
    expect(filterRows([ann, bob, cy], { ...NO_FILTER, lab: 'proxy' }, now)).toEqual([bob]);
    expect(filterRows([ann, bob, cy], { ...NO_FILTER, text: 'ann' }, now)).toEqual([ann]);
    expect(filterRows([ann, bob, cy], { ...NO_FILTER, text: 'c3' }, now)).toEqual([cy]);
  });

  it('sorts by any column, both ways, the complete last by step', () => {
    expect(sortRows([bob, cy, ann], 'onStep', true, now).map((r) => r.displayName ?? r.learner.slice(0, 2))).toEqual(['Ann', 'b2', 'c3']);
    expect(sortRows([cy, bob, ann], 'step', false, now).map((r) => r.learner.slice(0, 2))).toEqual(['b2', 'a1', 'c3']);
    expect(sortRows([ann, bob], 'cpu', true, now)[0]).toBe(bob);
  });
});
