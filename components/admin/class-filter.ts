// Which learners the instructor view lists, and in what order (pure: unit-tested).
import type { LearnerRow } from '@/lib/class/report';

export interface ClassFilter {
  /** Matches the name or the id. */
  text: string;
  lab: string;
  /** Only learners on their step for longer than this many minutes (0: everyone). */
  stuckMinutes: number;
  /** Only learners whose check on this step fails for this reason ("<lab>/<step>/<reason>"; '' for all). */
  failing: string;
}

export const NO_FILTER: ClassFilter = { text: '', lab: '', stuckMinutes: 0, failing: '' };

export type SortKey = 'learner' | 'lab' | 'step' | 'onStep' | 'lastCheck' | 'help' | 'cpu' | 'memory';

/** The failure a row shows, as the failing filter names it. */
export function failureOf(row: LearnerRow): string | undefined {
  if (!row.step || !row.lastCheck || row.lastCheck.passed) return undefined;
  const reason = row.lastCheck.reason ?? (row.lastCheck.message.split('\n')[0] ?? '').slice(0, 120);
  return `${row.lab}/${row.step}/${reason}`;
}

export function filterRows(rows: LearnerRow[], f: ClassFilter, now: number): LearnerRow[] {
  const text = f.text.trim().toLowerCase();
  return rows.filter(
    (r) =>
      (!text || r.learner.startsWith(text) || (r.displayName ?? '').toLowerCase().includes(text)) &&
      (!f.lab || r.lab === f.lab) &&
      (!f.stuckMinutes || (!r.complete && r.onStepSince !== undefined && now - r.onStepSince > f.stuckMinutes * 60_000)) &&
      (!f.failing || failureOf(r) === f.failing),
  );
}

const value = (r: LearnerRow, key: SortKey, now: number): string | number => {
  switch (key) {
    case 'learner':
      return (r.displayName ?? `~${r.learner}`).toLowerCase();
    case 'lab':
      return r.lab;
    case 'step':
      return r.complete ? Number.MAX_SAFE_INTEGER : (r.stepNumber ?? 0);
    case 'onStep':
      return r.onStepSince === undefined ? -1 : now - r.onStepSince;
    case 'lastCheck':
      return r.lastCheck?.at ?? 0;
    case 'help':
      return r.hintsRevealed + 10 * r.solutionsShown;
    case 'cpu':
      return r.sandbox.cpuCores ?? -1;
    case 'memory':
      return r.sandbox.memoryBytes ?? -1;
  }
};

export function sortRows(rows: LearnerRow[], key: SortKey, descending: boolean, now: number): LearnerRow[] {
  const dir = descending ? -1 : 1;
  return [...rows].sort((a, b) => {
    const va = value(a, key, now);
    const vb = value(b, key, now);
    const c = va < vb ? -1 : va > vb ? 1 : 0;
    return c * dir || a.learner.localeCompare(b.learner) || a.lab.localeCompare(b.lab);
  });
}
