'use client';
// The lab's tools under the terminals, as tabs: Editor, Datapath, Benchmarks (those the lab has), and a button that
// maximises the pane over the steps and the terminals (and restores it). The tabs follow the ARIA tabs pattern: one tab stop, the
// arrow keys (and Home, End) move between tabs and show them.
import type { KeyboardEvent } from 'react';
import { BenchPane } from '@/components/bench/bench-pane';
import type { DatapathChannel } from '@/components/datapath/datapath-channel';
import { DatapathPane } from '@/components/datapath/datapath-pane';
import { EditorPane } from '@/components/editor/editor-pane';
import type { BenchEvent } from '@/lib/bench/types';
import type { LabView } from './lab-view';
import type { Tool, ToolTabs } from './use-tool-tabs';

const TOOL_TITLES: Record<Tool, string> = { editor: 'Editor', datapath: 'Datapath', benchmarks: 'Benchmarks' };

interface Props {
  lab: LabView;
  tabs: ToolTabs;
  /** The running sandbox: a new one (Reset lab, Skip to a step, a restart) gives the editor a fresh start. */
  sandboxId?: string;
  sandboxRunning: boolean;
  bench?: BenchEvent;
  datapath: DatapathChannel;
  maximised: boolean;
  onMaximise(on: boolean): void;
}

const tabId = (t: Tool) => `tool-tab-${t}`;
const panelId = (t: Tool) => `tool-panel-${t}`;

export function ToolsPane({ lab, tabs: { tools, tool, select, editorOpened }, sandboxId, sandboxRunning, bench, datapath, maximised, onMaximise }: Props) {
  const onKeyDown = (e: KeyboardEvent<HTMLDivElement>) => {
    const i = Math.max(0, tools.findIndex((t) => tabId(t) === (e.target as HTMLElement).id));
    const next = { ArrowRight: i + 1, ArrowLeft: i - 1 + tools.length, Home: 0, End: tools.length - 1 }[e.key];
    if (next === undefined) return;
    e.preventDefault();
    const t = tools[next % tools.length]!;
    select(t);
    document.getElementById(tabId(t))?.focus();
  };
  const panel = (t: Tool) => ({ id: panelId(t), role: 'tabpanel', 'aria-labelledby': tabId(t), hidden: tool !== t });
  // A tab names its panel only while that panel is in the page (the Datapath pane exists only while shown).
  const mounted = (t: Tool) => tool === t || (t === 'editor' && editorOpened) || t === 'benchmarks';

  return (
    <div className={`tools-pane${maximised ? ' tools-pane-maximised' : ''}`} data-testid="tools-pane" data-maximised={maximised}>
      <div className="tools-bar">
        <div className="tools-tabs" role="tablist" aria-label="Tools" onKeyDown={onKeyDown}>
          {tools.map((t) => (
            <button
              key={t}
              id={tabId(t)}
              type="button"
              role="tab"
              aria-selected={tool === t}
              aria-controls={mounted(t) ? panelId(t) : undefined}
              tabIndex={tool === t ? 0 : -1}
              className={`tools-tab${tool === t ? ' tools-tab-active' : ''}`}
              onClick={() => select(t)}
            >
              {TOOL_TITLES[t]}
            </button>
          ))}
        </div>
        <button
          type="button"
          className="button button-small tools-maximise"
          aria-pressed={maximised}
          title={maximised ? 'Show the steps and the terminals again' : 'Give the tools the whole page, over the steps and the terminals'}
          onClick={() => onMaximise(!maximised)}
        >
          <span aria-hidden>{maximised ? '⤡' : '⤢'}</span> {maximised ? 'Restore' : 'Maximise'}
        </button>
      </div>
      {lab.editor && editorOpened ? (
        <div {...panel('editor')} className="tool-panel tool-panel-fill">
          <EditorPane key={sandboxId} lab={lab.slug} visible={tool === 'editor'} />
        </div>
      ) : null}
      {lab.datapath && tool === 'datapath' ? (
        <div {...panel('datapath')} className="tool-panel">
          <DatapathPane lab={lab.slug} topology={lab.datapath} channel={datapath} />
        </div>
      ) : null}
      {/* Kept mounted: a running benchmark's progress keeps arriving while the Datapath tab is shown. */}
      {lab.benchmark ? (
        <div {...panel('benchmarks')} className="tool-panel">
          <BenchPane lab={lab.slug} modes={lab.benchmarkModes} sandboxRunning={sandboxRunning} event={bench} />
        </div>
      ) : null}
    </div>
  );
}
