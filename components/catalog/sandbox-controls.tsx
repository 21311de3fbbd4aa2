'use client';
// Start / stop a learner's sandbox for one lab, with its state and any error (message + hint).
import { useCallback, useEffect, useState } from 'react';

type ApiError = { code: string; message: string; hint?: string; details?: string[] };
type Status =
  | { state: 'none' | 'starting' }
  | { state: 'running'; sandbox: { id: string; proxy: string; createdAt: string } }
  | { state: 'error'; error: ApiError };

async function call(slug: string, method: 'GET' | 'POST' | 'DELETE'): Promise<Status> {
  const res = await fetch(`/api/labs/${encodeURIComponent(slug)}/sandbox`, { method });
  const body = await res.json().catch(() => ({}));
  if (!res.ok) return { state: 'error', error: body.error ?? { code: 'http', message: `HTTP ${res.status}` } };
  return body as Status;
}

export function SandboxControls({ slug, initial }: { slug: string; initial?: Status }) {
  const [status, setStatus] = useState<Status>(initial ?? { state: 'none' });
  const [busy, setBusy] = useState(false);

  useEffect(() => {
    if (!initial) void call(slug, 'GET').then(setStatus);
  }, [slug, initial]);

  const act = useCallback(
    async (method: 'POST' | 'DELETE') => {
      setBusy(true);
      if (method === 'POST') setStatus({ state: 'starting' });
      setStatus(await call(slug, method));
      setBusy(false);
    },
    [slug],
  );

  return (
    <div className="sandbox-controls" data-testid={`sandbox-${slug}`} data-state={status.state}>
      {status.state === 'running' ? (
        <>
          <span className="badge badge-ok" title={status.sandbox.id}>
            sandbox running · proxy {status.sandbox.proxy}
          </span>
          <button type="button" className="button" disabled={busy} onClick={() => act('DELETE')}>
            Stop sandbox
          </button>
        </>
      ) : (
        <button type="button" className="button button-primary" disabled={busy || status.state === 'starting'} onClick={() => act('POST')}>
          {status.state === 'starting' ? 'Starting…' : 'Start sandbox'}
        </button>
      )}
      {status.state === 'error' ? (
        <div className="inline-error" role="alert">
          <strong>{status.error.message}</strong>
          {status.error.details?.length ? (
            <ul>
              {status.error.details.map((d) => (
                <li key={d}>{d}</li>
              ))}
            </ul>
          ) : null}
          {status.error.hint ? <p>{status.error.hint}</p> : null}
        </div>
      ) : null}
    </div>
  );
}
