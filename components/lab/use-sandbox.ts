'use client';
// The learner's sandbox for a lab, as React state: status, start, stop, reset (app/api/labs/[slug]/sandbox, /reset).
// A full server puts the learner in line: the page shows the place and asks again by itself until it gets one.
import { useCallback, useEffect, useState } from 'react';
import { api, apiErrorOf, type ApiError } from '@/components/common/api';

/** Why the server stopped a sandbox without the learner asking (the page says so, and Start brings a new one). */
export type StopReason = { reason: 'idle'; idleMinutes: number } | { reason: 'instructor' };

export type SandboxState =
  | { state: 'none'; stopped?: StopReason }
  | { state: 'starting' | 'stopping'; note?: string }
  | { state: 'running'; sandbox: { id: string; proxy: string; createdAt: string; kernel?: 'shared' | 'own' } }
  | { state: 'waiting'; position: number; retryS: number; error: ApiError }
  | { state: 'error'; error: ApiError };

/** A sandbox call never throws: a failure is a state the page shows; a full server is a place in line. */
function call(url: string, method: 'GET' | 'POST' | 'DELETE', body?: unknown): Promise<SandboxState> {
  return api<SandboxState>(url, { method, body: body === undefined ? undefined : JSON.stringify(body) }).catch((e: unknown): SandboxState => {
    const error = apiErrorOf(e);
    const position = error.data?.position;
    if (error.code === 'server_full' && typeof position === 'number') {
      return { state: 'waiting', position, retryS: Number(error.data?.retryS) || 5, error };
    }
    return { state: 'error', error };
  });
}

export function useSandbox(slug: string, initial?: SandboxState) {
  const [status, setStatus] = useState<SandboxState>(initial ?? { state: 'none' });
  const base = `/api/labs/${encodeURIComponent(slug)}`;
  useEffect(() => {
    if (!initial) void call(`${base}/sandbox`, 'GET').then(setStatus);
  }, [base, initial]);
  const start = useCallback(async () => {
    setStatus((s) => (s.state === 'waiting' ? s : { state: 'starting' }));
    setStatus(await call(`${base}/sandbox`, 'POST'));
  }, [base]);
  const stop = useCallback(async () => {
    setStatus({ state: 'stopping' });
    setStatus(await call(`${base}/sandbox`, 'DELETE'));
  }, [base]);
  /** A fresh sandbox, and the lab's progress cleared on the server. */
  const reset = useCallback(async () => {
    setStatus({ state: 'starting' });
    setStatus(await call(`${base}/reset`, 'POST'));
  }, [base]);
  /** A fresh sandbox brought to the start of `step` by the reference solutions of the steps before it. */
  const skipTo = useCallback(
    async (step: string) => {
      setStatus({ state: 'starting', note: 'Preparing a fresh sandbox: the steps before this one are being solved for you (this can take a minute)…' });
      setStatus(await call(`${base}/skip`, 'POST', { step }));
    },
    [base],
  );
  /** The server stopped the sandbox (it was not used): the page says why; progress is kept. */
  const stoppedByServer = useCallback((stopped: StopReason) => setStatus({ state: 'none', stopped }), []);
  /** The instructor gave the learner a fresh sandbox: the page follows it (terminals and tools reattach to it). */
  const replacedByServer = useCallback(async () => setStatus(await call(`${base}/sandbox`, 'GET')), [base]);

  // In line: ask again when the server said to, as long as the page is open (every answer is a new state object,
  // so each one schedules the next try).
  const waiting = status.state === 'waiting' ? status : undefined;
  useEffect(() => {
    if (!waiting) return;
    const timer = setTimeout(() => void start(), waiting.retryS * 1000);
    return () => clearTimeout(timer);
  }, [waiting, start]);

  return { status, start, stop, reset, skipTo, stoppedByServer, replacedByServer };
}
