'use client';
// The instructor view: every learner with their lab, step, time on it, last check and help taken, their sandbox and
// its use; per step, who passed, how long it took and why those on it fail; the live feed; and the instructor's
// actions (a fresh sandbox or a stop for one learner, a message to everyone, the warm pool, a CSV export).
import { useMemo, useState } from 'react';
import { ApiErrorView } from '@/components/common/api-error';
import { api, apiErrorOf, type ApiError } from '@/components/common/api';
import { ConfirmButton } from '@/components/common/confirm-button';
import { RelativeTime, useNow } from '@/components/common/relative-time';
import type { ClassSnapshot, LearnerRow, StepStats } from '@/lib/class/report';
import { failureOf, filterRows, NO_FILTER, sortRows, type ClassFilter, type SortKey } from './class-filter';
import { duration, mebibytes, shortId } from './format';
import { TerminalWatch, type WatchTarget } from './terminal-watch';
import { useClass } from './use-class';

const COLUMNS: { key: SortKey; label: string }[] = [
  { key: 'learner', label: 'Learner' },
  { key: 'lab', label: 'Lab' },
  { key: 'step', label: 'Step' },
  { key: 'onStep', label: 'On step' },
  { key: 'lastCheck', label: 'Last check' },
  { key: 'help', label: 'Help taken' },
  { key: 'cpu', label: 'Sandbox' },
];

export function ClassView({ initial }: { initial?: ClassSnapshot }) {
  const { snapshot, error, feed, live, refresh } = useClass(initial);
  const [filter, setFilter] = useState<ClassFilter>(NO_FILTER);
  const [sort, setSort] = useState<{ key: SortKey; descending: boolean }>({ key: 'onStep', descending: true });
  const [actionError, setActionError] = useState<ApiError>();
  const [watching, setWatching] = useState<WatchTarget>();
  const clock = useNow();
  const now = clock ?? snapshot?.report.at ?? 0;

  const rows = useMemo(
    () => (snapshot ? sortRows(filterRows(snapshot.report.learners, filter, now), sort.key, sort.descending, now) : []),
    [snapshot, filter, sort, now],
  );
  const act = (path: string, body: unknown, method = 'POST') =>
    api(path, { method, body: JSON.stringify(body) })
      .then(() => {
        setActionError(undefined);
        return refresh();
      })
      .catch((e: unknown) => setActionError(apiErrorOf(e)));

  if (!snapshot) return <div className="page admin">{error ? <ApiErrorView error={error} /> : <p>Loading the class…</p>}</div>;
  const labTitle = new Map(snapshot.labs.map((l) => [l.slug, l.title]));
  const labTabs = new Map(snapshot.labs.map((l) => [l.slug, l.terminals ?? []]));
  const total = snapshot.report.learners;
  const stuck = filterRows(total, { ...NO_FILTER, stuckMinutes: 10 }, now).length;

  return (
    <div className="page admin" data-testid="class-view">
      <header className="admin-header">
        <h1>Class</h1>
        <span className={live ? 'admin-live' : 'admin-live admin-live-off'} role="status" data-testid="feed-state">
          {live ? 'live' : 'reconnecting…'}
        </span>
        <p className="muted" data-testid="class-summary">
          {new Set(total.map((r) => r.learner)).size} learner(s) · {stuck} on a step for more than 10 min · sandboxes {snapshot.capacity.running} of{' '}
          {snapshot.capacity.max}
        </p>
        <a className="button button-small" href="/api/admin/export" download data-testid="export-csv">
          Export CSV
        </a>
        <button type="button" className="button button-small" onClick={() => void api('/api/admin/session', { method: 'DELETE' }).then(() => location.reload())}>
          Log out
        </button>
      </header>
      {error ? <ApiErrorView error={error} /> : null}
      {actionError ? <ApiErrorView error={actionError} /> : null}

      {watching ? <TerminalWatch key={`${watching.learner}/${watching.lab}`} target={watching} onClose={() => setWatching(undefined)} /> : null}

      <div className="admin-tools">
        <BroadcastForm last={snapshot.broadcast} onSend={(message) => act('/api/admin/broadcast', { message })} />
        <PoolForm labs={snapshot.labs} pool={snapshot.pool} onSave={(targets) => act('/api/admin/pool', { targets }, 'PUT')} />
      </div>

      <section aria-labelledby="learners-heading">
        <h2 id="learners-heading">Learners</h2>
        <div className="admin-filters" role="search">
          <label>
            Find
            <input type="search" placeholder="name or id" value={filter.text} onChange={(e) => setFilter({ ...filter, text: e.target.value })} />
          </label>
          <label>
            Lab
            <select value={filter.lab} onChange={(e) => setFilter({ ...filter, lab: e.target.value })}>
              <option value="">all labs</option>
              {snapshot.labs.map((l) => (
                <option key={l.slug} value={l.slug}>
                  {l.title}
                </option>
              ))}
            </select>
          </label>
          <label>
            <input
              type="checkbox"
              checked={filter.stuckMinutes > 0}
              onChange={(e) => setFilter({ ...filter, stuckMinutes: e.target.checked ? 10 : 0 })}
              data-testid="filter-stuck"
            />
            stuck more than 10 minutes
          </label>
          {filter.failing ? (
            <button type="button" className="button button-small" onClick={() => setFilter({ ...filter, failing: '' })} data-testid="filter-failing">
              failing: {filter.failing.split('/').slice(1).join(' · ')} ✕
            </button>
          ) : null}
        </div>
        <div className="admin-table-wrap">
          <table className="admin-table" data-testid="learners">
            <thead>
              <tr>
                {COLUMNS.map((c) => (
                  <th key={c.key} aria-sort={sort.key === c.key ? (sort.descending ? 'descending' : 'ascending') : 'none'}>
                    <button
                      type="button"
                      className="admin-sort"
                      onClick={() => setSort((s) => ({ key: c.key, descending: s.key === c.key ? !s.descending : c.key === 'onStep' || c.key === 'cpu' }))}
                    >
                      {c.label}
                    </button>
                  </th>
                ))}
                <th>Actions</th>
              </tr>
            </thead>
            <tbody>
              {rows.map((r) => (
                <LearnerLine
                  key={`${r.learner}/${r.lab}`}
                  row={r}
                  labTitle={labTitle.get(r.lab) ?? r.lab}
                  now={now}
                  onFailing={(f) => setFilter({ ...filter, failing: f })}
                  onWatch={() => setWatching({ learner: r.learner, lab: r.lab, tabs: labTabs.get(r.lab) ?? [], who: r.displayName ?? shortId(r.learner) })}
                  act={act}
                />
              ))}
            </tbody>
          </table>
          {rows.length === 0 ? <p className="muted">{total.length ? 'No learner matches the filter.' : 'No learner has started a lab yet.'}</p> : null}
        </div>
      </section>

      <section aria-labelledby="steps-heading">
        <h2 id="steps-heading">Steps</h2>
        {snapshot.labs.map((lab) => (
          <StepTable key={lab.slug} title={lab.title} steps={snapshot.report.steps.filter((s) => s.lab === lab.slug)} onFailing={(f) => setFilter({ ...NO_FILTER, failing: f })} />
        ))}
      </section>

      <section aria-labelledby="feed-heading">
        <h2 id="feed-heading">Live feed</h2>
        <ol className="admin-feed" data-testid="feed">
          {feed.map((item, i) => (
            <li key={`${item.at}-${i}`} className={item.passed === false ? 'feed-failed' : item.passed ? 'feed-passed' : undefined}>
              <RelativeTime at={item.at} /> {item.learner ? <span className="mono">{shortId(item.learner)}</span> : null} {item.lab ? <span>{item.lab}</span> : null}{' '}
              {item.step ? <span className="mono">{item.step}</span> : null} {item.text}
              {item.reason ? <span className="reason-code"> {item.reason}</span> : null}
            </li>
          ))}
        </ol>
      </section>
    </div>
  );
}

function LearnerLine({
  row: r,
  labTitle,
  now,
  onFailing,
  onWatch,
  act,
}: {
  row: LearnerRow;
  labTitle: string;
  now: number;
  onFailing(failure: string): void;
  onWatch(): void;
  act(path: string, body: unknown): Promise<unknown>;
}) {
  const who = r.displayName ?? shortId(r.learner);
  const failure = failureOf(r);
  const path = `/api/admin/learners/${r.learner}/${r.lab}`;
  return (
    <tr data-testid={`learner-${shortId(r.learner)}-${r.lab}`}>
      <td>
        {r.displayName ? <strong>{r.displayName}</strong> : null} <span className="mono muted" title={r.learner}>{shortId(r.learner)}</span>
      </td>
      <td>{labTitle}</td>
      <td data-testid="step">
        {r.complete ? (
          <span className="status-done">complete</span>
        ) : (
          <>
            {r.stepNumber}/{r.stepCount} {r.stepTitle}
          </>
        )}
        {r.skippedCount ? <span className="muted"> ({r.skippedCount} skipped)</span> : null}
      </td>
      <td data-testid="on-step">{r.onStepSince !== undefined ? duration(now - r.onStepSince) : '—'}</td>
      <td data-testid="last-check">
        {r.lastCheck ? (
          <>
            <span className={r.lastCheck.passed ? 'status-done' : 'status-failed'}>{r.lastCheck.passed ? 'passes' : 'fails'}</span>{' '}
            {failure ? (
              <button type="button" className="admin-link" title="Show everyone failing this way" onClick={() => onFailing(failure)}>
                {r.lastCheck.reason ? <span className="reason-code">{r.lastCheck.reason}</span> : null} {r.lastCheck.message.split('\n')[0]}
              </button>
            ) : (
              r.lastCheck.message.split('\n')[0]
            )}{' '}
            <span className="muted">
              <RelativeTime at={r.lastCheck.at} />
            </span>
          </>
        ) : (
          '—'
        )}
      </td>
      <td>
        {r.hintsRevealed} hint{r.hintsRevealed === 1 ? '' : 's'}
        {r.solutionsShown ? `, ${r.solutionsShown} solution${r.solutionsShown === 1 ? '' : 's'}` : ''}
      </td>
      <td data-testid="sandbox">
        {r.sandbox.state === 'running' ? (
          <>
            running
            {r.sandbox.cpuCores !== undefined ? ` · ${Math.round(r.sandbox.cpuCores * 100)}% CPU` : ''}
            {r.sandbox.memoryBytes !== undefined ? ` · ${mebibytes(r.sandbox.memoryBytes)}` : ''}
          </>
        ) : (
          r.sandbox.state
        )}
      </td>
      <td className="admin-actions">
        {r.sandbox.state === 'running' ? (
          <>
            <button type="button" className="button button-small" onClick={onWatch} title={`A read-only view of ${who}'s terminal; their page says you are watching`}>
              Watch
            </button>
            <ConfirmButton
              label="Fresh sandbox…"
              question={`Give ${who} a fresh sandbox in ${labTitle}? What they did in the old one is lost (their progress is kept); their page says you did it.`}
              confirm="Give a fresh sandbox"
              onConfirm={() => void act(path, { action: 'reset' })}
            />
            <ConfirmButton
              label="Stop…"
              question={`Stop ${who}'s sandbox in ${labTitle}? Their progress is kept; their page says you stopped it.`}
              confirm="Stop sandbox"
              onConfirm={() => void act(path, { action: 'stop' })}
            />
          </>
        ) : null}
      </td>
    </tr>
  );
}

function StepTable({ title, steps, onFailing }: { title: string; steps: StepStats[]; onFailing(failure: string): void }) {
  return (
    <div className="admin-table-wrap">
      <table className="admin-table admin-steps" data-testid="steps">
        <caption>{title}</caption>
        <thead>
          <tr>
            <th>Step</th>
            <th>Passed</th>
            <th>On it now</th>
            <th>Median time</th>
            <th>Why those on it fail</th>
          </tr>
        </thead>
        <tbody>
          {steps.map((s) => (
            <tr key={s.step} data-testid={`step-${s.lab}-${s.step}`}>
              <td>{s.title}</td>
              <td>{s.passed}</td>
              <td>{s.working}</td>
              <td>{s.medianMs !== undefined ? duration(s.medianMs) : '—'}</td>
              <td>
                {s.failures.slice(0, 3).map((f) => (
                  <button key={f.reason} type="button" className="admin-chip" onClick={() => onFailing(`${s.lab}/${s.step}/${f.reason}`)}>
                    {f.coded ? <span className="reason-code">{f.reason}</span> : f.reason} × {f.count}
                  </button>
                ))}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

function BroadcastForm({ last, onSend }: { last?: { message: string; at: number }; onSend(message: string): Promise<unknown> }) {
  const [message, setMessage] = useState('');
  return (
    <form
      className="admin-card"
      onSubmit={(e) => {
        e.preventDefault();
        void onSend(message).then(() => setMessage(''));
      }}
    >
      <h2>Message to every lab page</h2>
      <textarea aria-label="Message to every lab page" maxLength={500} rows={2} value={message} onChange={(e) => setMessage(e.target.value)} />
      <button type="submit" className="button button-small" disabled={!message.trim()}>
        Send to everyone
      </button>
      {last ? (
        <p className="muted" data-testid="last-broadcast">
          Last sent <RelativeTime at={last.at} />: {last.message}
        </p>
      ) : null}
    </form>
  );
}

function PoolForm({
  labs,
  pool,
  onSave,
}: {
  labs: { slug: string; title: string }[];
  pool: ClassSnapshot['pool'];
  onSave(targets: Record<string, number>): Promise<unknown>;
}) {
  const [targets, setTargets] = useState<Record<string, number>>(() => Object.fromEntries(pool.map((p) => [p.lab, p.target])));
  return (
    <form
      className="admin-card"
      onSubmit={(e) => {
        e.preventDefault();
        void onSave(targets);
      }}
    >
      <h2>Warm sandboxes</h2>
      <p className="muted">Kept ready (set up) per lab, so that Start is instant when the class begins. They count toward the server&apos;s maximum.</p>
      {labs.map((l) => {
        const state = pool.find((p) => p.lab === l.slug);
        return (
          <label key={l.slug} className="admin-pool-line">
            <span>{l.title}</span>
            <input
              type="number"
              min={0}
              max={99}
              value={targets[l.slug] ?? 0}
              onChange={(e) => setTargets({ ...targets, [l.slug]: Math.max(0, Math.floor(Number(e.target.value) || 0)) })}
            />
            <span className="muted" data-testid={`pool-${l.slug}`}>
              {state?.ready ?? 0} ready
            </span>
          </label>
        );
      })}
      <button type="submit" className="button button-small">
        Keep these ready
      </button>
    </form>
  );
}
