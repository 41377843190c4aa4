import { type FormEvent, useState } from 'react';
import { type ApiError, api, asApiError } from '../api.ts';
import { ErrorNote } from '../ui.tsx';
import { field } from '../form.ts';

export function SignIn({ onSignedIn }: { onSignedIn: () => void }) {
  const [error, setError] = useState<ApiError>();
  const [busy, setBusy] = useState(false);
  const submit = async (e: FormEvent<HTMLFormElement>) => {
    e.preventDefault();
    const form = new FormData(e.currentTarget);
    setBusy(true);
    setError(undefined);
    try {
      await api('POST', '/api/auth/sign-in', { email: field(form, 'email'), password: field(form, 'password') });
      onSignedIn();
    } catch (err) {
      setError(asApiError(err));
    } finally {
      setBusy(false);
    }
  };
  return (
    <main className="sign-in" aria-labelledby="sign-in-title">
      <form onSubmit={(e) => void submit(e)} className="card">
        <h1 id="sign-in-title">Sign in to offboard</h1>
        <label htmlFor="email">Email</label>
        <input id="email" name="email" type="email" autoComplete="username" required />
        <label htmlFor="password">Password</label>
        <input id="password" name="password" type="password" autoComplete="current-password" required />
        {error ? <ErrorNote error={error} /> : null}
        <button type="submit" disabled={busy}>
          {busy ? 'Signing in…' : 'Sign in'}
        </button>
      </form>
    </main>
  );
}
