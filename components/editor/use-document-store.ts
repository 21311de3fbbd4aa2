'use client';
// The texts of the files the learner opened and, for each, the sandbox version it started from. Kept in refs as
// well as in state: the poll and Save run between renders and must see the latest keystroke; the page renders
// from the state.
import type { Monaco } from '@monaco-editor/react';
import { useCallback, useRef, useState, type RefObject } from 'react';

export interface Doc {
  /** sha256 of the sandbox version this text started from (what Save sends as its base). */
  base: string;
  /** That version's text: the document is dirty when the editor's text differs. */
  saved: string;
}

export function useDocumentStore(monaco: RefObject<Monaco | undefined>) {
  const [docs, setDocs] = useState<Record<string, Doc>>({});
  const [texts, setTexts] = useState<Record<string, string>>({});
  const docsRef = useRef(docs);
  const textsRef = useRef(texts);

  const setDoc = useCallback((path: string, doc: Doc) => {
    docsRef.current = { ...docsRef.current, [path]: doc };
    setDocs(docsRef.current);
  }, []);
  const setText = useCallback((path: string, text: string) => {
    textsRef.current = { ...textsRef.current, [path]: text };
    setTexts(textsRef.current);
  }, []);

  /** Puts a sandbox version into the editor (replacing the text, keeping undo). */
  const adopt = useCallback(
    (path: string, content: string, sha: string) => {
      setDoc(path, { base: sha, saved: content });
      setText(path, content);
      const m = monaco.current;
      const model = m?.editor.getModel(m.Uri.parse(path));
      if (model && model.getValue() !== content) model.pushEditOperations([], [{ range: model.getFullModelRange(), text: content }], () => null);
    },
    [monaco, setDoc, setText],
  );

  /** The latest document and text of a file, between renders too. */
  const latest = useCallback((path: string) => ({ doc: docsRef.current[path], text: textsRef.current[path] }), []);
  const openPaths = useCallback(() => Object.keys(docsRef.current), []);
  const dirty = (path: string) => {
    const doc = docs[path];
    const text = texts[path];
    return doc !== undefined && text !== undefined && text !== doc.saved;
  };

  return { docs, texts, setDoc, setText, adopt, latest, openPaths, dirty };
}
