'use client';
// The learner's sandbox for a lab, as React state: status, start, stop (the API in app/api/labs/[slug]/sandbox).
import { useCallback, useEffect, useState } from 'react';

export type ApiError = { code: string; message: string; hint?: string; details?: string[] };
export type SandboxState =
  | { state: 'none' | 'starting' | 'stopping' }
  | { state: 'running'; sandbox: { id: string; proxy: string; createdAt: string } }
  | { state: 'error'; error: ApiError };

async function call(slug: string, method: 'GET' | 'POST' | 'DELETE'): Promise<SandboxState> {
  try {
    const res = await fetch(`/api/labs/${encodeURIComponent(slug)}/sandbox`, { method });
    const body = await res.json().catch(() => ({}));
    if (!res.ok) return { state: 'error', error: body.error ?? { code: 'http', message: `The server answered ${res.status}.` } };
    return body as SandboxState;
  } catch {
    return { state: 'error', error: { code: 'network', message: 'The server cannot be reached.', hint: 'Check your connection and try again.' } };
  }
}

export function useSandbox(slug: string, initial?: SandboxState) {
  const [status, setStatus] = useState<SandboxState>(initial ?? { state: 'none' });
  useEffect(() => {
    if (!initial) void call(slug, 'GET').then(setStatus);
  }, [slug, initial]);
  const start = useCallback(async () => {
    setStatus({ state: 'starting' });
    setStatus(await call(slug, 'POST'));
  }, [slug]);
  const stop = useCallback(async () => {
    setStatus({ state: 'stopping' });
    setStatus(await call(slug, 'DELETE'));
  }, [slug]);
  return { status, start, stop, setStatus };
}
