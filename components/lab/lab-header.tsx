'use client';
// Above the panes, on one line at any width from 1024 px: the lab's title (cut short with an ellipsis when the line
// is full; the whole title on hover), steps done, the sandbox's state, Reset lab (it asks in a dialog, which pushes
// nothing aside) and Stop sandbox.
import { ConfirmButton } from '@/components/common/confirm-button';
import { proxyName } from '@/components/common/proxy-name';
import type { SandboxState } from './use-sandbox';

interface Props {
  title: string;
  done: number;
  total: number;
  status: SandboxState;
  /** The proxy the lab runs in place of the image's (lab.yaml proxy). */
  labProxy?: string;
  onReset(): void;
  onStop(): void;
}

export function LabHeader({ title, done, total, status, labProxy, onReset, onStop }: Props) {
  const imageProxy = status.state === 'running' ? proxyName(status.sandbox.proxy) : undefined;
  const proxy = labProxy ?? imageProxy;
  const proxyTitle = labProxy ? `this lab runs ${labProxy} in place of the image's ${imageProxy ?? 'proxy'}` : `its proxy is ${imageProxy}`;
  return (
    <header className="lab-header" data-testid="lab-header">
      <h1 title={title}>{title}</h1>
      <span className="lab-progress" data-testid="lab-progress">
        {done}/{total} steps done
      </span>
      <div className="lab-header-actions" data-testid="sandbox-state" data-state={status.state}>
        {status.state === 'running' ? (
          <span className="badge badge-ok" title={`Sandbox ${status.sandbox.id} is running; ${proxyTitle}`}>
            {/* The longer words go first when the line is short (lab.css). */}
            <span className="wide-only">sandbox </span>running · <span className="wide-only">proxy </span>
            {proxy}
          </span>
        ) : null}
        {status.state === 'running' && status.sandbox.kernel ? (
          <span
            className={`badge ${status.sandbox.kernel === 'own' ? 'badge-ok' : 'badge-warn'}`}
            data-testid="kernel-badge"
            title={
              status.sandbox.kernel === 'own'
                ? 'Your sandbox runs its own kernel (a VM runtime): what you load there stays there.'
                : 'Your sandbox shares the host kernel: eBPF programs you load run in it, for the whole machine.'
            }
          >
            {status.sandbox.kernel} kernel
          </span>
        ) : null}
        <ConfirmButton
          label="Reset lab…"
          question="Reset this lab? You get a fresh sandbox (your files in it start over) and this lab's progress is cleared."
          confirm="Reset lab"
          onConfirm={onReset}
        />
        {status.state === 'running' ? (
          <button type="button" className="button button-small" onClick={onStop}>
            Stop sandbox
          </button>
        ) : null}
      </div>
    </header>
  );
}
