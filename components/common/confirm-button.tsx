'use client';
// A button for an action that destroys something: it asks first, in a modal dialog (the browser's own <dialog>: focus
// moves into it, Esc cancels, focus returns to the button), so the question never pushes the layout around it (the
// lab header, the editor toolbar). Cancel comes first and gets the focus: Enter alone never destroys anything.
import { useId, useRef, type ReactNode } from 'react';

interface Props {
  /** The button before asking, e.g. "Reset lab…". */
  label: string;
  question: ReactNode;
  /** The button that does it, e.g. "Reset lab". */
  confirm: string;
  disabled?: boolean;
  onConfirm(): void;
}

export function ConfirmButton({ label, question, confirm, disabled, onConfirm }: Props) {
  const dialog = useRef<HTMLDialogElement>(null);
  const questionId = useId();
  const close = () => dialog.current?.close();
  return (
    <>
      <button type="button" className="button button-small" disabled={disabled} aria-haspopup="dialog" onClick={() => dialog.current?.showModal()}>
        {label}
      </button>
      <dialog ref={dialog} className="confirm-dialog" aria-labelledby={questionId}>
        <p id={questionId}>{question}</p>
        <div className="confirm-actions">
          <button type="button" className="button button-small" onClick={close}>
            Cancel
          </button>
          <button
            type="button"
            className="button button-small button-danger"
            onClick={() => {
              close();
              onConfirm();
            }}
          >
            {confirm}
          </button>
        </div>
      </dialog>
    </>
  );
}
