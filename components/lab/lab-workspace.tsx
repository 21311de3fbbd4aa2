'use client';
// The lab page: steps on the left; terminals (and, below them, the lab's tools) on the right; all resizable.
// Progress arrives live from the server (/ws/lab) as checks run after each command.
import { useState } from 'react';
import { Group, Panel, Separator } from 'react-resizable-panels';
import { StepList } from '@/components/steps/step-list';
import { StepPanel } from '@/components/steps/step-panel';
import { TerminalPane } from '@/components/terminal/terminal-pane';
import { TerminalsProvider } from '@/components/terminal/terminals-context';
import type { LabProgress } from '@/lib/progress/types';
import { ClassNotices } from './class-notices';
import { IdleBanner } from './idle-banner';
import { LabHeader } from './lab-header';
import type { LabView } from './lab-view';
import { SandboxStart } from './sandbox-start';
import { ToolsPane } from './tools-pane';
import { useLabEvents } from './use-lab-events';
import { useSandbox, type SandboxState } from './use-sandbox';
import { useStepNavigation } from './use-step-navigation';
import { useTerminalTab } from './use-terminal-tab';
import { useToolTabs } from './use-tool-tabs';

export type { LabView };

interface Props {
  lab: LabView;
  initialProgress: LabProgress;
  initialSandbox: SandboxState;
  /** Hints already revealed, per step. */
  initialHints: Record<string, string[]>;
}

export function LabWorkspace({ lab, initialProgress, initialSandbox, initialHints }: Props) {
  const sandbox = useSandbox(lab.slug, initialSandbox);
  const running = sandbox.status.state === 'running';
  const { current, navigate } = useStepNavigation(lab.steps, initialProgress);
  const [hints, setHints] = useState(initialHints);
  const toolTabs = useToolTabs(lab);
  const step = lab.steps[current]!;
  const [terminalTab, setTerminalTab] = useTerminalTab(lab.slug, lab.tabs, step.terminal);
  const live = useLabEvents(lab.slug, step.id, initialProgress, running, {
    onStopped: sandbox.stoppedByServer,
    onReplaced: () => void sandbox.replacedByServer(),
  });
  const stepProgress = live.progress.steps.find((s) => s.step === step.id)!;
  const hasTools = toolTabs.tools.length > 0;

  const todoBefore = live.progress.steps.slice(0, current).findIndex((p) => p.status === 'todo');
  const firstTodoBefore = todoBefore >= 0 ? { id: lab.steps[todoBefore]!.id, title: lab.steps[todoBefore]!.title, index: todoBefore } : undefined;

  const reset = async () => {
    await sandbox.reset();
    setHints({});
    live.clearProgress();
    navigate(0);
  };

  return (
    <TerminalsProvider activeTab={terminalTab} onActiveTab={setTerminalTab}>
      <div className="lab-page">
        <LabHeader
          title={lab.title}
          done={live.progress.doneCount}
          total={lab.steps.length}
          status={sandbox.status}
          onReset={() => void reset()}
          onStop={() => void sandbox.stop()}
        />
        {running && live.idleStopsAt ? <IdleBanner stopsAt={live.idleStopsAt} onKeep={live.keepAlive} /> : null}
        <ClassNotices {...live} />
        <Group orientation="horizontal" className="lab-panes">
          <Panel id="steps" defaultSize="42" minSize="20">
            <div className="steps-pane">
              <StepList steps={lab.steps} progress={live.progress.steps} current={current} onSelect={navigate} />
              <StepPanel
                key={step.id}
                lab={lab.slug}
                step={step}
                index={current}
                total={lab.steps.length}
                progress={stepProgress}
                hints={hints[step.id] ?? []}
                checking={live.checking === step.id}
                outcome={live.outcomes[step.id]}
                sandboxRunning={running}
                firstTodoBefore={firstTodoBefore}
                onHints={(h) => setHints((prev) => ({ ...prev, [step.id]: h }))}
                onNavigate={navigate}
                onSkipTo={() => void sandbox.skipTo(step.id)}
              />
            </div>
          </Panel>
          <Separator className="pane-separator" />
          <Panel id="work" defaultSize="58" minSize="25">
            {running ? (
              <Group orientation="vertical">
                <Panel id="terminals" defaultSize={!hasTools ? '100' : lab.editor ? '45' : '58'} minSize="20">
                  {/* Keyed by the sandbox: one the instructor replaced gets new shells, not reconnects to the old ones. */}
                  <TerminalPane key={sandbox.status.state === 'running' ? sandbox.status.sandbox.id : ''} lab={lab.slug} tabs={lab.tabs} />
                </Panel>
                {hasTools ? (
                  <>
                    <Separator className="pane-separator pane-separator-h" />
                    <Panel id="tools" defaultSize={lab.editor ? '55' : '42'} minSize="8" collapsible>
                      <ToolsPane lab={lab} tabs={toolTabs} sandboxRunning={running} bench={live.bench} datapath={live.datapath} />
                    </Panel>
                  </>
                ) : null}
              </Group>
            ) : (
              <SandboxStart status={sandbox.status} onStart={() => void sandbox.start()} />
            )}
          </Panel>
        </Group>
      </div>
    </TerminalsProvider>
  );
}
