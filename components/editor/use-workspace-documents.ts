'use client';
// The lab's workspace files in the editor: the file list, re-read while the pane is shown so that edits made from
// the terminal show up (reloaded, or a conflict when there are unsaved edits); the file on view; Save, which never
// overwrites a version the learner has not seen; Reset file; and the comparisons (sandbox's version, solution).
// Before Build and Load, every open file is brought in line with the sandbox (ready()): the build never compiles
// something other than what the editor shows.
import type { Monaco } from '@monaco-editor/react';
import { useCallback, useEffect, useRef, useState, type RefObject } from 'react';
import { ApiFailure } from '@/components/common/api';
import type { EditorApi, EditorFileInfo, FileList } from './editor-api';
import type { EditorMemory } from './editor-memory';
import { useDocumentStore } from './use-document-store';

/** How often the file list is re-read while the pane is shown, to notice edits made from the terminal. */
const POLL_MS = 2000;

export type Notice = { kind: 'info' | 'conflict'; path: string; message: string };
export interface Comparison {
  path: string;
  title: string;
  /** The text on the left; the learner's is on the right. */
  original: string;
}

interface Errors {
  fail(e: unknown): void;
  clear(): void;
}

export function useWorkspaceDocuments(
  api: EditorApi,
  visible: boolean,
  monaco: RefObject<Monaco | undefined>,
  memory: EditorMemory,
  { fail, clear }: Errors,
) {
  const store = useDocumentStore(monaco);
  const { adopt, latest, setDoc, openPaths } = store;
  const [list, setList] = useState<FileList | undefined>();
  const [open, setOpen] = useState<string | undefined>();
  const [notice, setNotice] = useState<Notice | undefined>();
  const [compare, setCompare] = useState<Comparison | undefined>();
  /**
   * Per file, whether a save is on its way (the value is undefined) or when the last one ended. A list asked for before
   * that moment is stale for the file: it may show our own version as "changed in the sandbox", or the one before it.
   */
  const saves = useRef(new Map<string, number | undefined>());
  /** Per file, the number of the last save asked for: only its answer counts (a late 409 must not undo a later save). */
  const saveSeq = useRef(new Map<string, number>());

  const openFile = useCallback(
    async (path: string) => {
      clear();
      setCompare(undefined);
      if (!latest(path).doc) {
        const f = await api.read(path).catch(fail);
        if (!f) return;
        adopt(path, f.content, f.sha256);
      }
      setOpen(path);
      memory.rememberOpen(path);
    },
    [api, adopt, latest, fail, clear, memory],
  );

  // A file changed in the sandbox is reloaded when it has no unsaved edits, and flagged as a conflict when it has
  // (false: the editor and the sandbox disagree until the learner chooses).
  const reconcile = useCallback(
    async (f: EditorFileInfo, askedAt: number): Promise<boolean> => {
      const { doc, text } = latest(f.path);
      const stale = saves.current.has(f.path) && !((saves.current.get(f.path) ?? Infinity) < askedAt);
      if (!doc || !f.exists || f.sha256 === doc.base || stale) return true;
      const conflict = () => {
        setNotice({ kind: 'conflict', path: f.path, message: `${f.path} changed in the sandbox, and you have unsaved edits.` });
        return false;
      };
      if (text !== doc.saved) return conflict();
      const fresh = await api.read(f.path);
      // The read takes a while (seconds on a loaded machine): look again at what the editor has now. The learner may
      // have typed meanwhile (their edits must not be replaced), or another look may have loaded this version already.
      const now = latest(f.path);
      if (!now.doc || fresh.sha256 === now.doc.base) return true;
      if (now.text !== now.doc.saved) return conflict();
      adopt(f.path, fresh.content, fresh.sha256);
      setNotice({ kind: 'info', path: f.path, message: `${f.path} changed in the sandbox: reloaded.` });
      return true;
    },
    [api, adopt, latest],
  );

  // Until a file is open (no document read yet), the one the learner had open last time is, else the list's first.
  // One look at a time: on a loaded machine a look can outlast the poll's period, and looks that overlap pile up
  // requests on the sandbox.
  const looking = useRef(false);
  const refresh = useCallback(() => {
    if (looking.current) return;
    looking.current = true;
    const askedAt = performance.now();
    api
      .list()
      .then(async (l) => {
        setList(l);
        const remembered = memory.open();
        const first = l.files.find((f) => f.path === remembered) ?? l.files[0];
        if (openPaths().length === 0 && first) void openFile(first.path);
        for (const f of l.files) await reconcile(f, askedAt).catch(() => false);
      }, fail)
      .finally(() => {
        looking.current = false;
      });
  }, [api, openPaths, openFile, reconcile, fail, memory]);

  useEffect(() => {
    if (!visible) return;
    refresh();
    const t = setInterval(refresh, POLL_MS);
    return () => clearInterval(t);
  }, [visible, refresh]);

  /** Saves one file; on a conflict nothing is written and the notice offers the choices. */
  const save = useCallback(
    async (path: string, force = false): Promise<boolean> => {
      const { doc, text } = latest(path);
      if (!doc || text === undefined || (text === doc.saved && !force)) return true;
      saves.current.set(path, undefined);
      const seq = (saveSeq.current.get(path) ?? 0) + 1;
      saveSeq.current.set(path, seq);
      const last = () => saveSeq.current.get(path) === seq;
      try {
        const v = await api.save(path, text, force ? 'any' : doc.base);
        if (last()) {
          setDoc(path, { base: v.sha256, saved: text });
          setNotice((n) => (n?.path === path ? undefined : n));
        }
        return true;
      } catch (e) {
        if (!last()) return false;
        if (e instanceof ApiFailure && e.apiError.code === 'file_conflict') {
          setNotice({ kind: 'conflict', path, message: `${path} changed in the sandbox since you opened it: not saved.` });
        } else fail(e);
        return false;
      } finally {
        // An earlier save ending leaves a later one still on its way.
        if (last()) saves.current.set(path, performance.now());
      }
    },
    [api, latest, setDoc, fail],
  );

  /** Saves every open file, stopping at the first that cannot be saved. */
  const saveAll = useCallback(async () => {
    for (const path of openPaths()) if (!(await save(path))) return false;
    return true;
  }, [openPaths, save]);

  /**
   * Before a command that reads the files (Build, Load): every edit saved, and every open file the same as the
   * sandbox's (one changed there since the last poll is reloaded, or, with edits, raises the conflict). False: do not
   * run the command, the notice says why.
   */
  const ready = useCallback(async () => {
    if (!(await saveAll())) return false;
    const askedAt = performance.now();
    const l = await api.list();
    setList(l);
    for (const f of l.files) if (!(await reconcile(f, askedAt))) return false;
    return true;
  }, [api, saveAll, reconcile]);

  const resetFile = (path: string) =>
    api.reset(path).then((f) => {
      adopt(path, f.content, f.sha256);
      setNotice({ kind: 'info', path, message: `${path} is back to its starter version.` });
    }, fail);

  const reloadTheirs = (path: string) =>
    api.read(path).then((f) => {
      adopt(path, f.content, f.sha256);
      setNotice(undefined);
    }, fail);

  const compareWithSandbox = (path: string) =>
    api.read(path).then((f) => {
      setOpen(path);
      setCompare({ path, title: `the sandbox's version (left) and yours (right)`, original: f.content });
    }, fail);

  const compareWithSolution = (path: string) =>
    api.solution(path).then((s) => setCompare({ path, title: `the reference solution (left) and yours (right)`, original: s.content }), fail);

  return {
    list,
    open,
    openFile,
    texts: store.texts,
    openDoc: open ? store.docs[open] : undefined,
    setText: store.setText,
    dirty: store.dirty,
    latest,
    openPaths,
    save,
    ready,
    resetFile,
    notice,
    dismissNotice: () => setNotice(undefined),
    reloadTheirs,
    compare,
    closeCompare: () => setCompare(undefined),
    compareWithSandbox,
    compareWithSolution,
  };
}
