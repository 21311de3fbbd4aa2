'use client';
// A moment as people say it ("3 min ago"), with the exact date and time on hover (title) and for machines
// (<time dateTime>). Rendered exact on the server and until hydrated (no clock skew between the two renders), then
// kept current by the clock.
import { useSyncExternalStore } from 'react';

/** How often the words are brought up to date: "just now" turns into "1 min ago" within this. */
const TICK_MS = 30_000;

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;

/** "just now", "5 min ago", "3 h ago", "yesterday", "4 days ago", then the date. */
export function relativeWords(at: number, now: number): string {
  const ago = now - at;
  if (ago < MINUTE) return 'just now';
  if (ago < HOUR) return `${Math.floor(ago / MINUTE)} min ago`;
  if (ago < DAY) return `${Math.floor(ago / HOUR)} h ago`;
  if (ago < 2 * DAY) return 'yesterday';
  if (ago < 7 * DAY) return `${Math.floor(ago / DAY)} days ago`;
  return new Date(at).toLocaleDateString(undefined, { dateStyle: 'medium' });
}

export function exactTime(at: number): string {
  return new Date(at).toLocaleString(undefined, { dateStyle: 'medium', timeStyle: 'medium' });
}

function subscribe(notify: () => void): () => void {
  const timer = setInterval(notify, TICK_MS);
  return () => clearInterval(timer);
}
/** The clock, rounded to the tick so that React sees the same value between two ticks. */
const now = () => Math.floor(Date.now() / TICK_MS) * TICK_MS;

export function useNow(): number | undefined {
  return useSyncExternalStore(subscribe, now, () => undefined);
}

/** `at` in ms since the epoch. */
export function RelativeTime({ at }: { at: number }) {
  const clock = useNow();
  const exact = exactTime(at);
  return (
    <time dateTime={new Date(at).toISOString()} title={exact}>
      {clock === undefined ? exact : relativeWords(at, Math.max(clock, at))}
    </time>
  );
}
