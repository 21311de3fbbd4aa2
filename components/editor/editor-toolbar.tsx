'use client';
// Above the editor: the workspace's files as tabs (a dot on unsaved ones, the last build's error count), and the
// actions: Save, Build, Load, Reset file, Compare with solution.
import { ConfirmButton } from '@/components/common/confirm-button';
import type { BuildResult, FileList } from './editor-api';

interface Props {
  list?: FileList;
  open?: string;
  dirty(path: string): boolean;
  build?: BuildResult;
  busy?: 'build' | 'load';
  onOpen(path: string): void;
  onSave(): void;
  onBuild(): void;
  onLoad(): void;
  onReset(): void;
  onCompareSolution(): void;
}

export function EditorToolbar(props: Props) {
  return (
    <div className="editor-toolbar">
      <FileTabs {...props} />
      <Actions {...props} />
    </div>
  );
}

function FileTabs({ list, open, dirty, build, onOpen }: Props) {
  return (
    <div className="editor-files" role="tablist" aria-label="Files">
      {list?.files.map((f) => {
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
            onClick={() => onOpen(f.path)}
          >
            {f.path}
            {dirty(f.path) ? <span className="editor-dirty" aria-label="unsaved changes"> ●</span> : null}
            {errors ? <span className="badge badge-error">{errors}</span> : null}
            {!f.exists ? <span className="muted"> (missing)</span> : null}
          </button>
        );
      })}
    </div>
  );
}

function Actions({ list, open, dirty, busy, onSave, onBuild, onLoad, onReset, onCompareSolution }: Props) {
  const solution = list?.files.find((f) => f.path === open)?.solution;
  return (
    <div className="editor-actions">
      <button type="button" className="button button-small" disabled={!open || !dirty(open)} onClick={onSave} title="Ctrl+S">
        Save
      </button>
      {list?.build ? (
        <button type="button" className="button button-small button-primary" disabled={!!busy} onClick={onBuild} title="Saves, then runs the lab's build">
          {busy === 'build' ? 'Building…' : 'Build'}
        </button>
      ) : null}
      {list?.load ? (
        <button type="button" className="button button-small" disabled={!!busy} onClick={onLoad} title="Saves, then loads and attaches the programs">
          {busy === 'load' ? 'Loading…' : 'Load'}
        </button>
      ) : null}
      <ConfirmButton label="Reset file…" question={`Replace ${open} with its starter version?`} confirm="Reset file" disabled={!open} onConfirm={onReset} />
      {solution ? (
        <button
          type="button"
          className="button button-small"
          disabled={!solution.revealed}
          title={solution.revealed ? 'Diff against the reference solution' : "Reveal this step's solution first"}
          onClick={onCompareSolution}
        >
          Compare with solution
        </button>
      ) : null}
    </div>
  );
}
