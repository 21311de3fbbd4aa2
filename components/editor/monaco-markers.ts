// Diagnostics as Monaco markers (the squiggles). Each source has its own owner, so a build replaces clang's marks
// without touching the verifier's, and the other way round.
import type { Monaco } from '@monaco-editor/react';
import type { Diagnostic } from '@/lib/editor/diagnostics';
import type { LoadResult } from './editor-api';

export const MARKER_OWNER = { build: 'clang', load: 'verifier' } as const;
type Owner = (typeof MARKER_OWNER)[keyof typeof MARKER_OWNER];

function severityOf(m: Monaco, s: Diagnostic['severity']) {
  return s === 'error' ? m.MarkerSeverity.Error : s === 'warning' ? m.MarkerSeverity.Warning : m.MarkerSeverity.Info;
}

/** Replaces the owner's markers in every open model; files outside the workspace have no model and get none. */
export function applyMarkers(m: Monaco | undefined, diagnostics: Diagnostic[], owner: Owner): void {
  if (!m) return;
  for (const model of m.editor.getModels()) {
    const mine = diagnostics.filter((d) => d.inWorkspace && m.Uri.parse(d.path).toString() === model.uri.toString());
    m.editor.setModelMarkers(
      model,
      owner,
      mine.map((d) => ({
        startLineNumber: d.line,
        startColumn: d.column,
        endLineNumber: d.line,
        endColumn: model.getLineMaxColumn(Math.min(d.line, model.getLineCount())),
        severity: severityOf(m, d.severity),
        message: d.message,
        source: owner,
      })),
    );
  }
}

/** The source line a refused program's verifier log names, as a diagnostic; none when it is outside the workspace. */
export function verifierDiagnostics(load: LoadResult): Diagnostic[] {
  const at = load.verifier.at;
  if (!at?.inWorkspace) return [];
  return [{ path: at.path, line: at.line, column: 1, severity: 'error', message: `verifier: ${load.verifier.reason ?? 'refused'}`, inWorkspace: true }];
}
