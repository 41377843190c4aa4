import { type FormEvent, useState } from 'react';
import { type ApiError, api, asApiError } from '../api.ts';
import { ErrorNote } from '../ui.tsx';
import { field } from '../form.ts';

/** The first-admin setup link: creates the MSP and its administrator, once, on an empty database. */
export function Setup({ onDone }: { onDone: () => void }) {
  const [error, setError] = useState<ApiError>();
  const [done, setDone] = useState(false);
  const [busy, setBusy] = useState(false);
  const token = new URLSearchParams(window.location.search).get('token') ?? '';
  const submit = async (e: FormEvent<HTMLFormElement>) => {
    e.preventDefault();
    const f = new FormData(e.currentTarget);
    setBusy(true);
    setError(undefined);
    try {
      await api('POST', '/api/setup', {
        token,
        name: field(f, 'name'),
        admin: { name: field(f, 'adminName'), email: field(f, 'email'), password: field(f, 'password') },
      });
      setDone(true);
    } catch (err) {
      setError(asApiError(err));
    } finally {
      setBusy(false);
    }
  };
  return (
    <main className="sign-in" aria-labelledby="setup-title">
      {done ? (
        <div className="card" role="status">
          <h1 id="setup-title">Set up offboard</h1>
          <p>Your MSP and its administrator are ready. This link no longer works.</p>
          <button type="button" className="primary" onClick={onDone}>
            Sign in
          </button>
        </div>
      ) : (
        <form onSubmit={(e) => void submit(e)} className="card">
          <h1 id="setup-title">Set up offboard</h1>
          <p className="muted">Create your MSP and its first administrator.</p>
          <label htmlFor="setup-name">Your MSP's name</label>
          <input id="setup-name" name="name" required />
          <label htmlFor="setup-admin">Your name</label>
          <input id="setup-admin" name="adminName" autoComplete="name" required />
          <label htmlFor="setup-email">Email</label>
          <input id="setup-email" name="email" type="email" autoComplete="username" required />
          <label htmlFor="setup-password">Password (at least 10 characters)</label>
          <input id="setup-password" name="password" type="password" autoComplete="new-password" minLength={10} required />
          {error ? <ErrorNote error={error} /> : null}
          <button type="submit" disabled={busy}>
            {busy ? 'Creating…' : 'Create'}
          </button>
        </form>
      )}
    </main>
  );
}
