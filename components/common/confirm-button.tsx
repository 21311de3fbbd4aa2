'use client';
// A button for an action that destroys something: the first click asks, the second (on the danger button) does it.
import { useState, type ReactNode } from 'react';

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
  const [asking, setAsking] = useState(false);
  if (!asking) {
    return (
      <button type="button" className="button button-small" disabled={disabled} onClick={() => setAsking(true)}>
        {label}
      </button>
    );
  }
  return (
    <span role="alert" className="confirm">
      {question}{' '}
      <button
        type="button"
        className="button button-small button-danger"
        onClick={() => {
          setAsking(false);
          onConfirm();
        }}
      >
        {confirm}
      </button>{' '}
      <button type="button" className="button button-small" onClick={() => setAsking(false)}>
        Cancel
      </button>
    </span>
  );
}
