'use client';
// Build and Load: save every file and bring it in line with the sandbox first (a conflict stops there), run the lab's
// command, show its result, mark the lines it names and jump to the first (reveal, also for a click on a problem in
// the output).
import type { Monaco } from '@monaco-editor/react';
import type { editor as MonacoEditor } from 'monaco-editor';
import { useState, type RefObject } from 'react';
import type { BuildResult, EditorApi, LoadResult } from './editor-api';
import { MARKER_OWNER, applyMarkers, verifierDiagnostics } from './monaco-markers';
import { useRevealLine } from './use-reveal-line';

interface Deps {
  api: EditorApi;
  monaco: RefObject<Monaco | undefined>;
  editor: RefObject<MonacoEditor.IStandaloneCodeEditor | undefined>;
  /** The file on view, and how to open another. */
  open: string | undefined;
  openFile(path: string): Promise<void>;
  /** Saves every edit and checks every open file against the sandbox; false when the command must not run. */
  ready(): Promise<boolean>;
  fail(e: unknown): void;
  clear(): void;
}

export function useBuildAndLoad({ api, monaco, editor, open, openFile, ready, fail, clear }: Deps) {
  const [busy, setBusy] = useState<'build' | 'load' | undefined>();
  const [build, setBuild] = useState<BuildResult | undefined>();
  const [load, setLoad] = useState<LoadResult | undefined>();
  // The output panel under the editor shows the last Load, else the last Build: when it changes, the editor resizes.
  const reveal = useRevealLine(editor, open, openFile, load ?? build);

  const run = async (action: 'build' | 'load', show: () => Promise<void>) => {
    setBusy(action);
    clear();
    try {
      if (await ready()) await show();
    } catch (e) {
      fail(e);
    } finally {
      setBusy(undefined);
    }
  };

  const runBuild = () =>
    void run('build', async () => {
      const r = await api.build();
      setBuild(r);
      setLoad(undefined);
      applyMarkers(monaco.current, r.diagnostics, MARKER_OWNER.build);
      applyMarkers(monaco.current, [], MARKER_OWNER.load);
      const first = r.diagnostics.find((d) => d.inWorkspace && d.severity === 'error');
      if (first) reveal(first.path, first.line, first.column);
    });

  const runLoad = () =>
    void run('load', async () => {
      const r = await api.load();
      setLoad(r);
      const marks = verifierDiagnostics(r);
      applyMarkers(monaco.current, marks, MARKER_OWNER.load);
      if (marks[0]) reveal(marks[0].path, marks[0].line);
    });

  return { busy, build, load, runBuild, runLoad, reveal };
}
