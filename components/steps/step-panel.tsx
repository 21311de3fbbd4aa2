'use client';
// One step: its text, hints (revealed one at a time), the check (automatic, and a Check button), the solution
// (counts the step as solved with help), and the way to the next step (the next lab after the last one).
import Link from 'next/link';
import { useState } from 'react';
import { api } from '@/components/common/api';
import { ApiErrorView } from '@/components/common/api-error';
import { useApiError } from '@/components/common/use-api-error';
import { ConfirmButton } from '@/components/common/confirm-button';
import type { CheckOutcome } from '@/lib/checks/outcome';
import { escapeHtml } from '@/lib/labs/markdown';
import { noLongerHolds, type StepProgress } from '@/lib/progress/types';
import { CheckResult, lastCheckOf } from './check-result';
import { StepContent } from './step-content';

export interface StepView {
  id: string;
  title: string;
  html: string;
  terminal: string;
  hintCount: number;
  /** Per hint, the check's reason codes it answers (empty: a general hint). */
  hintReasons: string[][];
}

interface Props {
  lab: string;
  step: StepView;
  index: number;
  total: number;
  progress: StepProgress;
  /** Hints revealed so far (from the server). */
  hints: string[];
  checking: boolean;
  outcome?: CheckOutcome;
  sandboxRunning: boolean;
  /** The first earlier step not done (nor skipped), with its title: this step cannot tick before it. */
  firstTodoBefore?: { id: string; title: string; index: number };
  /** The lab to do next, linked from the last step. */
  nextLab?: { slug: string; title: string };
  onHints(hints: string[]): void;
  onNavigate(index: number): void;
  /** A fresh sandbox with the steps before this one solved for the learner (they count as skipped). */
  onSkipTo(): void;
}

function solutionHtml(script: string, tab: string): string {
  const body = script.replace(/^#!.*\n/, '').replace(/^set -e\n/m, '').trim();
  return (
    `<div class="code-block" data-tab="${escapeHtml(tab)}" data-runnable="true"><div class="code-toolbar">` +
    `<span class="code-tab">${escapeHtml(tab)}</span>` +
    `<button type="button" class="code-action" data-action="run">Run</button>` +
    `<button type="button" class="code-action" data-action="copy">Copy</button></div>` +
    `<pre><code class="language-sh">${escapeHtml(body)}</code></pre></div>`
  );
}

export function StepPanel(props: Props) {
  const { lab, step, index, total, progress, hints, checking, outcome, sandboxRunning, firstTodoBefore, nextLab, onHints, onNavigate, onSkipTo } = props;
  const [solution, setSolution] = useState<{ step: string; html: string } | undefined>();
  const { error, fail, clear } = useApiError();
  const [confirmSolution, setConfirmSolution] = useState(false);
  const done = progress.status === 'done' || progress.status === 'done-with-help';
  const last = lastCheckOf(outcome, progress.lastCheck);
  const stale = done && last !== undefined && !last.passed && (outcome !== undefined || noLongerHolds(progress));
  // A hint that answers the reason of the last failure is offered first (the server picks it).
  const reason = outcome ? outcome.reason : progress.lastCheck && !progress.lastCheck.passed ? progress.lastCheck.reason : undefined;
  const revealed = new Set(progress.hintsRevealed);
  const answersFailure = !!reason && step.hintReasons.some((when, i) => !revealed.has(i) && when.includes(reason));
  const base = `/api/labs/${encodeURIComponent(lab)}`;

  // The check's outcome also arrives on the lab's event socket, which is what the page shows.
  const check = () => {
    clear();
    void api<CheckOutcome>(`${base}/check`, { method: 'POST', body: JSON.stringify({ step: step.id }) }).catch(fail);
  };
  const hint = () => {
    void api<{ hints: string[] }>(`${base}/steps/${step.id}/hint`, { method: 'POST' }).then((r) => onHints(r.hints), fail);
  };
  const reveal = () => {
    setConfirmSolution(false);
    void api<{ solution: string; terminal: string }>(`${base}/steps/${step.id}/solution`, { method: 'POST' }).then(
      (r) => setSolution({ step: step.id, html: solutionHtml(r.solution, r.terminal) }),
      fail,
    );
  };

  return (
    <article className="step" aria-labelledby="step-title" data-testid="step-panel" data-step={step.id} data-status={progress.status}>
      <header className="step-header">
        {/* Focused when the learner moves to this step from the step pane (use-step-opens-at-top.ts). */}
        <h2 id="step-title" tabIndex={-1}>
          <span className="muted">
            Step {index + 1} of {total}:
          </span>{' '}
          {step.title}
        </h2>
        {done ? (
          <span className={`badge ${stale ? 'badge-error' : progress.status === 'done' ? 'badge-ok' : 'badge-warn'}`} data-testid="step-done" data-stale={stale}>
            {stale ? '✓ done, but no longer holds' : progress.status === 'done' ? '✓ done' : '✓ solved with help'}
          </span>
        ) : progress.status === 'skipped' ? (
          <span className="badge" data-testid="step-skipped">
            skipped
          </span>
        ) : null}
      </header>

      <StepContent html={step.html} />

      <section className="step-check" aria-live="polite" data-testid="check-result">
        <button type="button" className="button" onClick={check} disabled={!sandboxRunning || checking} title="Run this step's check now (Alt+Enter)">
          {checking ? 'Checking…' : 'Check'}
        </button>
        <CheckResult checking={checking} last={last} noLongerHolds={stale} blockedTitle={firstTodoBefore?.title} />
      </section>

      {step.hintCount > 0 ? (
        <section className="step-hints" aria-label="Hints">
          {hints.map((h, i) => (
            <p key={i} className="hint">
              <strong>Hint {i + 1}.</strong> <span dangerouslySetInnerHTML={{ __html: inlineCode(h) }} />
            </p>
          ))}
          {hints.length < step.hintCount ? (
            <button type="button" className="button button-small" onClick={hint}>
              {answersFailure ? 'A hint for this failure' : hints.length ? 'Another hint' : 'Show a hint'} ({step.hintCount - hints.length} left)
            </button>
          ) : null}
        </section>
      ) : null}

      <section className="step-solution">
        {solution?.step === step.id ? (
          <>
            <p className="muted">The reference solution (the check passes after it):</p>
            <StepContent html={solution.html} />
          </>
        ) : confirmSolution ? (
          <p role="alert">
            See the solution? This step will count as solved with help.{' '}
            <button type="button" className="button button-small" onClick={reveal}>
              Show it
            </button>{' '}
            <button type="button" className="button button-small" onClick={() => setConfirmSolution(false)}>
              Not yet
            </button>
          </p>
        ) : (
          <button type="button" className="button button-small" onClick={() => (progress.solutionShown ? reveal() : setConfirmSolution(true))}>
            Show solution
          </button>
        )}
      </section>

      {firstTodoBefore ? (
        <section className="step-skip" data-testid="step-skip">
          <ConfirmButton
            label="Skip to this step…"
            question={`Start this step with a fresh sandbox where steps 1–${index} are solved for you (they count as skipped; step ${firstTodoBefore.index + 1} is the first you have not done)?`}
            confirm="Skip to this step"
            onConfirm={onSkipTo}
          />
        </section>
      ) : null}

      {error ? <ApiErrorView error={error} /> : null}

      <nav className="step-nav" aria-label="Step navigation">
        <button type="button" className="button" disabled={index === 0} onClick={() => onNavigate(index - 1)} title="Alt+←">
          ← Previous
        </button>
        {index < total - 1 ? (
          <button type="button" className={`button ${done ? 'button-primary' : ''}`} onClick={() => onNavigate(index + 1)} title="Alt+→">
            Next step →
          </button>
        ) : done ? (
          <span className="step-nav-end">
            <span className="badge badge-ok">Last step done</span>
            {nextLab ? (
              <Link className="button button-primary" href={`/labs/${nextLab.slug}`} data-testid="next-lab">
                Next lab: {nextLab.title} →
              </Link>
            ) : null}
          </span>
        ) : nextLab ? (
          <Link href={`/labs/${nextLab.slug}`} data-testid="next-lab">
            Next lab: {nextLab.title}
          </Link>
        ) : null}
      </nav>
    </article>
  );
}

/** Hints are short plain text with `code`: escape, then mark the code spans. */
function inlineCode(text: string): string {
  return escapeHtml(text).replace(/`([^`]+)`/g, '<code>$1</code>');
}
