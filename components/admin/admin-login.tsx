'use client';
// The instructor's login: the token is typed here and sent once in a POST body; the server answers with a session
// cookie, so the token never appears in a URL or the browser's history.
import { useState } from 'react';
import { ApiErrorView } from '@/components/common/api-error';
import { api, apiErrorOf, type ApiError } from '@/components/common/api';

export function AdminLogin() {
  const [token, setToken] = useState('');
  const [error, setError] = useState<ApiError>();
  const [busy, setBusy] = useState(false);
  return (
    <form
      className="admin-login"
      onSubmit={(e) => {
        e.preventDefault();
        setBusy(true);
        setError(undefined);
        api('/api/admin/session', { method: 'POST', body: JSON.stringify({ token }) })
          .then(() => location.reload())
          .catch((err: unknown) => {
            setError(apiErrorOf(err));
            setBusy(false);
          });
      }}
    >
      <h1>Instructor view</h1>
      <p className="muted">Type the instructor token (the server&apos;s ADMIN_TOKEN). You stay logged in for 12 hours on this browser.</p>
      <label>
        Instructor token
        <input type="password" autoComplete="current-password" required value={token} onChange={(e) => setToken(e.target.value)} />
      </label>
      <button type="submit" className="button button-primary" disabled={busy || !token}>
        {busy ? 'Logging in…' : 'Log in'}
      </button>
      {error ? <ApiErrorView error={error} /> : null}
    </form>
  );
}
