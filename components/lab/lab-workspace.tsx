'use client';
// The lab page: steps on the left, terminals on the right (resizable), the sandbox's state in the header.
import { Group, Panel, Separator } from 'react-resizable-panels';
import { useState } from 'react';
import { ApiErrorView } from '@/components/common/api-error';
import { StepContent } from '@/components/steps/step-content';
import { TerminalPane, type TabInfo } from '@/components/terminal/terminal-pane';
import { TerminalsProvider } from '@/components/terminal/terminals-context';
import { useSandbox } from './use-sandbox';

export interface StepView {
  id: string;
  title: string;
  html: string;
  terminal: string;
  hints: string[];
}

export interface LabView {
  slug: string;
  title: string;
  tabs: TabInfo[];
  steps: StepView[];
}

export function LabWorkspace({ lab }: { lab: LabView }) {
  const { status, start, stop } = useSandbox(lab.slug);
  const [current, setCurrent] = useState(0);
  const step = lab.steps[current]!;

  return (
    <TerminalsProvider initialTab={lab.tabs[0]!.name}>
      <div className="lab-page">
        <header className="lab-header">
          <h1>{lab.title}</h1>
          <div className="lab-header-actions" data-testid="sandbox-state" data-state={status.state}>
            {status.state === 'running' ? (
              <>
                <span className="badge badge-ok" title={status.sandbox.id}>
                  sandbox running · proxy {status.sandbox.proxy}
                </span>
                <button type="button" className="button button-small" onClick={stop}>
                  Stop sandbox
                </button>
              </>
            ) : null}
          </div>
        </header>
        <Group orientation="horizontal" className="lab-panes">
          <Panel id="steps" defaultSize="40" minSize="20">
            <nav className="step-list" aria-label="Steps">
              <ol>
                {lab.steps.map((s, i) => (
                  <li key={s.id}>
                    <button type="button" aria-current={i === current ? 'step' : undefined} onClick={() => setCurrent(i)}>
                      <span className="step-number">{i + 1}</span> {s.title}
                    </button>
                  </li>
                ))}
              </ol>
            </nav>
            <article className="step" aria-labelledby="step-title">
              <h2 id="step-title">
                Step {current + 1}: {step.title}
              </h2>
              <StepContent html={step.html} />
            </article>
          </Panel>
          <Separator className="pane-separator" />
          <Panel id="work" defaultSize="60" minSize="25">
            {status.state === 'running' ? (
              <TerminalPane lab={lab.slug} tabs={lab.tabs} />
            ) : (
              <div className="sandbox-start">
                <p>This lab runs in your own sandbox: a Linux container with the tools the steps use.</p>
                <button
                  type="button"
                  className="button button-primary"
                  disabled={status.state === 'starting' || status.state === 'stopping'}
                  onClick={start}
                >
                  {status.state === 'starting' ? 'Starting your sandbox…' : 'Start sandbox'}
                </button>
                {status.state === 'error' ? <ApiErrorView error={status.error} /> : null}
              </div>
            )}
          </Panel>
        </Group>
      </div>
    </TerminalsProvider>
  );
}
