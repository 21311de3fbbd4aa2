// Learners' progress in SQLite: steps done (and whether with help), hints and solutions revealed, the last check's
// message, the current step, last activity. Survives reloads and restarts.
import type { Db } from '../db';
import type { LabProgress, StepProgress } from './types';

interface StepRow {
  step: string;
  done_at: number | null;
  with_help: number;
  hints_shown: number;
  solution_shown: number;
  last_passed: number | null;
  last_message: string | null;
  last_checked_at: number | null;
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
      return {
        step: id,
        status: r?.done_at ? (r.with_help ? 'done-with-help' : 'done') : 'todo',
        doneAt: r?.done_at ?? undefined,
        hintsShown: r?.hints_shown ?? 0,
        solutionShown: !!r?.solution_shown,
        lastCheck:
          r?.last_checked_at != null
            ? { passed: !!r.last_passed, message: r.last_message ?? '', at: r.last_checked_at }
            : undefined,
      };
    });
    const doneCount = steps.filter((s) => s.status !== 'todo').length;
    return {
      lab,
      currentStep: labRow?.current_step ?? undefined,
      lastActivity: labRow?.last_activity,
      steps,
      doneCount,
      complete: doneCount === stepIds.length && stepIds.length > 0,
    };
  }

  setCurrentStep(learner: string, lab: string, step: string): void {
    this.touchLab(learner, lab);
    this.db.prepare('UPDATE lab_progress SET current_step = ? WHERE learner = ? AND lab = ?').run(step, learner, lab);
  }

  /** Stores a check's result; a pass marks the step done (once: the first pass is when it was done). */
  recordCheck(learner: string, lab: string, step: string, passed: boolean, message: string): { newlyDone: boolean } {
    this.ensureStep(learner, lab, step);
    const t = this.now();
    const before = this.db
      .prepare('SELECT done_at FROM step_progress WHERE learner = ? AND lab = ? AND step = ?')
      .get(learner, lab, step) as { done_at: number | null };
    this.db
      .prepare(
        `UPDATE step_progress SET last_passed = ?, last_message = ?, last_checked_at = ?,
           done_at = CASE WHEN done_at IS NULL AND ? THEN ? ELSE done_at END,
           with_help = CASE WHEN done_at IS NULL AND ? THEN solution_shown ELSE with_help END
         WHERE learner = ? AND lab = ? AND step = ?`,
      )
      .run(passed ? 1 : 0, message, t, passed ? 1 : 0, t, passed ? 1 : 0, learner, lab, step);
    return { newlyDone: passed && before.done_at === null };
  }

  /** Reveals the next hint (up to `available`); returns how many are now shown. */
  revealHint(learner: string, lab: string, step: string, available: number): number {
    this.ensureStep(learner, lab, step);
    this.db
      .prepare('UPDATE step_progress SET hints_shown = MIN(hints_shown + 1, ?) WHERE learner = ? AND lab = ? AND step = ?')
      .run(available, learner, lab, step);
    return (this.db.prepare('SELECT hints_shown FROM step_progress WHERE learner = ? AND lab = ? AND step = ?').get(learner, lab, step) as {
      hints_shown: number;
    }).hints_shown;
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

  /** Labs the learner has touched, with their last activity (for adopting sandboxes after a restart). */
  activeLabs(sinceMs: number): { learner: string; lab: string }[] {
    return this.db
      .prepare('SELECT learner, lab FROM lab_progress WHERE last_activity >= ?')
      .all(this.now() - sinceMs) as { learner: string; lab: string }[];
  }
}
