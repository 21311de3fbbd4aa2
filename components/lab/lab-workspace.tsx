'use client';
// The lab page: steps on the left; terminals (and, below them, the lab's tools) on the right; both splits resizable
// and remembered per lab (lab-layout.ts). The tools can be maximised over the steps and the terminals (the datapath
// diagram and a wide editor need the page's width); what they cover is then out of the keyboard's way (inert).
// Progress arrives live from the server (/ws/lab) as checks run after each command.
import { useRef, useState } from 'react';
import { Group, Panel, Separator, usePanelRef } from 'react-resizable-panels';
import { withProxyNamed } from '@/components/common/proxy-name';
import { StepList } from '@/components/steps/step-list';
import { StepPanel } from '@/components/steps/step-panel';
import { TerminalPane } from '@/components/terminal/terminal-pane';
import { TerminalsProvider } from '@/components/terminal/terminals-context';
import type { LabProgress } from '@/lib/progress/types';
import { ClassNotices } from './class-notices';
import { IdleBanner } from './idle-banner';
import { LabHeader } from './lab-header';
import { sizesFor, type LabLayout } from './lab-layout';
import type { LabView } from './lab-view';
import { SandboxStart } from './sandbox-start';
import { ToolsPane } from './tools-pane';
import { useLabEvents } from './use-lab-events';
import { useLabLayout } from './use-lab-layout';
import { useSandbox, type SandboxState } from './use-sandbox';
import { useStepNavigation } from './use-step-navigation';
import { useStepOpensAtTop } from './use-step-opens-at-top';
import { useTerminalTab } from './use-terminal-tab';
import { useToolTabs, type Tool } from './use-tool-tabs';

export type { LabView };

interface Props {
  lab: LabView;
  initialProgress: LabProgress;
  initialSandbox: SandboxState;
  /** Hints already revealed, per step. */
  initialHints: Record<string, string[]>;
  /** How the learner arranged this lab's page last time (its cookie). */
  initialLayout?: LabLayout;
}

// Pane sizes: percentages of the page by default; minimums in pixels, so that each pane keeps room for what it shows
// at any window size (a step's text; a terminal's tab bar and a few rows; the editor's toolbar, ten lines and its
// status line).
const STEPS_MIN = '260px';
const WORK_MIN = '380px';
const TERMINALS_MIN = '120px';
const TOOLS_MIN = { editor: '300px', other: '200px' };
/** The tools pane collapsed (dragged down past its minimum): its tab bar stays, a click on a tab opens it again. */
const TOOLS_COLLAPSED = '38px';

export function LabWorkspace({ lab, initialProgress, initialSandbox, initialHints, initialLayout = {} }: Props) {
  const sandbox = useSandbox(lab.slug, initialSandbox);
  const running = sandbox.status.state === 'running';
  const { current, navigate } = useStepNavigation(lab.steps, initialProgress);
  const [hints, setHints] = useState(initialHints);
  const layout = useLabLayout(lab.slug, initialLayout);
  const toolTabs = useToolTabs(lab, initialLayout.tool, (tool) => layout.save({ tool }));
  const toolsPanel = usePanelRef();
  const stepsPane = useRef<HTMLDivElement>(null);
  const step = lab.steps[current]!;
  const [terminalTab, setTerminalTab] = useTerminalTab(lab.slug, lab.tabs, step.terminal);
  useStepOpensAtTop(stepsPane, step.id);
  const live = useLabEvents(lab.slug, step.id, initialProgress, running, {
    onStopped: sandbox.stoppedByServer,
    onReplaced: () => void sandbox.replacedByServer(),
  });
  const stepProgress = live.progress.steps.find((s) => s.step === step.id)!;
  const hasTools = toolTabs.tools.length > 0;
  const proxy = sandbox.status.state === 'running' ? sandbox.status.sandbox.proxy : lab.proxy;
  const maximised = layout.maximised && hasTools && running;

  const todoBefore = live.progress.steps.slice(0, current).findIndex((p) => p.status === 'todo');
  const firstTodoBefore = todoBefore >= 0 ? { id: lab.steps[todoBefore]!.id, title: lab.steps[todoBefore]!.title, index: todoBefore } : undefined;

  const reset = async () => {
    await sandbox.reset();
    setHints({});
    live.clearProgress();
    navigate(0);
  };
  // A tool picked while its pane is collapsed (or a maximise) opens the pane again.
  const expandTools = () => {
    if (toolsPanel.current?.isCollapsed()) toolsPanel.current.expand();
  };
  const tabs = {
    ...toolTabs,
    select: (t: Tool) => {
      toolTabs.select(t);
      expandTools();
    },
  };

  return (
    <TerminalsProvider activeTab={terminalTab} onActiveTab={setTerminalTab}>
      <div className="lab-page">
        <LabHeader
          title={withProxyNamed(lab.title, proxy)}
          done={live.progress.doneCount}
          total={lab.steps.length}
          status={sandbox.status}
          labProxy={lab.labProxy}
          onReset={() => void reset()}
          onStop={() => void sandbox.stop()}
        />
        {running && live.idleStopsAt ? <IdleBanner stopsAt={live.idleStopsAt} onKeep={live.keepAlive} /> : null}
        <ClassNotices {...live} />
        <Group orientation="horizontal" className="lab-panes" defaultLayout={sizesFor(layout.columns, ['steps', 'work'])} onLayoutChanged={layout.onColumnsChanged}>
          <Panel id="steps" defaultSize="42" minSize={STEPS_MIN}>
            <div className="steps-pane" ref={stepsPane} data-testid="steps-pane" inert={maximised}>
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
                nextLab={lab.nextLab}
                onHints={(h) => setHints((prev) => ({ ...prev, [step.id]: h }))}
                onNavigate={navigate}
                onSkipTo={() => void sandbox.skipTo(step.id)}
              />
            </div>
          </Panel>
          <Separator className="pane-separator" aria-label="Resize the steps and the workspace" inert={maximised} />
          <Panel id="work" defaultSize="58" minSize={WORK_MIN}>
            {running ? (
              <div className="lab-work">
                <Group
                  orientation="vertical"
                  defaultLayout={hasTools ? sizesFor(layout.rows, ['terminals', 'tools']) : undefined}
                  onLayoutChanged={layout.onRowsChanged}
                >
                  {/* clip: a terminal larger than its panel for a moment (before it is fitted) must not scroll the
                      panel and push the tab bar out of view. */}
                  <Panel id="terminals" defaultSize={!hasTools ? '100' : lab.editor ? '42' : '58'} minSize={TERMINALS_MIN} style={{ overflow: 'clip' }}>
                    <div className="terminals-slot" inert={maximised}>
                      {/* Keyed by the sandbox: one the instructor replaced gets new shells, not reconnects to the old ones. */}
                      <TerminalPane key={sandbox.status.state === 'running' ? sandbox.status.sandbox.id : ''} lab={lab.slug} tabs={lab.tabs} />
                    </div>
                  </Panel>
                  {hasTools ? (
                    <>
                      <Separator className="pane-separator pane-separator-h" aria-label="Resize the terminals and the tools" inert={maximised} />
                      <Panel
                        id="tools"
                        panelRef={toolsPanel}
                        defaultSize={lab.editor ? '58' : '42'}
                        minSize={lab.editor ? TOOLS_MIN.editor : TOOLS_MIN.other}
                        collapsible
                        collapsedSize={TOOLS_COLLAPSED}
                        style={{ overflow: 'clip' }}
                      >
                        <ToolsPane
                          lab={lab}
                          tabs={tabs}
                          sandboxId={sandbox.status.state === 'running' ? sandbox.status.sandbox.id : undefined}
                          sandboxRunning={running}
                          bench={live.bench}
                          datapath={live.datapath}
                          maximised={maximised}
                          onMaximise={(on) => {
                            if (on) expandTools();
                            layout.setMaximised(on);
                          }}
                        />
                      </Panel>
                    </>
                  ) : null}
                </Group>
              </div>
            ) : (
              <SandboxStart status={sandbox.status} onStart={() => void sandbox.start()} />
            )}
          </Panel>
        </Group>
      </div>
    </TerminalsProvider>
  );
}
