'use client';
// The Benchmarks pane: run a benchmark in the sandbox (modes, sizes, repetitions, duration, pinning), follow it live
// (mode, size, repetition, time left) or cancel it, chart any run, compare two, export them.
import { useCallback, useEffect, useMemo, useState } from 'react';
import { ApiErrorView } from '@/components/common/api-error';
import type { ApiError } from '@/components/common/api';
import { DEFAULT_SIZES, MODES, SIZES, estimateSeconds, type BenchConfig } from '@/lib/bench/model';
import type { BenchEvent } from '@/lib/bench/types';
import { BenchCharts } from './bench-charts';
import { BenchCompare } from './bench-compare';
import { api, apiErrorOf } from '@/components/common/api';
import { sizeLabel, type Mode, type RunDetail, type RunRecord } from './bench-data';
import { BenchTable } from './bench-table';


const when = (t: number) => new Date(t).toLocaleString(undefined, { dateStyle: 'short', timeStyle: 'short' });
const mins = (s: number) => (s >= 90 ? `${Math.round(s / 60)} min` : `${Math.round(s)} s`);

export function BenchPane({ lab, sandboxRunning, event }: { lab: string; sandboxRunning: boolean; event?: BenchEvent }) {
  const [runs, setRuns] = useState<RunRecord[]>([]);
  const [selected, setSelected] = useState<string | undefined>();
  const [compareWith, setCompareWith] = useState<string | undefined>();
  const [details, setDetails] = useState<Record<string, RunDetail>>({});
  const [error, setError] = useState<ApiError | undefined>();
  const [config, setConfig] = useState<BenchConfig>({
    modes: [...MODES],
    sizes: DEFAULT_SIZES,
    repetitions: 3,
    durationS: 5,
    pinned: true,
    tools: ['iperf3', 'sockperf'],
  });
  const base = `/api/labs/${encodeURIComponent(lab)}/bench`;

  const loadRuns = useCallback(async () => {
    try {
      const r = await api<{ runs: RunRecord[] }>(base);
      setRuns(r.runs);
      setSelected((s) => s ?? r.runs[0]?.id);
    } catch (e) {
      setError(apiErrorOf(e));
    }
  }, [base]);

  const loadRun = useCallback(async (id: string) => {
    const d = await api<RunDetail>(`/api/bench/${id}`).catch(() => undefined);
    if (d) setDetails((prev) => ({ ...prev, [id]: d }));
  }, []);

  useEffect(() => void loadRuns(), [loadRuns]);
  useEffect(() => {
    if (selected) void loadRun(selected);
  }, [selected, loadRun]);
  useEffect(() => {
    if (compareWith && !details[compareWith]) void loadRun(compareWith);
  }, [compareWith, details, loadRun]);

  // Live: every event refreshes the run it is about (a new sample, or the end), and the list when it ends.
  useEffect(() => {
    if (!event) return;
    void loadRun(event.runId);
    if (event.status !== 'running') void loadRuns();
  }, [event, loadRun, loadRuns]);

  const running = event?.status === 'running' ? event : undefined;
  const estimate = useMemo(() => estimateSeconds(config), [config]);

  const start = async () => {
    setError(undefined);
    try {
      const r = await api<{ run: RunRecord }>(base, { method: 'POST', body: JSON.stringify(config) });
      setRuns((prev) => [r.run, ...prev]);
      setSelected(r.run.id);
    } catch (e) {
      setError(apiErrorOf(e));
    }
  };
  const cancel = (id: string) => api(`/api/bench/${id}/cancel`, { method: 'POST' }).catch((e: unknown) => setError(apiErrorOf(e)));
  const remove = async (id: string) => {
    try {
      await api(`/api/bench/${id}`, { method: 'DELETE' });
    } catch (e) {
      return setError(apiErrorOf(e));
    }
    setRuns((prev) => prev.filter((r) => r.id !== id));
    if (selected === id) setSelected(undefined);
    if (compareWith === id) setCompareWith(undefined);
  };

  const toggle = <T,>(list: T[], item: T) => (list.includes(item) ? list.filter((x) => x !== item) : [...list, item]);
  const current = selected ? details[selected] : undefined;
  const other = compareWith ? details[compareWith] : undefined;

  return (
    <section className="bench-pane" aria-label="Benchmarks" data-testid="bench-pane">
      <form
        className="bench-form"
        onSubmit={(e) => {
          e.preventDefault();
          void start();
        }}
      >
        <fieldset>
          <legend>Modes</legend>
          {MODES.map((m) => (
            <label key={m}>
              <input type="checkbox" checked={config.modes.includes(m)} onChange={() => setConfig({ ...config, modes: toggle(config.modes, m) })} /> {m}
            </label>
          ))}
        </fieldset>
        <fieldset>
          <legend>Message sizes</legend>
          {SIZES.map((s) => (
            <label key={s}>
              <input
                type="checkbox"
                checked={config.sizes.includes(s)}
                onChange={() => setConfig({ ...config, sizes: toggle(config.sizes, s as number).sort((a, b) => a - b) })}
              />{' '}
              {sizeLabel(s)}
            </label>
          ))}
        </fieldset>
        <fieldset>
          <legend>Runs</legend>
          <label>
            repetitions{' '}
            <input type="number" min={1} max={20} value={config.repetitions} onChange={(e) => setConfig({ ...config, repetitions: Number(e.target.value) })} />
          </label>
          <label>
            seconds per tool{' '}
            <input type="number" min={1} max={30} value={config.durationS} onChange={(e) => setConfig({ ...config, durationS: Number(e.target.value) })} />
          </label>
          <label title="Pin the client, the proxy and the app to one CPU: latency does not then depend on where the scheduler put them">
            <input type="checkbox" checked={config.pinned} onChange={() => setConfig({ ...config, pinned: !config.pinned })} /> pinned to one CPU
          </label>
        </fieldset>
        <div className="bench-actions">
          <button
            type="submit"
            className="button button-primary"
            disabled={!sandboxRunning || !!running || config.modes.length === 0 || config.sizes.length === 0}
          >
            Run benchmark
          </button>
          <span className="muted">about {mins(estimate)}; the app and the proxy restart, and checks wait while it runs.</span>
        </div>
      </form>
      {error ? <ApiErrorView error={error} /> : null}

      {running?.progress ? (
        <div className="bench-progress" role="status" data-testid="bench-progress">
          <progress max={running.progress.total} value={running.progress.index} />
          <span>
            {running.progress.index + 1}/{running.progress.total}: {running.progress.mode}, {sizeLabel(running.progress.size)}, repetition{' '}
            {running.progress.rep} — about {mins(running.progress.secondsLeft)} left
          </span>
          <button type="button" className="button button-small" onClick={() => cancel(running.runId)}>
            Cancel
          </button>
        </div>
      ) : null}

      {runs.length ? (
        <div className="bench-runs">
          <label>
            Run{' '}
            <select value={selected ?? ''} onChange={(e) => setSelected(e.target.value)} data-testid="bench-run-select">
              {runs.map((r) => (
                <option key={r.id} value={r.id}>
                  {when(r.createdAt)} · {r.status} · {r.config.repetitions}× {r.config.sizes.map(sizeLabel).join(', ')}
                </option>
              ))}
            </select>
          </label>
          <label>
            compare with{' '}
            <select value={compareWith ?? ''} onChange={(e) => setCompareWith(e.target.value || undefined)}>
              <option value="">—</option>
              {runs
                .filter((r) => r.id !== selected)
                .map((r) => (
                  <option key={r.id} value={r.id}>
                    {when(r.createdAt)} · {r.status}
                  </option>
                ))}
            </select>
          </label>
          {selected ? (
            <>
              <a className="button button-small" href={`/api/bench/${selected}/export?format=json`} download>
                JSON
              </a>
              <a className="button button-small" href={`/api/bench/${selected}/export?format=csv`} download>
                CSV
              </a>
              {details[selected]?.run.status !== 'running' ? (
                <button type="button" className="button button-small" onClick={() => remove(selected)}>
                  Delete
                </button>
              ) : null}
            </>
          ) : null}
        </div>
      ) : (
        <p className="muted">No benchmark yet. The defaults measure all three modes at four message sizes, three times each.</p>
      )}

      {current ? (
        <div className="bench-result" data-testid="bench-result" data-status={current.run.status}>
          <p className="muted">
            {current.run.status === 'failed' ? <strong className="status-text-error">Failed: {current.run.error} </strong> : null}
            {current.run.environment
              ? `kernel ${current.run.environment.kernel} · ${current.run.environment.cpus} CPUs · proxy ${current.run.environment.proxy} · ${
                  current.run.environment.pinning === 'none' ? 'unpinned' : `pinned to CPU ${current.run.environment.pinning}`
                } · acceleration from the ${current.run.environment.accelPrograms ?? 'reference'} build`
              : null}
            {' · '}
            {current.samples.length} sample(s)
          </p>
          {other ? <BenchCompare a={other} b={current} /> : null}
          {current.summary.cells.length ? (
            <>
              <BenchCharts summary={current.summary} modes={current.run.config.modes as Mode[]} />
              <BenchTable summary={current.summary} />
            </>
          ) : null}
        </div>
      ) : null}
    </section>
  );
}
