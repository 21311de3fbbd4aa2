'use client';
// The running benchmark: where it is (mode, size, repetition), the time left, and Cancel.
import type { BenchProgress } from '@/lib/bench/types';
import { aboutDuration, sizeLabel } from './bench-data';

export function BenchProgressBar({ progress, onCancel }: { progress: BenchProgress; onCancel(): void }) {
  return (
    <div className="bench-progress" role="status" data-testid="bench-progress">
      <progress max={progress.total} value={progress.index} />
      <span>
        {progress.index + 1}/{progress.total}: {progress.mode}, {sizeLabel(progress.size)}, repetition {progress.rep} — about{' '}
        {aboutDuration(progress.secondsLeft)} left
      </span>
      <button type="button" className="button button-small" onClick={onCancel}>
        Cancel
      </button>
    </div>
  );
}
