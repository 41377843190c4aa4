/** The signed-in person's notification preferences: channels per kind, and the daily digest. */
import { type FormEvent, useState } from 'react';
import { type ApiError, type MeData, api, get, asApiError } from '../api.ts';
import { ErrorNote, Loading, Page } from '../ui.tsx';
import { useLoad } from '../use-load.ts';

type Preferences = { channels?: Record<string, string[]>; digest?: boolean };
const KINDS: [string, string][] = [
  ['reminder', 'Reminders before and on the due date'],
  ['overdue', 'Overdue tasks'],
  ['escalation', 'Escalations (always in the app too)'],
  ['gate-reminder', 'Waiting on a client or new provider'],
  ['gate-escalation', 'Gate escalations'],
  ['internal-notification', 'A new offboarding'],
];

export function Profile({ me }: { me: MeData }) {
  const state = useLoad(() => get<Preferences>('/api/my/preferences'), []);
  const [error, setError] = useState<ApiError>();
  const [saved, setSaved] = useState(false);
  const save = (e: FormEvent<HTMLFormElement>) => {
    e.preventDefault();
    const f = new FormData(e.currentTarget);
    const channels = Object.fromEntries(KINDS.map(([k]) => [k, ['in-app', 'email'].filter((c) => f.get(`${k}:${c}`) === 'on')]));
    setSaved(false);
    setError(undefined);
    api('PUT', '/api/my/preferences', { channels, digest: f.get('digest') === 'on' }).then(
      () => setSaved(true),
      (err: unknown) => setError(asApiError(err)),
    );
  };
  return (
    <Page title="My profile">
      <p>
        {me.name} · {me.email} · {me.role}
      </p>
      <Loading state={state}>
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
                      {['in-app', 'email'].map((c) => (
                        <td key={c}>
                          <input
                            type="checkbox"
                            name={`${kind}:${c}`}
                            aria-label={`${label}: ${c}`}
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
            {error ? <ErrorNote error={error} /> : null}
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
    </Page>
  );
}
