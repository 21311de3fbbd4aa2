'use client';
// Where the terminals go while the learner has no sandbox: what it is, Start, and why starting failed.
import { ApiErrorView } from '@/components/common/api-error';
import type { SandboxState } from './use-sandbox';

export function SandboxStart({ status, onStart }: { status: SandboxState; onStart(): void }) {
  return (
    <div className="sandbox-start">
      <p>This lab runs in your own sandbox: a Linux container with the tools the steps use.</p>
      <button type="button" className="button button-primary" disabled={status.state === 'starting' || status.state === 'stopping'} onClick={onStart}>
        {status.state === 'starting' ? 'Starting your sandbox…' : 'Start sandbox'}
      </button>
      {status.state === 'error' ? <ApiErrorView error={status.error} /> : null}
    </div>
  );
}
