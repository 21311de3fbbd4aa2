'use client';
// One run: where it ran (kernel, CPUs, proxy, pinning), then, when another run is picked, the comparison, and its
// charts and table.
import { BenchCharts } from './bench-charts';
import { BenchCompare } from './bench-compare';
import type { Mode, RunDetail } from './bench-data';
import { BenchTable } from './bench-table';

export function BenchResult({ current, other }: { current: RunDetail; other?: RunDetail }) {
  const { run, samples, summary } = current;
  const env = run.environment;
  return (
    <div className="bench-result" data-testid="bench-result" data-status={run.status}>
      <p className="muted">
        {run.status === 'failed' ? <strong className="status-text-error">Failed: {run.error} </strong> : null}
        {env
          ? `kernel ${env.kernel} · ${env.cpus} CPUs · proxy ${env.proxy} · ${
              env.pinning === 'none' ? 'unpinned' : `pinned to CPU ${env.pinning}`
            } · acceleration from the ${env.accelPrograms ?? 'reference'} build`
          : null}
        {' · '}
        {samples.length} sample(s)
      </p>
      {other ? <BenchCompare a={other} b={current} /> : null}
      {summary.cells.length ? (
        <>
          <BenchCharts summary={summary} modes={run.config.modes as Mode[]} />
          <BenchTable summary={summary} />
        </>
      ) : null}
    </div>
  );
}
