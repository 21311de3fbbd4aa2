'use client';
// Where the terminals go while the learner has no sandbox: what it is, Start, why starting failed, the place in line
// on a full server, and why the server stopped the last one.
import { ApiErrorView } from '@/components/common/api-error';
import type { SandboxState } from './use-sandbox';

const minutes = (n: number) => (n < 1 ? 'less than a minute' : n === 1 ? '1 minute' : `${n} minutes`);

export function SandboxStart({ status, onStart }: { status: SandboxState; onStart(): void }) {
  const busy = status.state === 'starting' || status.state === 'stopping' || status.state === 'waiting';
  return (
    <div className="sandbox-start">
      {status.state === 'none' && status.stopped?.reason === 'idle' ? (
        <p className="notice notice-warn" role="status" data-testid="sandbox-stopped">
          Your sandbox was stopped after {minutes(status.stopped.idleMinutes)} without use, to free it for others. Your
          progress is kept; start a new sandbox to go on (it starts from the lab&apos;s beginning state).
        </p>
      ) : status.state === 'none' && status.stopped?.reason === 'instructor' ? (
        <p className="notice notice-warn" role="status" data-testid="sandbox-stopped">
          Your instructor stopped your sandbox. Your progress is kept; start a new sandbox when you go on (it starts from
          the lab&apos;s beginning state).
        </p>
      ) : (
        <p>This lab runs in your own sandbox: a Linux container with the tools the steps use.</p>
      )}
      <button type="button" className="button button-primary" disabled={busy} onClick={onStart}>
        {status.state === 'starting' ? 'Starting your sandbox…' : status.state === 'waiting' ? 'Waiting for a free sandbox…' : 'Start sandbox'}
      </button>
      {status.state === 'starting' && status.note ? (
        <p className="muted" role="status" data-testid="sandbox-preparing">
          {status.note}
        </p>
      ) : null}
      {status.state === 'waiting' ? (
        <div className="notice notice-hint" role="status" data-testid="sandbox-waiting" data-position={status.position}>
          <strong>{status.error.message}</strong>
          <p>{status.error.hint}</p>
        </div>
      ) : null}
      {status.state === 'error' ? <ApiErrorView error={status.error} /> : null}
    </div>
  );
}
