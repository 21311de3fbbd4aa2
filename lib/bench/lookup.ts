// Benchmark runs for route handlers: the learner's own, or a 404.
import { AppError } from '../errors';
import { getServices } from '../services';
import type { RunRecord } from './types';

export function ownRunOrThrow(learner: string, id: string): RunRecord {
  const run = getServices().benchStore.getRun(id);
  if (!run || run.learner !== learner) {
    throw new AppError('run_not_found', 'There is no such benchmark run.', { status: 404, hint: 'It may have been deleted.' });
  }
  return run;
}
