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
    expect(store.recordCheck('l1', 'lab', '01-a', { passed: false, message: 'not yet' })).toEqual({ newlyDone: false });
    t = 2000;
    expect(store.recordCheck('l1', 'lab', '01-a', { passed: true, message: 'well done' })).toEqual({ newlyDone: true });
    t = 3000;
    expect(store.recordCheck('l1', 'lab', '01-a', { passed: false, message: 'broken again' })).toEqual({ newlyDone: false });
    const p = store.get('l1', 'lab', steps).steps[0]!;
    expect(p).toMatchObject({ status: 'done', doneAt: 2000, lastCheck: { passed: false, message: 'broken again', at: 3000 } });
  });

  it('counts a step solved after revealing its solution as done with help', () => {
    store.revealSolution('l1', 'lab', '02-b');
    store.recordCheck('l1', 'lab', '02-b', { passed: true, message: 'ok' });
    store.recordCheck('l1', 'lab', '01-a', { passed: true, message: 'ok' });
    store.revealSolution('l1', 'lab', '01-a'); // after it was done: does not change how it was done
    const p = store.get('l1', 'lab', steps);
    expect(p.steps.map((s) => s.status)).toEqual(['done', 'done-with-help', 'todo']);
    expect(p.steps[0]!.solutionShown).toBe(true);
  });

  it('reveals hints one at a time, up to the number the step has', () => {
    const two = [{ when: [] }, { when: [] }];
    expect(store.revealHint('l1', 'lab', '01-a', two)).toEqual([0]);
    expect(store.revealHint('l1', 'lab', '01-a', two)).toEqual([0, 1]);
    expect(store.revealHint('l1', 'lab', '01-a', two)).toEqual([0, 1]);
    expect(store.get('l1', 'lab', steps).steps[0]).toMatchObject({ hintsShown: 2, hintsRevealed: [0, 1] });
  });

  it('offers the hint that answers the last failure first, then the general ones in order', () => {
    const hints = [{ when: [] }, { when: ['byte-order'] }, { when: [] }, { when: ['sk-drop'] }];
    store.recordCheck('l1', 'lab', '01-a', { passed: false, message: 'ports swapped', reason: 'byte-order' });
    expect(store.revealHint('l1', 'lab', '01-a', hints)).toEqual([1]);
    expect(store.get('l1', 'lab', steps).steps[0]!.lastCheck).toMatchObject({ passed: false, reason: 'byte-order' });
    expect(store.revealHint('l1', 'lab', '01-a', hints)).toEqual([1, 0]);
    store.recordCheck('l1', 'lab', '01-a', { passed: false, message: 'dropped', reason: 'sk-drop' });
    expect(store.revealHint('l1', 'lab', '01-a', hints)).toEqual([1, 0, 3]);
    expect(store.revealHint('l1', 'lab', '01-a', hints)).toEqual([1, 0, 3, 2]);
  });

  it('lets a pass complete a step only when the steps before it are done or skipped', () => {
    expect(store.recordCheck('l1', 'lab', '02-b', { passed: true, message: 'ok' }, false)).toEqual({ newlyDone: false });
    expect(store.get('l1', 'lab', steps).steps[1]).toMatchObject({ status: 'todo', lastCheck: { passed: true } });
    store.skip('l1', 'lab', ['01-a']);
    expect(store.recordCheck('l1', 'lab', '02-b', { passed: true, message: 'ok' })).toEqual({ newlyDone: true });
    const p = store.get('l1', 'lab', steps);
    expect(p.steps.map((s) => s.status)).toEqual(['skipped', 'done', 'todo']);
    expect(p).toMatchObject({ doneCount: 1, skippedCount: 1, complete: false });
  });

  it('keeps learners apart, remembers the current step, and resets one lab only', () => {
    store.recordCheck('l1', 'lab', '01-a', { passed: true, message: 'ok' });
    store.recordCheck('l1', 'other', '01-a', { passed: true, message: 'ok' });
    store.setCurrentStep('l1', 'lab', '02-b');
    expect(store.get('l2', 'lab', steps).doneCount).toBe(0);
    expect(store.get('l1', 'lab', steps).currentStep).toBe('02-b');
    store.resetLab('l1', 'lab');
    expect(store.get('l1', 'lab', steps)).toMatchObject({ doneCount: 0, currentStep: undefined });
    expect(store.get('l1', 'other', steps).doneCount).toBe(1);
  });

  it('reports complete when every step is done', () => {
    for (const s of steps) store.recordCheck('l1', 'lab', s, { passed: true, message: 'ok' });
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
