import { useQueryClient } from '@tanstack/react-query';
import { type FormEvent, useState } from 'react';
import { type ApiError, asApiError, client } from '../api/client.ts';
import { field } from '../form.ts';
import { ErrorNote } from '../ui/page.tsx';

/** An MSP's own sign-in link names it (`/?msp=<id>`), for an address with accounts at several MSPs. */
const mspFromUrl = (): string | undefined => new URLSearchParams(window.location.search).get('msp') ?? undefined;

export function SignIn() {
  const queryClient = useQueryClient();
  const [error, setError] = useState<ApiError>();
  const [busy, setBusy] = useState(false);
  // Offered only after the password was right for more than one MSP.
  const [choices, setChoices] = useState<{ tenantId: string; name: string }[]>([]);
  const submit = async (e: FormEvent<HTMLFormElement>) => {
    e.preventDefault();
    const form = new FormData(e.currentTarget);
    const tenantId = field(form, 'tenantId') || mspFromUrl();
    setBusy(true);
    setError(undefined);
    try {
      const { data } = await client.POST('/api/auth/sign-in', {
        body: { email: field(form, 'email'), password: field(form, 'password'), ...(tenantId ? { tenantId } : {}) },
      });
      queryClient.setQueryData(['get', '/api/auth/session', {}], { user: data });
    } catch (err) {
      const apiError = asApiError(err);
      if (apiError.code === 'choose-msp') setChoices(apiError.choices);
      else setError(apiError);
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
        {choices.length > 0 ? (
          <fieldset>
            <legend>This email signs in to several MSPs. Which one?</legend>
            {choices.map((c, i) => (
              <label key={c.tenantId} className="choice">
                <input type="radio" name="tenantId" value={c.tenantId} defaultChecked={i === 0} /> {c.name}
              </label>
            ))}
          </fieldset>
        ) : null}
        <ErrorNote error={error} />
        <button type="submit" disabled={busy}>
          {busy ? 'Signing in…' : 'Sign in'}
        </button>
      </form>
    </main>
  );
}
