import { useNavigate } from '@tanstack/react-router';
import { type FormEvent, useState } from 'react';
import { ApiError, asApiError } from '../api/client.ts';
import { field } from '../form.ts';
import { ErrorNote } from '../ui/page.tsx';

/** The first-admin setup link: creates the MSP and its administrator, once, on an empty database. */
export function Setup() {
  const navigate = useNavigate();
  const onDone = () => void navigate({ to: '/' });
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
      // Not in the OpenAPI document (a one-time link, not an API route): a plain request.
      const response = await fetch('/api/setup', {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({
          token,
          name: field(f, 'name'),
          admin: { name: field(f, 'adminName'), email: field(f, 'email'), password: field(f, 'password') },
        }),
      });
      if (!response.ok) {
        const body = (await response.json().catch(() => null)) as { error?: { code: string; message: string } } | null;
        throw new ApiError(
          response.status,
          body?.error?.code ?? 'error',
          body?.error?.message ?? `The server answered ${response.status}.`,
        );
      }
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
          <ErrorNote error={error} />
          <button type="submit" disabled={busy}>
            {busy ? 'Creating…' : 'Create'}
          </button>
        </form>
      )}
    </main>
  );
}
