'use client';
// The Editor pane: Monaco on the lab's workspace files in the sandbox. Save (Ctrl+S) never overwrites a version the
// learner has not seen; changes made from the terminal show up (reloaded, or a conflict notice when there are unsaved
// edits); Build turns clang's diagnostics into markers; Load shows a refused program's verifier log; Reset file
// restores the starter; Compare diffs against the reference once its solution was revealed. The pane belongs to one
// sandbox (tools-pane.tsx keys it by the sandbox's id): a new sandbox gets a fresh pane, and the Monaco models of
// this one go with it, so no text of an old sandbox can stay on screen. The file on view and each file's cursor and
// scroll are remembered per lab (editor-memory.ts).
import Editor, { loader, type Monaco } from '@monaco-editor/react';
import type { editor as MonacoEditor } from 'monaco-editor';
import { useEffect, useMemo, useRef } from 'react';
import { ApiErrorView } from '@/components/common/api-error';
import { useApiError } from '@/components/common/use-api-error';
import { editorApi, languageOf } from './editor-api';
import { EditorCompare } from './editor-compare';
import { editorMemory } from './editor-memory';
import { EditorNotice } from './editor-notice';
import { EditorOutput } from './editor-output';
import { EditorToolbar } from './editor-toolbar';
import { MARKER_OWNER, applyMarkers } from './monaco-markers';
import { EDITOR_THEME, defineEditorTheme } from './monaco-theme';
import { useBuildAndLoad } from './use-build-and-load';
import { useWorkspaceDocuments } from './use-workspace-documents';

// Monaco from the app itself (app/monaco/vs), never from a CDN: the app must work offline.
loader.config({ paths: { vs: '/monaco/vs' } });

/** A cursor or scroll change is remembered once the learner pauses this long. */
const REMEMBER_VIEW_MS = 500;

const OPTIONS: MonacoEditor.IStandaloneEditorConstructionOptions = {
  minimap: { enabled: false },
  fontSize: 13,
  automaticLayout: true,
  scrollBeyondLastLine: false,
  tabSize: 8,
  // The sticky header line drew over the code's first lines in this pane; the file is short enough without it.
  stickyScroll: { enabled: false },
  // Hovers and suggestions may leave the pane (its panel clips what overflows it).
  fixedOverflowWidgets: true,
};

const pathOf = (model: MonacoEditor.ITextModel | null) => model?.uri.path.replace(/^\//, '');

export function EditorPane({ lab, visible }: { lab: string; visible: boolean }) {
  const api = useMemo(() => editorApi(lab), [lab]);
  const memory = useMemo(() => editorMemory(lab), [lab]);
  const monaco = useRef<Monaco | undefined>(undefined);
  const editor = useRef<MonacoEditor.IStandaloneCodeEditor | undefined>(undefined);
  const { error, fail, clear } = useApiError();
  const files = useWorkspaceDocuments(api, visible, monaco, memory, { fail, clear });
  const { open, openDoc, notice, compare, latest, openPaths } = files;
  const commands = useBuildAndLoad({ api, monaco, editor, open, openFile: files.openFile, ready: files.ready, fail, clear });
  const forOpenFile = (act: (path: string) => Promise<unknown>) => () => {
    if (open) void act(open);
  };

  // This pane's models go with it; the one on view is disposed by Monaco's own component.
  useEffect(
    () => () => {
      const m = monaco.current;
      if (!m) return;
      for (const path of openPaths()) {
        const model = m.editor.getModel(m.Uri.parse(path));
        if (model && !model.isDisposed() && model !== editor.current?.getModel()) model.dispose();
      }
    },
    [openPaths],
  );

  /** The model on view shows the document's text (a model left by an earlier pane would show an old sandbox's). */
  const showCurrent = (ed: MonacoEditor.IStandaloneCodeEditor) => {
    const model = ed.getModel();
    const path = pathOf(model);
    const text = path ? latest(path).text : undefined;
    if (model && text !== undefined && model.getValue() !== text) model.setValue(text);
  };

  const onMount = (ed: MonacoEditor.IStandaloneCodeEditor, m: Monaco) => {
    editor.current = ed;
    monaco.current = m;
    ed.addCommand(m.KeyMod.CtrlCmd | m.KeyCode.KeyS, () => {
      const path = pathOf(ed.getModel());
      if (path) void files.save(path);
    });
    showCurrent(ed);
    // Where the learner was in each file: restored the first time the file is shown in this pane (later, Monaco's
    // component keeps it while switching files), remembered as it changes.
    const restored = new Set<string>();
    const restore = () => {
      const path = pathOf(ed.getModel());
      if (!path || restored.has(path)) return;
      restored.add(path);
      const view = memory.view(path);
      if (view) ed.restoreViewState(view);
    };
    restore();
    ed.onDidChangeModel(() => {
      showCurrent(ed);
      restore();
    });
    let timer: ReturnType<typeof setTimeout> | undefined;
    const remember = () => {
      clearTimeout(timer);
      const path = pathOf(ed.getModel());
      timer = setTimeout(() => path && memory.rememberView(path, ed.saveViewState()), REMEMBER_VIEW_MS);
    };
    ed.onDidChangeCursorPosition(remember);
    ed.onDidScrollChange(remember);
    ed.onDidDispose(() => clearTimeout(timer));
    // Back from a comparison, the editor has a fresh model for the file (the old one went with it): mark it again.
    if (commands.build) applyMarkers(m, commands.build.diagnostics, MARKER_OWNER.build);
  };

  return (
    <div className="editor-pane" data-testid="editor-pane">
      <EditorToolbar
        list={files.list}
        open={open}
        dirty={files.dirty}
        build={commands.build}
        busy={commands.busy}
        onOpen={(path) => void files.openFile(path)}
        onSave={forOpenFile((path) => files.save(path))}
        onBuild={commands.runBuild}
        onLoad={commands.runLoad}
        onReset={forOpenFile(files.resetFile)}
        onCompareSolution={forOpenFile(files.compareWithSolution)}
      />
      {notice ? (
        <EditorNotice
          notice={notice}
          onReloadTheirs={() => void files.reloadTheirs(notice.path)}
          onOverwrite={() => void files.save(notice.path, true)}
          onCompare={() => void files.compareWithSandbox(notice.path)}
          onDismiss={files.dismissNotice}
        />
      ) : null}
      {error ? <ApiErrorView error={error} /> : null}
      <div className="editor-surface">
        {compare ? (
          <EditorCompare compare={compare} mine={files.texts[compare.path] ?? ''} onClose={files.closeCompare} />
        ) : open && openDoc ? (
          <Editor
            height="100%"
            theme={EDITOR_THEME}
            beforeMount={defineEditorTheme}
            path={open}
            language={languageOf(open)}
            defaultValue={files.texts[open] ?? openDoc.saved}
            loading={<p className="muted">Loading the editor…</p>}
            options={OPTIONS}
            onMount={onMount}
            onChange={(value) => files.setText(open, value ?? '')}
          />
        ) : (
          <p className="muted">{files.list ? 'Pick a file.' : 'Reading the workspace…'}</p>
        )}
      </div>
      <EditorOutput build={commands.build} load={commands.load} busy={commands.busy} onReveal={commands.reveal} />
    </div>
  );
}
