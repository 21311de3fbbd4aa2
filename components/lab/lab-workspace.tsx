'use client';
// The lab page: steps on the left; terminals (and, below them, the lab's tools) on the right; all resizable.
// Progress arrives live from the server (/ws/lab) as checks run after each command.
import { useCallback, useEffect, useState } from 'react';
import { Group, Panel, Separator } from 'react-resizable-panels';
import { BenchPane } from '@/components/bench/bench-pane';
import { ApiErrorView } from '@/components/common/api-error';
import { ConfirmButton } from '@/components/common/confirm-button';
import { DatapathPane } from '@/components/datapath/datapath-pane';
import { EditorPane } from '@/components/editor/editor-pane';
import { StepList } from '@/components/steps/step-list';
import { StepPanel, type StepView } from '@/components/steps/step-panel';
import { TerminalPane, type TabInfo } from '@/components/terminal/terminal-pane';
import { TerminalsProvider } from '@/components/terminal/terminals-context';
import type { Datapath } from '@/lib/labs/schema';
import type { LabProgress } from '@/lib/progress/types';
import { useLabEvents } from './use-lab-events';
import { useSandbox, type SandboxState } from './use-sandbox';

export interface LabView {
  slug: string;
  title: string;
  proxy?: string;
  tabs: TabInfo[];
  steps: StepView[];
  /** The lab has a Benchmarks pane. */
  benchmark: boolean;
  /** The lab's topology for the Datapath pane. */
  datapath?: Datapath;
  /** The lab has an Editor pane (lab.yaml editor). */
  editor: boolean;
}

type Tool = 'editor' | 'datapath' | 'benchmarks';
const TOOL_TITLES: Record<Tool, string> = { editor: 'Editor', datapath: 'Datapath', benchmarks: 'Benchmarks' };

interface Props {
  lab: LabView;
  initialProgress: LabProgress;
  initialSandbox: SandboxState;
  /** Hints already revealed, per step. */
  initialHints: Record<string, string[]>;
}

export function LabWorkspace({ lab, initialProgress, initialSandbox, initialHints }: Props) {
  const { status, start, stop, reset: resetSandbox } = useSandbox(lab.slug, initialSandbox);
  const running = status.state === 'running';
  const firstTodo = initialProgress.steps.findIndex((s) => s.status === 'todo');
  const [current, setCurrent] = useState(() => {
    const saved = lab.steps.findIndex((s) => s.id === initialProgress.currentStep);
    return saved >= 0 ? saved : Math.max(0, firstTodo);
  });
  const [hints, setHints] = useState(initialHints);
  const tools = (['editor', 'datapath', 'benchmarks'] as const).filter((t) =>
    t === 'editor' ? lab.editor : t === 'datapath' ? !!lab.datapath : lab.benchmark,
  );
  const [tool, setTool] = useState<Tool | undefined>(tools[0]);
  // The editor stays mounted once opened: switching tabs must not lose unsaved edits.
  const [editorOpened, setEditorOpened] = useState(tool === 'editor');
  useEffect(() => {
    if (tool === 'editor') setEditorOpened(true);
  }, [tool]);
  const step = lab.steps[current]!;
  const live = useLabEvents(lab.slug, step.id, initialProgress, running);
  const stepProgress = live.progress.steps.find((s) => s.step === step.id)!;

  const navigate = useCallback((i: number) => setCurrent(Math.min(Math.max(0, i), lab.steps.length - 1)), [lab.steps.length]);

  // Keyboard: Alt+←/→ move between steps, Alt+Enter checks the step on view.
  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      if (!e.altKey || e.ctrlKey || e.metaKey) return;
      if (e.key === 'ArrowRight') navigate(current + 1);
      else if (e.key === 'ArrowLeft') navigate(current - 1);
      else if (e.key === 'Enter') document.querySelector<HTMLButtonElement>('.step-check button')?.click();
      else return;
      e.preventDefault();
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, [current, navigate]);

  const reset = async () => {
    await resetSandbox();
    setHints({});
    live.setProgress({ ...live.progress, steps: live.progress.steps.map((s) => ({ step: s.step, status: 'todo', hintsShown: 0, solutionShown: false })), doneCount: 0, complete: false });
    setCurrent(0);
  };

  return (
    <TerminalsProvider initialTab={step.terminal}>
      <div className="lab-page">
        <header className="lab-header">
          <h1>{lab.title}</h1>
          <span className="lab-progress" data-testid="lab-progress">
            {live.progress.doneCount}/{lab.steps.length} steps done
          </span>
          <div className="lab-header-actions" data-testid="sandbox-state" data-state={status.state}>
            {running ? (
              <span className="badge badge-ok" title={status.sandbox.id}>
                sandbox running · proxy {status.sandbox.proxy}
              </span>
            ) : null}
            <ConfirmButton
              label="Reset lab…"
              question="Reset? You get a fresh sandbox and this lab's progress is cleared."
              confirm="Reset lab"
              onConfirm={reset}
            />
            {running ? (
              <button type="button" className="button button-small" onClick={stop}>
                Stop sandbox
              </button>
            ) : null}
          </div>
        </header>
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
                onHints={(h) => setHints((prev) => ({ ...prev, [step.id]: h }))}
                onNavigate={navigate}
              />
            </div>
          </Panel>
          <Separator className="pane-separator" />
          <Panel id="work" defaultSize="58" minSize="25">
            {running ? (
              <Group orientation="vertical">
                <Panel id="terminals" defaultSize={!tools.length ? '100' : lab.editor ? '45' : '58'} minSize="20">
                  <TerminalPane lab={lab.slug} tabs={lab.tabs} />
                </Panel>
                {tools.length ? (
                  <>
                    <Separator className="pane-separator pane-separator-h" />
                    <Panel id="tools" defaultSize={lab.editor ? '55' : '42'} minSize="8" collapsible>
                      <div className="tools-pane">
                        <div className="tools-tabs" role="tablist">
                          {tools.map((t) => (
                            <button
                              key={t}
                              type="button"
                              role="tab"
                              aria-selected={tool === t}
                              className={`tools-tab${tool === t ? ' tools-tab-active' : ''}`}
                              onClick={() => setTool(t)}
                            >
                              {TOOL_TITLES[t]}
                            </button>
                          ))}
                        </div>
                        {lab.editor && editorOpened ? (
                          <div hidden={tool !== 'editor'} className="tool-editor">
                            <EditorPane lab={lab.slug} visible={tool === 'editor'} />
                          </div>
                        ) : null}
                        {tool === 'datapath' && lab.datapath ? <DatapathPane lab={lab.slug} topology={lab.datapath} channel={live.datapath} /> : null}
                        {/* Kept mounted: a running benchmark's progress keeps arriving while the Datapath tab is shown. */}
                        {lab.benchmark ? (
                          <div hidden={tool !== 'benchmarks'}>
                            <BenchPane lab={lab.slug} sandboxRunning={running} event={live.bench} />
                          </div>
                        ) : null}
                      </div>
                    </Panel>
                  </>
                ) : null}
              </Group>
            ) : (
              <div className="sandbox-start">
                <p>This lab runs in your own sandbox: a Linux container with the tools the steps use.</p>
                <button type="button" className="button button-primary" disabled={status.state === 'starting' || status.state === 'stopping'} onClick={start}>
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
