'use client';
// The Editor pane: Monaco on the lab's workspace files in the sandbox. Save (Ctrl+S) never overwrites a version the
// learner has not seen; changes made from the terminal show up (reloaded, or a conflict notice when there are unsaved
// edits); Build turns clang's diagnostics into markers; Load shows a refused program's verifier log; Reset file
// restores the starter; Compare diffs against the reference once its solution was revealed.
import Editor, { DiffEditor, loader, type Monaco } from '@monaco-editor/react';
import type { editor as MonacoEditor } from 'monaco-editor';
import { useCallback, useEffect, useRef, useState } from 'react';
import { ApiErrorView } from '@/components/common/api-error';
import { ConfirmButton } from '@/components/common/confirm-button';
import type { ApiError } from '@/components/common/api';
import type { Diagnostic } from '@/lib/editor/diagnostics';
import { ApiFailure, apiErrorOf } from '@/components/common/api';
import { editorApi, languageOf, type BuildResult, type EditorFileInfo, type FileList, type LoadResult } from './editor-api';
import { EditorOutput } from './editor-output';

// Monaco from the app itself (app/monaco/vs), never from a CDN: the app must work offline.
loader.config({ paths: { vs: '/monaco/vs' } });

/** How often the file list is re-read while the pane is shown, to notice edits made from the terminal. */
const POLL_MS = 2000;

interface Doc {
  /** sha256 of the sandbox version this text started from (what Save sends as its base). */
  base: string;
  /** That version's text: the document is dirty when the editor's text differs. */
  saved: string;
}

type Notice = { kind: 'info' | 'conflict'; path: string; message: string };

const severityOf = (m: Monaco, s: Diagnostic['severity']) =>
  s === 'error' ? m.MarkerSeverity.Error : s === 'warning' ? m.MarkerSeverity.Warning : m.MarkerSeverity.Info;

export function EditorPane({ lab, visible }: { lab: string; visible: boolean }) {
  const api = useRef(editorApi(lab)).current;
  const [list, setList] = useState<FileList | undefined>();
  const [open, setOpen] = useState<string | undefined>();
  const [docs, setDocs] = useState<Record<string, Doc>>({});
  const [texts, setTexts] = useState<Record<string, string>>({});
  const [notice, setNotice] = useState<Notice | undefined>();
  const [error, setError] = useState<ApiError | undefined>();
  const [busy, setBusy] = useState<string | undefined>();
  const [build, setBuild] = useState<BuildResult | undefined>();
  const [load, setLoad] = useState<LoadResult | undefined>();
  const [compare, setCompare] = useState<{ path: string; title: string; original: string } | undefined>();
  const monacoRef = useRef<Monaco | undefined>(undefined);
  const editorRef = useRef<MonacoEditor.IStandaloneCodeEditor | undefined>(undefined);
  const docsRef = useRef(docs);
  docsRef.current = docs;
  const textsRef = useRef(texts);
  textsRef.current = texts;

  /** Updates a document in the ref at once (the poll may run before React re-renders) and in the state. */
  const setDoc = useCallback((path: string, doc: Doc) => {
    docsRef.current = { ...docsRef.current, [path]: doc };
    setDocs(docsRef.current);
  }, []);
  const setText = useCallback((path: string, text: string) => {
    textsRef.current = { ...textsRef.current, [path]: text };
    setTexts(textsRef.current);
  }, []);

  const dirty = (path: string) => docs[path] !== undefined && texts[path] !== undefined && texts[path] !== docs[path]!.saved;
  const fail = (e: unknown) => setError(apiErrorOf(e));

  const model = (path: string) => monacoRef.current?.editor.getModel(monacoRef.current.Uri.parse(path)) ?? undefined;

  /** Puts a sandbox version into the editor (replacing the text, keeping undo). */
  const adopt = useCallback((path: string, content: string, sha: string) => {
    setDoc(path, { base: sha, saved: content });
    setText(path, content);
    const m = model(path);
    if (m && m.getValue() !== content) m.pushEditOperations([], [{ range: m.getFullModelRange(), text: content }], () => null);
  }, [setDoc, setText]);

  const openFile = useCallback(
    async (path: string) => {
      setError(undefined);
      setCompare(undefined);
      if (!docsRef.current[path]) {
        try {
          const f = await api.read(path);
          setDoc(path, { base: f.sha256, saved: f.content });
          setText(path, f.content);
        } catch (e) {
          return fail(e);
        }
      }
      setOpen(path);
    },
    [api, setDoc, setText],
  );

  // The file list, now and every POLL_MS while shown: a file changed in the sandbox is reloaded when it has no
  // unsaved edits, and flagged as a conflict when it has.
  const refresh = useCallback(async () => {
    const l = await api.list().catch((e) => {
      fail(e);
      return undefined;
    });
    if (!l) return;
    setList(l);
    for (const f of l.files) {
      const doc = docsRef.current[f.path];
      if (!doc || !f.exists || f.sha256 === doc.base) continue;
      const text = textsRef.current[f.path];
      if (text === doc.saved) {
        const fresh = await api.read(f.path).catch(() => undefined);
        if (fresh) {
          adopt(f.path, fresh.content, fresh.sha256);
          setNotice({ kind: 'info', path: f.path, message: `${f.path} changed in the sandbox: reloaded.` });
        }
      } else {
        setNotice({ kind: 'conflict', path: f.path, message: `${f.path} changed in the sandbox, and you have unsaved edits.` });
      }
    }
  }, [api, adopt]);

  useEffect(() => {
    if (!visible) return;
    void refresh();
    const t = setInterval(() => void refresh(), POLL_MS);
    return () => clearInterval(t);
  }, [visible, refresh]);

  useEffect(() => {
    if (!open && list?.files[0]) void openFile(list.files[0].path);
  }, [list, open, openFile]);

  /** Saves one file; on a conflict nothing is written and the notice offers the choices. */
  const save = useCallback(
    async (path: string, force = false): Promise<boolean> => {
      const doc = docsRef.current[path];
      const text = textsRef.current[path];
      if (!doc || text === undefined || (text === doc.saved && !force)) return true;
      try {
        const v = await api.save(path, text, force ? 'any' : doc.base);
        setDoc(path, { base: v.sha256, saved: text });
        setNotice((n) => (n?.path === path ? undefined : n));
        return true;
      } catch (e) {
        if (e instanceof ApiFailure && e.apiError.code === 'file_conflict') {
          setNotice({ kind: 'conflict', path, message: `${path} changed in the sandbox since you opened it: not saved.` });
        } else fail(e);
        return false;
      }
    },
    [api, setDoc],
  );

  const saveAll = async () => {
    for (const path of Object.keys(docsRef.current)) if (!(await save(path))) return false;
    return true;
  };

  const applyMarkers = useCallback((diagnostics: Diagnostic[], owner: string) => {
    const m = monacoRef.current;
    if (!m) return;
    for (const mod of m.editor.getModels()) {
      const mine = diagnostics.filter((d) => d.inWorkspace && m.Uri.parse(d.path).toString() === mod.uri.toString());
      m.editor.setModelMarkers(
        mod,
        owner,
        mine.map((d) => ({
          startLineNumber: d.line,
          startColumn: d.column,
          endLineNumber: d.line,
          endColumn: mod.getLineMaxColumn(Math.min(d.line, mod.getLineCount())),
          severity: severityOf(m, d.severity),
          message: d.message,
          source: owner,
        })),
      );
    }
  }, []);

  // Jumping to a line waits for the render that follows (a new output panel resizes the editor; another file
  // needs its model): revealing before that would scroll a viewport that is about to change.
  const [target, setTarget] = useState<{ path: string; line: number; column: number; at: number } | undefined>();
  const reveal = (path: string, line: number, column = 1) => {
    if (path !== open) void openFile(path);
    setTarget({ path, line, column, at: Date.now() });
  };
  useEffect(() => {
    if (!target || target.path !== open) return;
    const frame = requestAnimationFrame(() => {
      const ed = editorRef.current;
      if (!ed) return;
      ed.layout();
      ed.revealLineInCenter(target.line);
      ed.setPosition({ lineNumber: target.line, column: target.column });
      ed.focus();
    });
    return () => cancelAnimationFrame(frame);
  }, [target, open, build, load]);

  /** Build and Load: save every file first (a conflict stops here), run the lab's command, show its result. */
  const runLabCommand = async (action: 'build' | 'load', show: () => Promise<void>) => {
    setBusy(action);
    setError(undefined);
    try {
      if (await saveAll()) await show();
    } catch (e) {
      fail(e);
    } finally {
      setBusy(undefined);
    }
  };

  const runBuild = () =>
    runLabCommand('build', async () => {
      const r = await api.build();
      setBuild(r);
      setLoad(undefined);
      applyMarkers(r.diagnostics, 'clang');
      applyMarkers([], 'verifier');
      const first = r.diagnostics.find((d) => d.inWorkspace && d.severity === 'error');
      if (first) reveal(first.path, first.line, first.column);
    });

  const runLoad = () =>
    runLabCommand('load', async () => {
      const r = await api.load();
      setLoad(r);
      const at = r.verifier.at;
      applyMarkers(
        at?.inWorkspace ? [{ path: at.path, line: at.line, column: 1, severity: 'error', message: `verifier: ${r.verifier.reason ?? 'refused'}`, inWorkspace: true }] : [],
        'verifier',
      );
      if (at?.inWorkspace) reveal(at.path, at.line);
    });

  const reset = async () => {
    if (!open) return;
    try {
      const f = await api.reset(open);
      adopt(open, f.content, f.sha256);
      setNotice({ kind: 'info', path: open, message: `${open} is back to its starter version.` });
    } catch (e) {
      fail(e);
    }
  };

  const reloadTheirs = async (path: string) => {
    try {
      const f = await api.read(path);
      adopt(path, f.content, f.sha256);
      setNotice(undefined);
    } catch (e) {
      fail(e);
    }
  };

  const compareWithSandbox = async (path: string) => {
    try {
      const f = await api.read(path);
      setOpen(path);
      setCompare({ path, title: `the sandbox's version (left) and yours (right)`, original: f.content });
    } catch (e) {
      fail(e);
    }
  };

  const compareWithSolution = async () => {
    if (!open) return;
    try {
      const s = await api.solution(open);
      setCompare({ path: open, title: `the reference solution (left) and yours (right)`, original: s.content });
    } catch (e) {
      fail(e);
    }
  };

  const info = list?.files.find((f) => f.path === open);
  const doc = open ? docs[open] : undefined;
  return (
    <div className="editor-pane" data-testid="editor-pane">
      <div className="editor-toolbar">
        <div className="editor-files" role="tablist" aria-label="Files">
          {list?.files.map((f: EditorFileInfo) => {
            const errors = build?.diagnostics.filter((d) => d.path === f.path && d.severity === 'error').length ?? 0;
            return (
              <button
                key={f.path}
                type="button"
                role="tab"
                aria-selected={f.path === open}
                className={`editor-file${f.path === open ? ' editor-file-open' : ''}`}
                data-testid={`editor-file-${f.path}`}
                data-dirty={dirty(f.path)}
                title={f.exists ? `${list.workspace}/${f.path}` : `${f.path} does not exist in the sandbox`}
                onClick={() => void openFile(f.path)}
              >
                {f.path}
                {dirty(f.path) ? <span className="editor-dirty" aria-label="unsaved changes"> ●</span> : null}
                {errors ? <span className="badge badge-error">{errors}</span> : null}
                {!f.exists ? <span className="muted"> (missing)</span> : null}
              </button>
            );
          })}
        </div>
        <div className="editor-actions">
          <button type="button" className="button button-small" disabled={!open || !dirty(open)} onClick={() => open && void save(open)} title="Ctrl+S">
            Save
          </button>
          {list?.build ? (
            <button type="button" className="button button-small button-primary" disabled={!!busy} onClick={runBuild} title="Saves, then runs the lab's build">
              {busy === 'build' ? 'Building…' : 'Build'}
            </button>
          ) : null}
          {list?.load ? (
            <button type="button" className="button button-small" disabled={!!busy} onClick={runLoad} title="Saves, then loads and attaches the programs">
              {busy === 'load' ? 'Loading…' : 'Load'}
            </button>
          ) : null}
          <ConfirmButton label="Reset file…" question={`Replace ${open} with its starter version?`} confirm="Reset file" disabled={!open} onConfirm={reset} />
          {info?.solution ? (
            <button
              type="button"
              className="button button-small"
              disabled={!info.solution.revealed}
              title={info.solution.revealed ? 'Diff against the reference solution' : 'Reveal this step\'s solution first'}
              onClick={compareWithSolution}
            >
              Compare with solution
            </button>
          ) : null}
        </div>
      </div>
      {notice ? (
        <div className={`editor-notice editor-notice-${notice.kind}`} role="status" data-testid="editor-notice" data-kind={notice.kind}>
          {notice.message}{' '}
          {notice.kind === 'conflict' ? (
            <>
              <button type="button" className="button button-small" onClick={() => void reloadTheirs(notice.path)}>
                Reload theirs (drop my edits)
              </button>{' '}
              <button type="button" className="button button-small" onClick={() => void save(notice.path, true)}>
                Overwrite with mine
              </button>{' '}
              <button type="button" className="button button-small" onClick={() => void compareWithSandbox(notice.path)}>
                Compare
              </button>
            </>
          ) : (
            <button type="button" className="button button-small" onClick={() => setNotice(undefined)}>
              OK
            </button>
          )}
        </div>
      ) : null}
      {error ? <ApiErrorView error={error} /> : null}
      <div className="editor-surface">
        {compare ? (
          <div className="editor-compare" data-testid="editor-compare">
            <div className="editor-compare-bar">
              Comparing {compare.path}: {compare.title}{' '}
              <button type="button" className="button button-small" onClick={() => setCompare(undefined)}>
                Close
              </button>
            </div>
            <DiffEditor
              height="100%"
              theme="vs-dark"
              language={languageOf(compare.path)}
              original={compare.original}
              modified={texts[compare.path] ?? ''}
              originalModelPath={`reference/${compare.path}`}
              modifiedModelPath={`compare/${compare.path}`}
              options={{ readOnly: true, renderSideBySide: true, minimap: { enabled: false }, automaticLayout: true }}
            />
          </div>
        ) : open && doc ? (
          <Editor
            height="100%"
            theme="vs-dark"
            path={open}
            language={languageOf(open)}
            defaultValue={texts[open] ?? doc.saved}
            loading={<p className="muted">Loading the editor…</p>}
            options={{ minimap: { enabled: false }, fontSize: 13, automaticLayout: true, scrollBeyondLastLine: false, tabSize: 8 }}
            onMount={(ed, m) => {
              editorRef.current = ed;
              monacoRef.current = m;
              ed.addCommand(m.KeyMod.CtrlCmd | m.KeyCode.KeyS, () => {
                const path = ed.getModel()?.uri.path.replace(/^\//, '');
                if (path) void save(path);
              });
              if (build) applyMarkers(build.diagnostics, 'clang');
            }}
            onChange={(value) => open && setText(open, value ?? '')}
          />
        ) : (
          <p className="muted">{list ? 'Pick a file.' : 'Reading the workspace…'}</p>
        )}
      </div>
      <EditorOutput build={build} load={load} onReveal={reveal} />
    </div>
  );
}
