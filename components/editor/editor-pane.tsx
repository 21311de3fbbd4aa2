'use client';
// The Editor pane: Monaco on the lab's workspace files in the sandbox. Save (Ctrl+S) never overwrites a version the
// learner has not seen; changes made from the terminal show up (reloaded, or a conflict notice when there are unsaved
// edits); Build turns clang's diagnostics into markers; Load shows a refused program's verifier log; Reset file
// restores the starter; Compare diffs against the reference once its solution was revealed.
import Editor, { loader, type Monaco } from '@monaco-editor/react';
import type { editor as MonacoEditor } from 'monaco-editor';
import { useMemo, useRef } from 'react';
import { ApiErrorView } from '@/components/common/api-error';
import { useApiError } from '@/components/common/use-api-error';
import { editorApi, languageOf } from './editor-api';
import { EditorCompare } from './editor-compare';
import { EditorNotice } from './editor-notice';
import { EditorOutput } from './editor-output';
import { EditorToolbar } from './editor-toolbar';
import { MARKER_OWNER, applyMarkers } from './monaco-markers';
import { useBuildAndLoad } from './use-build-and-load';
import { useWorkspaceDocuments } from './use-workspace-documents';

// Monaco from the app itself (app/monaco/vs), never from a CDN: the app must work offline.
loader.config({ paths: { vs: '/monaco/vs' } });

export function EditorPane({ lab, visible }: { lab: string; visible: boolean }) {
  const api = useMemo(() => editorApi(lab), [lab]);
  const monaco = useRef<Monaco | undefined>(undefined);
  const editor = useRef<MonacoEditor.IStandaloneCodeEditor | undefined>(undefined);
  const { error, fail, clear } = useApiError();
  const files = useWorkspaceDocuments(api, visible, monaco, { fail, clear });
  const { open, openDoc, notice, compare } = files;
  const commands = useBuildAndLoad({ api, monaco, editor, open, openFile: files.openFile, saveAll: files.saveAll, fail, clear });
  const forOpenFile = (act: (path: string) => Promise<unknown>) => () => {
    if (open) void act(open);
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
            theme="vs-dark"
            path={open}
            language={languageOf(open)}
            defaultValue={files.texts[open] ?? openDoc.saved}
            loading={<p className="muted">Loading the editor…</p>}
            options={{ minimap: { enabled: false }, fontSize: 13, automaticLayout: true, scrollBeyondLastLine: false, tabSize: 8 }}
            onMount={(ed, m) => {
              editor.current = ed;
              monaco.current = m;
              ed.addCommand(m.KeyMod.CtrlCmd | m.KeyCode.KeyS, () => {
                const path = ed.getModel()?.uri.path.replace(/^\//, '');
                if (path) void files.save(path);
              });
              // Back from a comparison, the editor has a fresh model for the file (the old one went with it): mark it again.
              if (commands.build) applyMarkers(m, commands.build.diagnostics, MARKER_OWNER.build);
            }}
            onChange={(value) => files.setText(open, value ?? '')}
          />
        ) : (
          <p className="muted">{files.list ? 'Pick a file.' : 'Reading the workspace…'}</p>
        )}
      </div>
      <EditorOutput build={commands.build} load={commands.load} onReveal={commands.reveal} />
    </div>
  );
}
