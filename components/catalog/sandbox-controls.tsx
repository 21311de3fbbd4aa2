'use client';
// Start / stop a learner's sandbox for one lab, with its state and any error (message + hint).
import { ApiErrorView } from '@/components/common/api-error';
import { proxyName } from '@/components/common/proxy-name';
import { useSandbox, type SandboxState } from '@/components/lab/use-sandbox';

export function SandboxControls({ slug, initial }: { slug: string; initial?: SandboxState }) {
  const { status, start, stop } = useSandbox(slug, initial);
  const busy = status.state === 'starting' || status.state === 'stopping';
  return (
    <div className="sandbox-controls" data-testid={`sandbox-${slug}`} data-state={status.state}>
      {status.state === 'running' ? (
        <>
          <span className="badge badge-ok" title={status.sandbox.id}>
            sandbox running · proxy {proxyName(status.sandbox.proxy)}
          </span>
          <button type="button" className="button" onClick={() => void stop()}>
            Stop sandbox
          </button>
        </>
      ) : (
        <button type="button" className="button button-primary" disabled={busy} onClick={() => void start()}>
          {status.state === 'starting' ? 'Starting…' : status.state === 'stopping' ? 'Stopping…' : 'Start sandbox'}
        </button>
      )}
      {status.state === 'error' ? <ApiErrorView error={status.error} /> : null}
    </div>
  );
}
