// The instructor's view of a class, computed from what the server already keeps: every learner's progress in each
// lab they started, their sandbox's state and use, and per step how many passed, how long it took them (median) and
// why those still on it fail. Pure: the route gathers the inputs, the page and the CSV export read the result.
import { isDone, type LabProgress } from '../progress/types';

export interface ClassLab {
  slug: string;
  title: string;
  steps: { id: string; title: string }[];
  /** The lab's terminal tabs (what the instructor may watch). */
  terminals?: string[];
}

export interface ClassLearnerInput {
  learner: string;
  displayName?: string;
  startedAt: number;
  progress: LabProgress;
}

export type SandboxState = 'running' | 'starting' | 'error' | 'none';

export interface SandboxView {
  state: SandboxState;
  id?: string;
  cpuCores?: number;
  memoryBytes?: number;
}

export interface LearnerRow {
  learner: string;
  displayName?: string;
  lab: string;
  /** The first step neither done nor skipped: what the learner works on. Absent when the lab is complete. */
  step?: string;
  stepTitle?: string;
  /** 1-based position of that step, and the lab's length. */
  stepNumber?: number;
  stepCount: number;
  doneCount: number;
  skippedCount: number;
  complete: boolean;
  /** Since when the learner is on `step` (the previous step's completion, or the lab's start). */
  onStepSince?: number;
  lastActivity?: number;
  lastCheck?: { passed: boolean; message: string; reason?: string; at: number };
  hintsRevealed: number;
  solutionsShown: number;
  sandbox: SandboxView;
}

export interface FailureCount {
  /** The check's reason code, or its message when it gave none. */
  reason: string;
  coded: boolean;
  count: number;
}

export interface StepStats {
  lab: string;
  step: string;
  title: string;
  passed: number;
  /** Learners on this step now. */
  working: number;
  /** Median time from the previous step's completion (or the lab's start) to this one's, over the learners who did it. */
  medianMs?: number;
  /** Why the learners on this step fail its check now, most common first. */
  failures: FailureCount[];
}

export interface ClassReport {
  at: number;
  learners: LearnerRow[];
  steps: StepStats[];
}

/** What the instructor view receives (/api/admin/class). */
export interface ClassSnapshot {
  report: ClassReport;
  labs: ClassLab[];
  /** The warm pool: sandboxes ready and wanted per lab. */
  pool: { lab: string; ready: number; target: number }[];
  capacity: { running: number; max: number };
  /** The last message to every lab page, while pages opening still show it. */
  broadcast?: { message: string; at: number };
}

/** Failure messages without a reason code are grouped by their first line, cut here. */
const MESSAGE_KEY_CHARS = 120;

function median(values: number[]): number | undefined {
  if (values.length === 0) return undefined;
  const s = [...values].sort((a, b) => a - b);
  const mid = Math.floor(s.length / 2);
  return s.length % 2 ? s[mid] : (s[mid - 1]! + s[mid]!) / 2;
}

/** When each step was finished after its predecessor: [step index] -> ms, for the steps done. */
function stepDurations(entry: ClassLearnerInput): Map<number, number> {
  const out = new Map<number, number>();
  let previousEnd = entry.startedAt;
  entry.progress.steps.forEach((s, i) => {
    if (isDone(s) && s.doneAt !== undefined) {
      if (s.doneAt >= previousEnd) out.set(i, s.doneAt - previousEnd);
      previousEnd = Math.max(previousEnd, s.doneAt);
    }
  });
  return out;
}

function failureKey(check: { reason?: string; message: string }): { reason: string; coded: boolean } {
  if (check.reason) return { reason: check.reason, coded: true };
  return { reason: (check.message.split('\n')[0] ?? '').slice(0, MESSAGE_KEY_CHARS), coded: false };
}

export function classReport(
  labs: ClassLab[],
  entries: ClassLearnerInput[],
  sandboxOf: (learner: string, lab: string) => SandboxView,
  now: number,
): ClassReport {
  const bySlug = new Map(labs.map((l) => [l.slug, l]));
  const learners: LearnerRow[] = [];
  const stats = new Map<string, StepStats & { durations: number[]; failing: Map<string, FailureCount> }>();
  for (const lab of labs) {
    for (const step of lab.steps) {
      stats.set(`${lab.slug}/${step.id}`, { lab: lab.slug, step: step.id, title: step.title, passed: 0, working: 0, failures: [], durations: [], failing: new Map() });
    }
  }
  for (const entry of entries) {
    const lab = bySlug.get(entry.progress.lab);
    if (!lab) continue;
    const p = entry.progress;
    const currentIndex = p.steps.findIndex((s) => s.status === 'todo');
    const current = currentIndex >= 0 ? p.steps[currentIndex] : undefined;
    const durations = stepDurations(entry);
    const onStepSince = current
      ? Math.max(entry.startedAt, ...p.steps.slice(0, currentIndex).map((s) => s.doneAt ?? 0))
      : undefined;
    learners.push({
      learner: entry.learner,
      ...(entry.displayName ? { displayName: entry.displayName } : {}),
      lab: lab.slug,
      ...(current
        ? { step: current.step, stepTitle: lab.steps[currentIndex]?.title ?? current.step, stepNumber: currentIndex + 1, onStepSince }
        : {}),
      stepCount: p.steps.length,
      doneCount: p.doneCount,
      skippedCount: p.skippedCount,
      complete: p.complete,
      ...(p.lastActivity !== undefined ? { lastActivity: p.lastActivity } : {}),
      ...(current?.lastCheck ? { lastCheck: current.lastCheck } : {}),
      hintsRevealed: p.steps.reduce((n, s) => n + s.hintsShown, 0),
      solutionsShown: p.steps.filter((s) => s.solutionShown).length,
      sandbox: sandboxOf(entry.learner, lab.slug),
    });
    p.steps.forEach((s, i) => {
      const st = stats.get(`${lab.slug}/${s.step}`);
      if (!st) return;
      if (isDone(s)) st.passed++;
      const d = durations.get(i);
      if (d !== undefined) st.durations.push(d);
    });
    if (current) {
      const st = stats.get(`${lab.slug}/${current.step}`);
      if (st) {
        st.working++;
        if (current.lastCheck && !current.lastCheck.passed) {
          const key = failureKey(current.lastCheck);
          const f = st.failing.get(key.reason) ?? { ...key, count: 0 };
          f.count++;
          st.failing.set(key.reason, f);
        }
      }
    }
  }
  const steps = [...stats.values()].map(({ durations, failing, ...st }) => {
    const medianMs = median(durations);
    return { ...st, ...(medianMs === undefined ? {} : { medianMs }), failures: [...failing.values()].sort((a, b) => b.count - a.count || a.reason.localeCompare(b.reason)) };
  });
  return { at: now, learners, steps };
}

/** A cell as a spreadsheet reads it: quoted, and never a formula (=, +, -, @ and control starts are prefixed with '). */
function csvCell(value: string | number | boolean | undefined): string {
  if (value === undefined) return '';
  let s = String(value);
  if (typeof value === 'string' && /^[=+\-@\t\r]/.test(s)) s = `'${s}`;
  return /[",\n\r]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}

export const CSV_COLUMNS = [
  'learner',
  'name',
  'lab',
  'step',
  'step_number',
  'steps',
  'done',
  'skipped',
  'complete',
  'minutes_on_step',
  'last_check',
  'last_reason',
  'last_message',
  'hints_revealed',
  'solutions_shown',
  'sandbox',
  'last_activity',
] as const;

export function classCsv(report: ClassReport): string {
  const rows = report.learners.map((r) => [
    r.learner,
    r.displayName,
    r.lab,
    r.step,
    r.stepNumber,
    r.stepCount,
    r.doneCount,
    r.skippedCount,
    r.complete,
    r.onStepSince === undefined ? undefined : Math.round((report.at - r.onStepSince) / 60_000),
    r.lastCheck ? (r.lastCheck.passed ? 'passed' : 'failed') : undefined,
    r.lastCheck?.reason,
    r.lastCheck?.message.split('\n')[0],
    r.hintsRevealed,
    r.solutionsShown,
    r.sandbox.state,
    r.lastActivity === undefined ? undefined : new Date(r.lastActivity).toISOString(),
  ]);
  return [CSV_COLUMNS.join(','), ...rows.map((r) => r.map(csvCell).join(','))].join('\r\n') + '\r\n';
}
