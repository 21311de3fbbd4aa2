'use client';
// The lab's benchmark runs for the pane: the list, the run on view and the one it is compared with (fetched on
// demand), kept current by the lab's events; start, cancel, delete.
import { useCallback, useEffect, useState } from 'react';
import { api } from '@/components/common/api';
import { useApiError } from '@/components/common/use-api-error';
import type { BenchConfig } from '@/lib/bench/model';
import type { BenchEvent } from '@/lib/bench/types';
import type { RunDetail, RunRecord } from './bench-data';

export function useBenchRuns(lab: string, event: BenchEvent | undefined) {
  const [runs, setRuns] = useState<RunRecord[]>([]);
  const [selected, setSelected] = useState<string | undefined>();
  const [compareWith, setCompareWith] = useState<string | undefined>();
  const [details, setDetails] = useState<Record<string, RunDetail>>({});
  const { error, fail, clear } = useApiError();
  const base = `/api/labs/${encodeURIComponent(lab)}/bench`;

  const loadRuns = useCallback(() => {
    api<{ runs: RunRecord[] }>(base).then((r) => {
      setRuns(r.runs);
      setSelected((s) => s ?? r.runs[0]?.id);
    }, fail);
  }, [base, fail]);

  // A run that cannot be fetched stays as it was: the list still shows it, and the next event tries again.
  const loadRun = useCallback((id: string) => {
    api<RunDetail>(`/api/bench/${id}`).then(
      (d) => setDetails((prev) => ({ ...prev, [id]: d })),
      () => undefined,
    );
  }, []);

  useEffect(() => loadRuns(), [loadRuns]);
  useEffect(() => {
    if (selected) loadRun(selected);
  }, [selected, loadRun]);
  useEffect(() => {
    if (compareWith && !details[compareWith]) loadRun(compareWith);
  }, [compareWith, details, loadRun]);

  // Live: every event refreshes the run it is about (a new sample, or the end), and the list when it ends.
  useEffect(() => {
    if (!event) return;
    loadRun(event.runId);
    if (event.status !== 'running') loadRuns();
  }, [event, loadRun, loadRuns]);

  const start = async (config: BenchConfig) => {
    clear();
    const r = await api<{ run: RunRecord }>(base, { method: 'POST', body: JSON.stringify(config) }).catch(fail);
    if (!r) return;
    setRuns((prev) => [r.run, ...prev]);
    setSelected(r.run.id);
  };

  const cancel = (id: string) => api(`/api/bench/${id}/cancel`, { method: 'POST' }).catch(fail);

  const remove = async (id: string) => {
    const deleted = await api(`/api/bench/${id}`, { method: 'DELETE' }).then(() => true, fail);
    if (!deleted) return;
    setRuns((prev) => prev.filter((r) => r.id !== id));
    if (selected === id) setSelected(undefined);
    if (compareWith === id) setCompareWith(undefined);
  };

  return {
    runs,
    selected,
    select: setSelected,
    compareWith,
    setCompareWith,
    current: selected ? details[selected] : undefined,
    other: compareWith ? details[compareWith] : undefined,
    error,
    start,
    cancel,
    remove,
  };
}
