'use client';
// Jumps the editor to a line, opening its file first when needed.
import type { editor as MonacoEditor } from 'monaco-editor';
import { useEffect, useState, type RefObject } from 'react';

interface Target {
  path: string;
  line: number;
  column: number;
}

/**
 * `layout` is whatever changes the editor's size (the output panel under it): the jump waits for the render that
 * follows it, and for another file's model, since revealing before that would scroll a viewport about to change.
 */
export function useRevealLine(
  editor: RefObject<MonacoEditor.IStandaloneCodeEditor | undefined>,
  open: string | undefined,
  openFile: (path: string) => Promise<void>,
  layout: unknown,
) {
  const [target, setTarget] = useState<Target | undefined>();

  useEffect(() => {
    if (!target || target.path !== open) return;
    const frame = requestAnimationFrame(() => {
      const ed = editor.current;
      if (!ed) return;
      ed.layout();
      ed.revealLineInCenter(target.line);
      ed.setPosition({ lineNumber: target.line, column: target.column });
      ed.focus();
    });
    return () => cancelAnimationFrame(frame);
  }, [editor, target, open, layout]);

  return (path: string, line: number, column = 1) => {
    if (path !== open) void openFile(path);
    setTarget({ path, line, column });
  };
}
