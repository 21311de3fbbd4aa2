'use client';
// The lab's tools under the terminals, as tabs: Editor, Datapath, Benchmarks (those the lab has).
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
  sandboxRunning: boolean;
  bench?: BenchEvent;
  datapath: DatapathChannel;
}

export function ToolsPane({ lab, tabs: { tools, tool, select, editorOpened }, sandboxRunning, bench, datapath }: Props) {
  return (
    <div className="tools-pane">
      <div className="tools-tabs" role="tablist">
        {tools.map((t) => (
          <button
            key={t}
            type="button"
            role="tab"
            aria-selected={tool === t}
            className={`tools-tab${tool === t ? ' tools-tab-active' : ''}`}
            onClick={() => select(t)}
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
      {tool === 'datapath' && lab.datapath ? <DatapathPane lab={lab.slug} topology={lab.datapath} channel={datapath} /> : null}
      {/* Kept mounted: a running benchmark's progress keeps arriving while the Datapath tab is shown. */}
      {lab.benchmark ? (
        <div hidden={tool !== 'benchmarks'}>
          <BenchPane lab={lab.slug} sandboxRunning={sandboxRunning} event={bench} />
        </div>
      ) : null}
    </div>
  );
}
