'use client';
// The runs so far: which one to show, which one to compare it with, its export (JSON, CSV) and Delete. Runs are named
// by when they started, as people say it ("12 min ago"), with the exact time beside it (a <select>'s options show
// no tooltip).
import { exactTime, relativeWords, useNow } from '@/components/common/relative-time';
import { sizeLabel, type RunRecord } from './bench-data';

const shortTime = (t: number) => new Date(t).toLocaleString(undefined, { dateStyle: 'short', timeStyle: 'short' });

interface Props {
  runs: RunRecord[];
  selected?: string;
  compareWith?: string;
  /** The selected run can be deleted (it is not running). */
  deletable: boolean;
  onSelect(id: string): void;
  onCompareWith(id: string | undefined): void;
  onDelete(id: string): void;
}

export function BenchRunList({ runs, selected, compareWith, deletable, onSelect, onCompareWith, onDelete }: Props) {
  const now = useNow();
  const when = (t: number) => (now === undefined ? shortTime(t) : `${relativeWords(t, Math.max(now, t))} (${shortTime(t)})`);
  return (
    <div className="bench-runs">
      <label>
        Run{' '}
        <select value={selected ?? ''} onChange={(e) => onSelect(e.target.value)} data-testid="bench-run-select">
          {runs.map((r) => (
            <option key={r.id} value={r.id} title={exactTime(r.createdAt)}>
              {when(r.createdAt)} · {r.status} · {r.config.repetitions}× {r.config.sizes.map(sizeLabel).join(', ')}
            </option>
          ))}
        </select>
      </label>
      <label>
        compare with{' '}
        <select value={compareWith ?? ''} onChange={(e) => onCompareWith(e.target.value || undefined)}>
          <option value="">—</option>
          {runs
            .filter((r) => r.id !== selected)
            .map((r) => (
              <option key={r.id} value={r.id} title={exactTime(r.createdAt)}>
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
          {deletable ? (
            <button type="button" className="button button-small" onClick={() => onDelete(selected)}>
              Delete
            </button>
          ) : null}
        </>
      ) : null}
    </div>
  );
}
