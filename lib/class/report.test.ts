import { describe, expect, it } from 'vitest';
import type { LabProgress, StepProgress } from '../progress/types';
import { classCsv, classReport, type ClassLab } from './report';

const MIN = 60_000;
const lab: ClassLab = {
  slug: 'tour',
  title: 'Tour',
  steps: [
    { id: '01-a', title: 'A' },
    { id: '02-b', title: 'B' },
    { id: '03-c', title: 'C' },
  ],
};

function step(id: string, over: Partial<StepProgress> = {}): StepProgress {
  return { step: id, status: 'todo', hintsShown: 0, hintsRevealed: [], solutionShown: false, ...over };
}

function progress(steps: StepProgress[]): LabProgress {
  const doneCount = steps.filter((s) => s.status === 'done' || s.status === 'done-with-help').length;
  const skippedCount = steps.filter((s) => s.status === 'skipped').length;
  return { lab: 'tour', steps, doneCount, skippedCount, complete: doneCount + skippedCount === steps.length, lastActivity: 50 * MIN };
}

describe('classReport', () => {
  const entries = [
    // ann: A in 10 min, B in 20, stuck on C failing with a reason, one hint.
    {
      learner: 'ann',
      displayName: 'Ann',
      startedAt: 0,
      progress: progress([
        step('01-a', { status: 'done', doneAt: 10 * MIN }),
        step('02-b', { status: 'done-with-help', doneAt: 30 * MIN, hintsShown: 1, hintsRevealed: [0], solutionShown: true }),
        step('03-c', { lastCheck: { passed: false, message: 'map has the wrong type', reason: 'WRONG_TYPE', at: 40 * MIN } }),
      ]),
    },
    // bob: A in 30 min, on B with a failure without a reason code.
    {
      learner: 'bob',
      startedAt: 5 * MIN,
      progress: progress([step('01-a', { status: 'done', doneAt: 35 * MIN }), step('02-b', { lastCheck: { passed: false, message: 'nothing listens\nsecond line', at: 36 * MIN } }), step('03-c')]),
    },
    // cy: skipped A, on B failing like nobody else; dee: on C with the same reason as ann.
    {
      learner: 'cy',
      startedAt: 0,
      progress: progress([step('01-a', { status: 'skipped' }), step('02-b'), step('03-c')]),
    },
    {
      learner: 'dee',
      startedAt: 0,
      progress: progress([
        step('01-a', { status: 'done', doneAt: 20 * MIN }),
        step('02-b', { status: 'done', doneAt: 30 * MIN }),
        step('03-c', { lastCheck: { passed: false, message: 'wrong type again', reason: 'WRONG_TYPE', at: 41 * MIN } }),
      ]),
    },
  ];
  const report = classReport([lab], entries, (learner) => (learner === 'ann' ? { state: 'running', id: 's1', cpuCores: 0.2, memoryBytes: 1e7 } : { state: 'none' }), 60 * MIN);

  it('puts each learner on their first open step, since the previous one was done', () => {
    const ann = report.learners.find((r) => r.learner === 'ann')!;
    expect(ann).toMatchObject({ displayName: 'Ann', step: '03-c', stepTitle: 'C', stepNumber: 3, stepCount: 3, onStepSince: 30 * MIN, hintsRevealed: 1, solutionsShown: 1 });
    expect(ann.lastCheck?.reason).toBe('WRONG_TYPE');
    expect(ann.sandbox).toEqual({ state: 'running', id: 's1', cpuCores: 0.2, memoryBytes: 1e7 });
    expect(report.learners.find((r) => r.learner === 'bob')).toMatchObject({ step: '02-b', onStepSince: 35 * MIN });
    expect(report.learners.find((r) => r.learner === 'cy')).toMatchObject({ step: '02-b', onStepSince: 0, skippedCount: 1 });
  });

  it('counts per step who passed, the median time it took, who works on it and why they fail, most common first', () => {
    const [a, b, c] = report.steps;
    expect(a).toMatchObject({ step: '01-a', passed: 3, working: 0, medianMs: 20 * MIN });
    expect(b).toMatchObject({ step: '02-b', passed: 2, working: 2, medianMs: 15 * MIN, failures: [{ reason: 'nothing listens', coded: false, count: 1 }] });
    expect(c).toMatchObject({ step: '03-c', passed: 0, working: 2, failures: [{ reason: 'WRONG_TYPE', coded: true, count: 2 }] });
    expect(c!.medianMs).toBeUndefined();
  });

  it('exports CSV a spreadsheet cannot turn into a formula', () => {
    const evil = classReport([lab], [{ ...entries[1]!, displayName: '=HYPERLINK("http://x")' }], () => ({ state: 'none' }), 60 * MIN);
    const csv = classCsv(evil);
    const [header, row] = csv.trimEnd().split('\r\n');
    expect(header!.split(',')[0]).toBe('learner');
    expect(row).toContain(`"'=HYPERLINK(""http://x"")"`);
    expect(row).toContain('nothing listens');
    expect(row).not.toContain('second line');
    expect(row).toContain(',25,'); // minutes on the step
  });
});
