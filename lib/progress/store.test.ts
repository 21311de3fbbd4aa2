import Database from 'better-sqlite3';
import { beforeEach, describe, expect, it } from 'vitest';
import { migrate } from '../db';
import { ProgressStore } from './store';

let t = 1000;
let store: ProgressStore;
const steps = ['01-a', '02-b', '03-c'];

beforeEach(() => {
  const db = new Database(':memory:');
  db.pragma('foreign_keys = ON');
  migrate(db);
  t = 1000;
  store = new ProgressStore(db, () => t);
});

describe('ProgressStore', () => {
  it('starts with every step to do', () => {
    expect(store.get('l1', 'lab', steps)).toMatchObject({ doneCount: 0, complete: false, steps: steps.map((s) => ({ step: s, status: 'todo' })) });
  });

  it('marks a step done at its first passing check, and keeps it done', () => {
    expect(store.recordCheck('l1', 'lab', '01-a', false, 'not yet')).toEqual({ newlyDone: false });
    t = 2000;
    expect(store.recordCheck('l1', 'lab', '01-a', true, 'well done')).toEqual({ newlyDone: true });
    t = 3000;
    expect(store.recordCheck('l1', 'lab', '01-a', false, 'broken again')).toEqual({ newlyDone: false });
    const p = store.get('l1', 'lab', steps).steps[0]!;
    expect(p).toMatchObject({ status: 'done', doneAt: 2000, lastCheck: { passed: false, message: 'broken again', at: 3000 } });
  });

  it('counts a step solved after revealing its solution as done with help', () => {
    store.revealSolution('l1', 'lab', '02-b');
    store.recordCheck('l1', 'lab', '02-b', true, 'ok');
    store.recordCheck('l1', 'lab', '01-a', true, 'ok');
    store.revealSolution('l1', 'lab', '01-a'); // after it was done: does not change how it was done
    const p = store.get('l1', 'lab', steps);
    expect(p.steps.map((s) => s.status)).toEqual(['done', 'done-with-help', 'todo']);
    expect(p.steps[0]!.solutionShown).toBe(true);
  });

  it('reveals hints one at a time, up to the number the step has', () => {
    expect(store.revealHint('l1', 'lab', '01-a', 2)).toBe(1);
    expect(store.revealHint('l1', 'lab', '01-a', 2)).toBe(2);
    expect(store.revealHint('l1', 'lab', '01-a', 2)).toBe(2);
  });

  it('keeps learners apart, remembers the current step, and resets one lab only', () => {
    store.recordCheck('l1', 'lab', '01-a', true, 'ok');
    store.recordCheck('l1', 'other', '01-a', true, 'ok');
    store.setCurrentStep('l1', 'lab', '02-b');
    expect(store.get('l2', 'lab', steps).doneCount).toBe(0);
    expect(store.get('l1', 'lab', steps).currentStep).toBe('02-b');
    store.resetLab('l1', 'lab');
    expect(store.get('l1', 'lab', steps)).toMatchObject({ doneCount: 0, currentStep: undefined });
    expect(store.get('l1', 'other', steps).doneCount).toBe(1);
  });

  it('reports complete when every step is done', () => {
    for (const s of steps) store.recordCheck('l1', 'lab', s, true, 'ok');
    expect(store.get('l1', 'lab', steps).complete).toBe(true);
  });

  it('lists labs active recently', () => {
    store.setCurrentStep('l1', 'lab', '01-a');
    t = 10_000;
    store.setCurrentStep('l2', 'lab', '01-a');
    expect(store.activeLabs(5000)).toEqual([{ learner: 'l2', lab: 'lab' }]);
    expect(store.hasLearner('l1')).toBe(true);
    expect(store.hasLearner('nobody')).toBe(false);
  });
});
