'use client';
// Two versions of a file side by side, read-only: another version on the left, the learner's on the right.
import { DiffEditor } from '@monaco-editor/react';
import { languageOf } from './editor-api';
import { EDITOR_THEME, defineEditorTheme } from './monaco-theme';
import type { Comparison } from './use-workspace-documents';

export function EditorCompare({ compare, mine, onClose }: { compare: Comparison; mine: string; onClose(): void }) {
  return (
    <div className="editor-compare" data-testid="editor-compare">
      <div className="editor-compare-bar">
        Comparing {compare.path}: {compare.title}{' '}
        <button type="button" className="button button-small" onClick={onClose}>
          Close
        </button>
      </div>
      <DiffEditor
        height="100%"
        theme={EDITOR_THEME}
        beforeMount={defineEditorTheme}
        language={languageOf(compare.path)}
        original={compare.original}
        modified={mine}
        originalModelPath={`reference/${compare.path}`}
        modifiedModelPath={`compare/${compare.path}`}
        options={{ readOnly: true, renderSideBySide: true, minimap: { enabled: false }, automaticLayout: true }}
      />
    </div>
  );
}
