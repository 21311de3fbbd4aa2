'use client';
// A file changed in the sandbox: reloaded (OK), or, with unsaved edits, the choices: reload theirs, overwrite with
// mine, compare the two.
import type { Notice } from './use-workspace-documents';

interface Props {
  notice: Notice;
  onReloadTheirs(): void;
  onOverwrite(): void;
  onCompare(): void;
  onDismiss(): void;
}

export function EditorNotice({ notice, onReloadTheirs, onOverwrite, onCompare, onDismiss }: Props) {
  return (
    <div className={`editor-notice editor-notice-${notice.kind}`} role="status" data-testid="editor-notice" data-kind={notice.kind}>
      {notice.message}{' '}
      {notice.kind === 'conflict' ? (
        <>
          <button type="button" className="button button-small" onClick={onReloadTheirs}>
            Reload theirs (drop my edits)
          </button>{' '}
          <button type="button" className="button button-small" onClick={onOverwrite}>
            Overwrite with mine
          </button>{' '}
          <button type="button" className="button button-small" onClick={onCompare}>
            Compare
          </button>
        </>
      ) : (
        <button type="button" className="button button-small" onClick={onDismiss}>
          OK
        </button>
      )}
    </div>
  );
}
