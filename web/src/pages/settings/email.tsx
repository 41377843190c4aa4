/** The MSP's own SMTP server for its emails, and a test message. */
import { useQueryClient } from '@tanstack/react-query';
import type { FormEvent } from 'react';
import { $api, client } from '../../api/client.ts';
import { field, submitted } from '../../form.ts';
import { useAction } from '../../ui/action.tsx';
import { Loading } from '../../ui/page.tsx';

export const said = (r: { ok: boolean; error?: string | undefined } | undefined, what: string) =>
  r?.ok ? `${what}: delivered.` : `${what} failed: ${r?.error ?? 'no answer'}`;

export function Email({ canEdit }: { canEdit: boolean }) {
  const queryClient = useQueryClient();
  const state = $api.useQuery('get', '/api/settings/email');
  const { run, feedback } = useAction();
  const save = submitted((f) => {
    const text = (n: string) => field(f, n);
    void run(async () => {
      await client.PUT('/api/settings/email', {
        body: {
          host: text('host'),
          port: Number(text('port')),
          security: text('security') as never,
          from: text('from'),
          ...(text('username') ? { username: text('username'), password: text('password') } : {}),
        },
      });
      await queryClient.invalidateQueries({ queryKey: ['get', '/api/settings/email'] });
      return 'Saved.';
    });
  });
  const test = (e: FormEvent<HTMLFormElement>) => {
    e.preventDefault();
    const to = field(new FormData(e.currentTarget), 'to');
    void run(async () => said((await client.POST('/api/settings/email/test', { body: { to } })).data, `Test email to ${to}`));
  };
  return (
    <section aria-labelledby="email-title">
      <h2 id="email-title">Email</h2>
      <Loading query={state}>
        {(s) => (
          <p className="muted">
            {s.configured ? `Sending through ${s.host ?? ''}.` : "No SMTP server of your own: the server's, if it has one."}
          </p>
        )}
      </Loading>
      {canEdit ? (
        <>
          <form onSubmit={save} className="form-grid">
            <label htmlFor="host">SMTP host</label>
            <input id="host" name="host" required />
            <label htmlFor="port">Port</label>
            <input id="port" name="port" type="number" defaultValue={587} required />
            <label htmlFor="security">Security</label>
            <select id="security" name="security" defaultValue="starttls">
              <option value="starttls">STARTTLS</option>
              <option value="tls">TLS</option>
              <option value="none">None (local relay)</option>
            </select>
            <label htmlFor="username">User name</label>
            <input id="username" name="username" autoComplete="off" />
            <label htmlFor="password">Password</label>
            <input id="password" name="password" type="password" autoComplete="new-password" />
            <label htmlFor="from">Sender</label>
            <input id="from" name="from" placeholder="Acme IT <offboarding@acme.example>" required />
            <div className="actions">
              <button type="submit">Save</button>
            </div>
          </form>
          <form onSubmit={test} className="form-grid">
            <label htmlFor="to">Send a test to</label>
            <input id="to" name="to" type="email" required />
            <div className="actions">
              <button type="submit">Send test</button>
            </div>
          </form>
        </>
      ) : null}
      <SigningCode canEdit={canEdit} />
      {feedback}
    </section>
  );
}

/** The portal's optional second factor: signers also type a code emailed to them. */
function SigningCode({ canEdit }: { canEdit: boolean }) {
  const queryClient = useQueryClient();
  const state = $api.useQuery('get', '/api/settings/portal');
  const { run, feedback } = useAction();
  const change = (signingCode: boolean) =>
    void run(async () => {
      await client.PUT('/api/settings/portal', { body: { signingCode } });
      await queryClient.invalidateQueries({ queryKey: ['get', '/api/settings/portal'] });
      return signingCode ? 'Signers now type a code emailed to them.' : 'Signers no longer need a code.';
    });
  return (
    <>
      <h3>Signing in the portal</h3>
      <label className="choice">
        <input
          type="checkbox"
          checked={state.data?.signingCode ?? false}
          disabled={!canEdit || !state.data}
          onChange={(e) => change(e.target.checked)}
        />{' '}
        Ask signers for a one-time code emailed to them before they sign (a second factor beside their link)
      </label>
      {feedback}
    </>
  );
}
