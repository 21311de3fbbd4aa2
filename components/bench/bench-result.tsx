'use client';
// One run: when and where it ran (kernel, CPUs, proxy, pinning), then, when another run is picked, the comparison,
// and its charts and table.
import { RelativeTime } from '@/components/common/relative-time';
import { proxyName } from '@/components/common/proxy-name';
import { BenchCharts } from './bench-charts';
import { BenchCompare } from './bench-compare';
import type { Mode, RunDetail } from './bench-data';
import { BenchTable } from './bench-table';

export function BenchResult({ current, other }: { current: RunDetail; other?: RunDetail }) {
  const { run, samples, summary } = current;
  const env = run.environment;
  return (
    <div className="bench-result" data-testid="bench-result" data-status={run.status}>
      <p className="muted" data-testid="bench-run-facts">
        {run.status === 'failed' ? <strong className="status-text-error">Failed: {run.error} </strong> : null}
        Started <RelativeTime at={run.createdAt} />
        {' · '}
        {env
          ? `kernel ${env.kernel} · ${env.cpus} CPUs · proxy ${proxyName(env.proxy)} · ${
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
