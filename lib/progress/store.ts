// Learners' progress in SQLite: steps done (and whether with help), hints and solutions revealed, the last check's
// message, the current step, last activity. Survives reloads and restarts.
import type { Db } from '../db';
import { isDone, type LabProgress, type StepProgress } from './types';

interface StepRow {
  step: string;
  done_at: number | null;
  with_help: number;
  hints_shown: number;
  hints_revealed: string | null;
  solution_shown: number;
  last_passed: number | null;
  last_message: string | null;
  last_reason: string | null;
  last_checked_at: number | null;
  skipped_at: number | null;
}

/** The revealed hints' indices (rows from before reason-keyed hints list none: the first hints_shown). */
function revealedOf(r: Pick<StepRow, 'hints_shown' | 'hints_revealed'> | undefined): number[] {
  if (!r) return [];
  if (r.hints_revealed) {
    try {
      const v = JSON.parse(r.hints_revealed) as unknown;
      if (Array.isArray(v) && v.every((i) => Number.isInteger(i))) return v as number[];
    } catch {
      // fall back to the count
    }
  }
  return Array.from({ length: r.hints_shown }, (_, i) => i);
}

/** Which hint to reveal next: one keyed to the last failure's reason first, then the general ones in order. */
export function nextHint(hints: { when: string[] }[], revealed: number[], reason?: string): number | undefined {
  const open = hints.map((h, i) => ({ h, i })).filter(({ i }) => !revealed.includes(i));
  return (
    (reason ? open.find(({ h }) => h.when.includes(reason)) : undefined)?.i ??
    open.find(({ h }) => h.when.length === 0)?.i ??
    open[0]?.i
  );
}

/** One learner in one lab, for the instructor's view. */
export interface ClassEntry {
  learner: string;
  displayName?: string;
  startedAt: number;
  progress: LabProgress;
}

export class ProgressStore {
  constructor(
    private readonly db: Db,
    private readonly now: () => number = Date.now,
  ) {}

  /** Records that the learner was here (creates the learner on first sight). */
  touchLearner(learner: string): void {
    const t = this.now();
    this.db
      .prepare('INSERT INTO learners (id, created_at, last_seen) VALUES (?, ?, ?) ON CONFLICT(id) DO UPDATE SET last_seen = excluded.last_seen')
      .run(learner, t, t);
  }

  hasLearner(learner: string): boolean {
    return !!this.db.prepare('SELECT 1 FROM learners WHERE id = ?').get(learner);
  }

  /** Records activity on a lab (a sandbox of a lab used recently is kept over a server restart). */
  touchLab(learner: string, lab: string): void {
    this.touchLearner(learner);
    const t = this.now();
    this.db
      .prepare(
        `INSERT INTO lab_progress (learner, lab, started_at, last_activity) VALUES (?, ?, ?, ?)
         ON CONFLICT(learner, lab) DO UPDATE SET last_activity = excluded.last_activity`,
      )
      .run(learner, lab, t, t);
  }

  private ensureStep(learner: string, lab: string, step: string): void {
    this.touchLab(learner, lab);
    this.db.prepare('INSERT OR IGNORE INTO step_progress (learner, lab, step) VALUES (?, ?, ?)').run(learner, lab, step);
  }

  /** Progress in a lab, for its steps in order. */
  forLab(learner: string, lab: { slug: string; steps: { id: string }[] }): LabProgress {
    return this.get(learner, lab.slug, lab.steps.map((s) => s.id));
  }

  /** Progress for the lab's steps, in the lab's order (steps without a row are "todo"). */
  get(learner: string, lab: string, stepIds: string[]): LabProgress {
    const rows = this.db
      .prepare('SELECT * FROM step_progress WHERE learner = ? AND lab = ?')
      .all(learner, lab) as StepRow[];
    const byStep = new Map(rows.map((r) => [r.step, r]));
    const labRow = this.db
      .prepare('SELECT current_step, last_activity FROM lab_progress WHERE learner = ? AND lab = ?')
      .get(learner, lab) as { current_step: string | null; last_activity: number } | undefined;
    const steps = stepIds.map((id): StepProgress => {
      const r = byStep.get(id);
      const revealed = revealedOf(r);
      return {
        step: id,
        status: r?.done_at ? (r.with_help ? 'done-with-help' : 'done') : r?.skipped_at ? 'skipped' : 'todo',
        doneAt: r?.done_at ?? undefined,
        hintsShown: revealed.length,
        hintsRevealed: revealed,
        solutionShown: !!r?.solution_shown,
        lastCheck:
          r?.last_checked_at != null
            ? { passed: !!r.last_passed, message: r.last_message ?? '', reason: r.last_reason ?? undefined, at: r.last_checked_at }
            : undefined,
      };
    });
    const doneCount = steps.filter(isDone).length;
    const skippedCount = steps.filter((s) => s.status === 'skipped').length;
    return {
      lab,
      currentStep: labRow?.current_step ?? undefined,
      lastActivity: labRow?.last_activity,
      steps,
      doneCount,
      skippedCount,
      complete: doneCount + skippedCount === stepIds.length && stepIds.length > 0,
    };
  }

  setCurrentStep(learner: string, lab: string, step: string): void {
    this.touchLab(learner, lab);
    this.db.prepare('UPDATE lab_progress SET current_step = ? WHERE learner = ? AND lab = ?').run(step, learner, lab);
  }

  /**
   * Stores a check's result. A pass marks the step done (once: the first pass is when it was done) unless
   * `mayComplete` is false (earlier steps are not done yet): the pass is recorded, the step stays to do.
   */
  recordCheck(
    learner: string,
    lab: string,
    step: string,
    result: { passed: boolean; message: string; reason?: string },
    mayComplete = true,
  ): { newlyDone: boolean } {
    this.ensureStep(learner, lab, step);
    const t = this.now();
    const before = this.db
      .prepare('SELECT done_at FROM step_progress WHERE learner = ? AND lab = ? AND step = ?')
      .get(learner, lab, step) as { done_at: number | null };
    const completes = result.passed && mayComplete ? 1 : 0;
    this.db
      .prepare(
        `UPDATE step_progress SET last_passed = ?, last_message = ?, last_reason = ?, last_checked_at = ?,
           done_at = CASE WHEN done_at IS NULL AND ? THEN ? ELSE done_at END,
           with_help = CASE WHEN done_at IS NULL AND ? THEN solution_shown ELSE with_help END
         WHERE learner = ? AND lab = ? AND step = ?`,
      )
      .run(result.passed ? 1 : 0, result.message, result.passed ? null : (result.reason ?? null), t, completes, t, completes, learner, lab, step);
    return { newlyDone: completes === 1 && before.done_at === null };
  }

  /**
   * Reveals the next hint of `hints`: one keyed to the step's last failure reason first, then the general ones in
   * order. Returns the indices revealed so far, in the order they were revealed.
   */
  revealHint(learner: string, lab: string, step: string, hints: { when: string[] }[]): number[] {
    this.ensureStep(learner, lab, step);
    const row = this.db
      .prepare('SELECT hints_shown, hints_revealed, last_reason FROM step_progress WHERE learner = ? AND lab = ? AND step = ?')
      .get(learner, lab, step) as Pick<StepRow, 'hints_shown' | 'hints_revealed' | 'last_reason'>;
    const revealed = revealedOf(row);
    const next = nextHint(hints, revealed, row.last_reason ?? undefined);
    if (next === undefined) return revealed;
    const now = [...revealed, next];
    this.db
      .prepare('UPDATE step_progress SET hints_revealed = ?, hints_shown = ? WHERE learner = ? AND lab = ? AND step = ?')
      .run(JSON.stringify(now), now.length, learner, lab, step);
    return now;
  }

  /** Marks the steps the learner moves past without doing them (Skip to a later step). */
  skip(learner: string, lab: string, steps: string[]): void {
    const t = this.now();
    this.db.transaction(() => {
      for (const step of steps) {
        this.ensureStep(learner, lab, step);
        this.db.prepare('UPDATE step_progress SET skipped_at = ? WHERE learner = ? AND lab = ? AND step = ? AND done_at IS NULL').run(t, learner, lab, step);
      }
    })();
  }

  /** Reveals the solution: a step completed after this counts as solved with help. */
  revealSolution(learner: string, lab: string, step: string): void {
    this.ensureStep(learner, lab, step);
    this.db.prepare('UPDATE step_progress SET solution_shown = 1 WHERE learner = ? AND lab = ? AND step = ?').run(learner, lab, step);
  }

  resetLab(learner: string, lab: string): void {
    this.db.transaction(() => {
      this.db.prepare('DELETE FROM step_progress WHERE learner = ? AND lab = ?').run(learner, lab);
      this.db.prepare('DELETE FROM lab_progress WHERE learner = ? AND lab = ?').run(learner, lab);
    })();
  }

  /** The learner's name for the instructor's view; null removes it. */
  setDisplayName(learner: string, name: string | null): void {
    this.touchLearner(learner);
    this.db.prepare('UPDATE learners SET display_name = ? WHERE id = ?').run(name, learner);
  }

  displayName(learner: string): string | undefined {
    const row = this.db.prepare('SELECT display_name FROM learners WHERE id = ?').get(learner) as { display_name: string | null } | undefined;
    return row?.display_name ?? undefined;
  }

  /** Every learner's progress in every lab they started (the instructor's view), oldest start first. */
  everyLearner(labs: { slug: string; steps: { id: string }[] }[]): ClassEntry[] {
    const rows = this.db
      .prepare(
        `SELECT p.learner, p.lab, p.started_at, l.display_name FROM lab_progress p JOIN learners l ON l.id = p.learner
         ORDER BY p.started_at, p.learner`,
      )
      .all() as { learner: string; lab: string; started_at: number; display_name: string | null }[];
    const bySlug = new Map(labs.map((l) => [l.slug, l]));
    return rows.flatMap((r) => {
      const lab = bySlug.get(r.lab);
      if (!lab) return [];
      return [{ learner: r.learner, displayName: r.display_name ?? undefined, startedAt: r.started_at, progress: this.forLab(r.learner, lab) }];
    });
  }

  /** Labs the learner has touched, with their last activity (for adopting sandboxes after a restart). */
  activeLabs(sinceMs: number): { learner: string; lab: string }[] {
    return this.db
      .prepare('SELECT learner, lab FROM lab_progress WHERE last_activity >= ?')
      .all(this.now() - sinceMs) as { learner: string; lab: string }[];
  }
}
