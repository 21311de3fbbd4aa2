'use client';
// The tools under the terminals that this lab has (Editor, Datapath, Benchmarks) and the one shown. Kept by the
// workspace, above the panes, so that the choice survives a sandbox restart (Reset lab); `initial` is the one the
// learner last had (lab-layout.ts), and `onSelect` saves each choice.
import { useState } from 'react';
import type { LabView } from './lab-view';

export type Tool = 'editor' | 'datapath' | 'benchmarks';
const ALL_TOOLS: Tool[] = ['editor', 'datapath', 'benchmarks'];

export type ToolTabs = ReturnType<typeof useToolTabs>;

export function useToolTabs(lab: LabView, initial?: Tool, onSelect?: (tool: Tool) => void) {
  const tools = ALL_TOOLS.filter((t) => (t === 'editor' ? lab.editor : t === 'datapath' ? !!lab.datapath : lab.benchmark));
  const [tool, setTool] = useState<Tool | undefined>(initial && tools.includes(initial) ? initial : tools[0]);
  // The editor stays mounted once opened: switching tabs must not lose unsaved edits.
  const [editorOpened, setEditorOpened] = useState(tool === 'editor');
  const select = (t: Tool) => {
    setTool(t);
    if (t === 'editor') setEditorOpened(true);
    onSelect?.(t);
  };
  return { tools, tool, select, editorOpened };
}
