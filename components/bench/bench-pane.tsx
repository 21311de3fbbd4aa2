'use client';
// The Benchmarks pane: run a benchmark in the sandbox (modes, sizes, repetitions, duration, pinning), follow it live
// (mode, size, repetition, time left) or cancel it, chart any run, compare two, export them.
import { ApiErrorView } from '@/components/common/api-error';
import type { BenchEvent } from '@/lib/bench/types';
import { BenchForm } from './bench-form';
import { BenchProgressBar } from './bench-progress';
import { BenchResult } from './bench-result';
import { BenchRunList } from './bench-run-list';
import { useBenchRuns } from './use-bench-runs';

export function BenchPane({ lab, modes, sandboxRunning, event }: { lab: string; modes?: string[]; sandboxRunning: boolean; event?: BenchEvent }) {
  const runs = useBenchRuns(lab, event);
  const running = event?.status === 'running' ? event : undefined;
  return (
    <section className="bench-pane" aria-label="Benchmarks" data-testid="bench-pane">
      <BenchForm disabled={!sandboxRunning || !!running} modes={modes} onRun={(config) => void runs.start(config)} />
      {runs.error ? <ApiErrorView error={runs.error} /> : null}
      {running?.progress ? <BenchProgressBar progress={running.progress} onCancel={() => void runs.cancel(running.runId)} /> : null}
      {runs.runs.length ? (
        <BenchRunList
          runs={runs.runs}
          selected={runs.selected}
          compareWith={runs.compareWith}
          deletable={runs.current?.run.status !== 'running'}
          onSelect={runs.select}
          onCompareWith={runs.setCompareWith}
          onDelete={(id) => void runs.remove(id)}
        />
      ) : (
        <p className="muted">No benchmark yet. The defaults measure every mode at four message sizes, three times each.</p>
      )}
      {runs.current ? <BenchResult current={runs.current} other={runs.other} /> : null}
    </section>
  );
}
