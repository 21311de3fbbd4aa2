'use client';
// The learner's sandbox for a lab, as React state: status, start, stop, reset (app/api/labs/[slug]/sandbox, /reset).
import { useCallback, useEffect, useState } from 'react';
import { api, apiErrorOf, type ApiError } from '@/components/common/api';

export type SandboxState =
  | { state: 'none' | 'starting' | 'stopping' }
  | { state: 'running'; sandbox: { id: string; proxy: string; createdAt: string } }
  | { state: 'error'; error: ApiError };

/** A sandbox call never throws: a failure is a state the page shows. */
function call(url: string, method: 'GET' | 'POST' | 'DELETE'): Promise<SandboxState> {
  return api<SandboxState>(url, { method }).catch((e: unknown): SandboxState => ({ state: 'error', error: apiErrorOf(e) }));
}

export function useSandbox(slug: string, initial?: SandboxState) {
  const [status, setStatus] = useState<SandboxState>(initial ?? { state: 'none' });
  const base = `/api/labs/${encodeURIComponent(slug)}`;
  useEffect(() => {
    if (!initial) void call(`${base}/sandbox`, 'GET').then(setStatus);
  }, [base, initial]);
  const start = useCallback(async () => {
    setStatus({ state: 'starting' });
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
  return { status, start, stop, reset };
}
