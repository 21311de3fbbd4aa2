// What the editor remembers of a lab between visits, in this browser (the learner's): the file on view and, per
// file, where the cursor and the scroll were (Monaco's view state). Never the text: the sandbox has that.
import type { editor as MonacoEditor } from 'monaco-editor';

interface Memory {
  open?: string;
  views: Record<string, MonacoEditor.ICodeEditorViewState>;
}

const key = (lab: string) => `ebpf-labs-editor-${lab}`;

function read(lab: string): Memory {
  try {
    const v = JSON.parse(localStorage.getItem(key(lab)) ?? '{}') as Partial<Memory>;
    return { open: typeof v.open === 'string' ? v.open : undefined, views: v.views && typeof v.views === 'object' ? v.views : {} };
  } catch {
    return { views: {} };
  }
}

function write(lab: string, memory: Memory): void {
  try {
    localStorage.setItem(key(lab), JSON.stringify(memory));
  } catch {
    // storage full or refused: the editor works the same, it only forgets
  }
}

export function editorMemory(lab: string) {
  return {
    /** The file the learner had open, if any. */
    open: () => read(lab).open,
    rememberOpen: (path: string) => write(lab, { ...read(lab), open: path }),
    view: (path: string) => read(lab).views[path],
    rememberView: (path: string, view: MonacoEditor.ICodeEditorViewState | null) => {
      if (!view) return;
      const m = read(lab);
      write(lab, { ...m, views: { ...m.views, [path]: view } });
    },
  };
}

export type EditorMemory = ReturnType<typeof editorMemory>;
