/** The signed-in person's notification preferences: channels per kind, and the daily digest. */
import { type FormEvent, useState } from 'react';
import { $api, type ApiError, asApiError, client } from '../api/client.ts';
import { field } from '../form.ts';
import { roleLabel } from '../labels.ts';
import { useMe } from '../session.tsx';
import { ErrorNote, Loading, Page } from '../ui/page.tsx';
import { toast } from '../ui/toast.tsx';

type Kind = 'reminder' | 'overdue' | 'escalation' | 'gate-reminder' | 'gate-escalation' | 'internal-notification';
const KINDS: [Kind, string][] = [
  ['reminder', 'Reminders before and on the due date'],
  ['overdue', 'Overdue tasks'],
  ['escalation', 'Escalations (always in the app too)'],
  ['gate-reminder', 'Waiting on a client or new provider'],
  ['gate-escalation', 'Gate escalations'],
  ['internal-notification', 'A new offboarding'],
];

/** Your own password: the current one proves it is you; your other sessions end. */
function ChangePassword() {
  const [error, setError] = useState<ApiError>();
  const submit = (e: FormEvent<HTMLFormElement>) => {
    e.preventDefault();
    const form = e.currentTarget;
    const f = new FormData(form);
    setError(undefined);
    if (field(f, 'newPassword') !== field(f, 'repeat')) {
      setError(asApiError(new Error('The two new passwords differ.')));
      return;
    }
    client.POST('/api/me/password', { body: { currentPassword: field(f, 'currentPassword'), newPassword: field(f, 'newPassword') } }).then(
      () => {
        form.reset();
        toast('Password changed. Other browsers signed in as you were signed out.');
      },
      (err: unknown) => setError(asApiError(err)),
    );
  };
  return (
    <section aria-labelledby="password-title" className="card">
      <h2 id="password-title">Change your password</h2>
      <form onSubmit={submit} className="form-stack">
        <label htmlFor="current-password">Current password</label>
        <input id="current-password" name="currentPassword" type="password" autoComplete="current-password" required />
        <label htmlFor="new-password">New password (at least 10 characters)</label>
        <input id="new-password" name="newPassword" type="password" autoComplete="new-password" minLength={10} required />
        <label htmlFor="repeat-password">The new password again</label>
        <input id="repeat-password" name="repeat" type="password" autoComplete="new-password" minLength={10} required />
        <ErrorNote error={error} />
        <div className="actions">
          <button type="submit">Change password</button>
        </div>
      </form>
    </section>
  );
}

export function Profile() {
  const me = useMe();
  const state = $api.useQuery('get', '/api/my/preferences');
  const [error, setError] = useState<ApiError>();
  const [saved, setSaved] = useState(false);
  const save = (e: FormEvent<HTMLFormElement>) => {
    e.preventDefault();
    const f = new FormData(e.currentTarget);
    const channels = Object.fromEntries(KINDS.map(([k]) => [k, (['in-app', 'email'] as const).filter((c) => f.get(`${k}:${c}`) === 'on')]));
    setSaved(false);
    setError(undefined);
    client.PUT('/api/my/preferences', { body: { channels, digest: f.get('digest') === 'on' } }).then(
      () => setSaved(true),
      (err: unknown) => setError(asApiError(err)),
    );
  };
  return (
    <Page title="My profile">
      <p>
        {me.name} · {me.email} · {roleLabel(me.role)}
      </p>
      <Loading query={state}>
        {(p) => (
          <form onSubmit={save}>
            <table className="table">
              <caption className="visually-hidden">How you hear about each kind of notification</caption>
              <thead>
                <tr>
                  <th scope="col">Notification</th>
                  <th scope="col">In the app</th>
                  <th scope="col">By email</th>
                </tr>
              </thead>
              <tbody>
                {KINDS.map(([kind, label]) => {
                  const chosen = p.channels?.[kind];
                  return (
                    <tr key={kind}>
                      <th scope="row">{label}</th>
                      {(['in-app', 'email'] as const).map((c) => (
                        <td key={c}>
                          <input
                            type="checkbox"
                            name={`${kind}:${c}`}
                            aria-label={`${label}: ${c === 'email' ? 'by email' : 'in the app'}`}
                            defaultChecked={chosen ? chosen.includes(c) : c === 'in-app'}
                          />
                        </td>
                      ))}
                    </tr>
                  );
                })}
              </tbody>
            </table>
            <label className="check">
              <input type="checkbox" name="digest" defaultChecked={p.digest ?? false} /> Gather reminder emails into one email a day
            </label>
            <ErrorNote error={error} />
            {saved ? (
              <p className="note" role="status">
                Saved.
              </p>
            ) : null}
            <div className="actions">
              <button type="submit" className="primary">
                Save
              </button>
            </div>
          </form>
        )}
      </Loading>
      {me.kind === 'user' ? <ChangePassword /> : null}
    </Page>
  );
}
