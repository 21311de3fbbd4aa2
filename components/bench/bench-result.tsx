'use client';
// One run: when and where it ran (kernel, CPUs, proxy, pinning), then, when another run is picked, the comparison,
// and its charts and table.
import { RelativeTime } from '@/components/common/relative-time';
import { proxyName } from '@/components/common/proxy-name';
import { BenchCharts } from './bench-charts';
import { BenchCompare } from './bench-compare';
import type { RunDetail } from './bench-data';
import { BenchTable } from './bench-table';

export function BenchResult({ current, other }: { current: RunDetail; other?: RunDetail }) {
  const { run, samples, summary } = current;
  const env = run.environment;
  // In the lab's order (the summary's), whatever order the learner ticked them in.
  const modes = [...new Set(summary.cells.map((c) => c.mode))];
  return (
    <div className="bench-result" data-testid="bench-result" data-status={run.status}>
      <p className="muted" data-testid="bench-run-facts">
        {run.status === 'failed' ? <strong className="status-text-error">Failed: {run.error} </strong> : null}
        Started <RelativeTime at={run.createdAt} />
        {' · '}
        {env
          ? `kernel ${env.kernel} · ${env.cpus} CPUs · proxy ${proxyName(env.proxy)} · ${
              env.pinning === 'none' ? 'unpinned' : `pinned to CPU ${env.pinning}`
            } · ${summary.roles.accelerated} from the ${env.accelPrograms ?? 'reference'} build`
          : null}
        {' · '}
        {samples.length} sample(s)
      </p>
      {other ? <BenchCompare a={other} b={current} /> : null}
      {summary.cells.length ? (
        <>
          <BenchCharts summary={summary} modes={modes} />
          <BenchTable summary={summary} samples={samples} />
        </>
      ) : null}
    </div>
  );
}
