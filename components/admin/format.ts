// How the instructor view writes times and sizes (no React: unit-tested).

/** "45 s", "12 min", "1 h 05 min". */
export function duration(ms: number): string {
  if (ms < 60_000) return `${Math.max(0, Math.round(ms / 1000))} s`;
  const minutes = Math.floor(ms / 60_000);
  if (minutes < 60) return `${minutes} min`;
  return `${Math.floor(minutes / 60)} h ${String(minutes % 60).padStart(2, '0')} min`;
}

export function mebibytes(bytes: number): string {
  return `${(bytes / 1024 ** 2).toFixed(bytes < 100 * 1024 ** 2 ? 1 : 0)} MiB`;
}

/** Learners are anonymous: the first characters of their id, enough to tell a class apart. */
export function shortId(learner: string): string {
  return learner.slice(0, 8);
}
