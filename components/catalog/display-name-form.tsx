'use client';
// The name a learner gives the instructor (optional; shown only when the server runs a class, i.e. has an
// instructor view). Stored with the learner's progress; the instructor sees it next to the anonymous id.
import { useState, type FormEvent } from 'react';
import { api } from '@/components/common/api';
import { ApiErrorView } from '@/components/common/api-error';
import { useApiError } from '@/components/common/use-api-error';
import { MAX_DISPLAY_NAME } from '@/lib/progress/display-name';

export function DisplayNameForm({ initial }: { initial: string | null }) {
  const [saved, setSaved] = useState(initial ?? '');
  const [draft, setDraft] = useState(initial ?? '');
  const [busy, setBusy] = useState(false);
  const { error, fail, clear } = useApiError();

  const save = async (e: FormEvent) => {
    e.preventDefault();
    setBusy(true);
    clear();
    try {
      const { name } = await api<{ name: string | null }>('/api/me/name', { method: 'PUT', body: JSON.stringify({ name: draft }) });
      setSaved(name ?? '');
      setDraft(name ?? '');
    } catch (err) {
      fail(err);
    } finally {
      setBusy(false);
    }
  };

  return (
    <form className="display-name-form" onSubmit={(e) => void save(e)} data-testid="display-name-form">
      <label htmlFor="display-name">Your name for the instructor (optional)</label>
      <input
        id="display-name"
        name="name"
        value={draft}
        maxLength={MAX_DISPLAY_NAME}
        autoComplete="nickname"
        placeholder="anonymous"
        onChange={(e) => setDraft(e.target.value)}
      />
      <button type="submit" className="button button-small" disabled={busy || draft.trim() === saved}>
        {saved && draft.trim() === '' ? 'Remove' : 'Save'}
      </button>
      <span className="muted" role="status">
        {saved ? `Shown to your instructor as "${saved}".` : 'Your instructor sees an anonymous id.'}
      </span>
      {error ? <ApiErrorView error={error} /> : null}
    </form>
  );
}
