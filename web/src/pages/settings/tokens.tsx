/** API tokens for integrations: created with a role, shown once with a copy button, revoked here. */
import { Options } from '../../ui/options.tsx';
import { useQueryClient } from '@tanstack/react-query';
import { $api, client } from '../../api/client.ts';
import { field, submitted } from '../../form.ts';
import { STAFF_ROLES, roleLabel } from '../../labels.ts';
import { useAction } from '../../ui/action.tsx';
import { Secret } from '../../ui/copy.tsx';
import { Loading } from '../../ui/page.tsx';

export function Tokens() {
  const queryClient = useQueryClient();
  const state = $api.useQuery('get', '/api/tokens');
  const refresh = () => queryClient.invalidateQueries({ queryKey: ['get', '/api/tokens'] });
  const { run, feedback } = useAction();
  const create = submitted((f, form) => {
    void run(async () => {
      const { data } = await client.POST('/api/tokens', { body: { name: field(f, 'name'), role: field(f, 'role') as never } });
      form.reset();
      await refresh();
      return (
        <>
          <p>Token created. It is shown this once: copy it now.</p>
          <Secret value={data?.token ?? ''} label="API token" />
        </>
      );
    });
  });
  const revoke = (id: string) =>
    void run(async () => {
      await client.DELETE('/api/tokens/{id}', { params: { path: { id } } });
      await refresh();
      return 'Revoked.';
    });
  return (
    <section aria-labelledby="tokens-title">
      <h2 id="tokens-title">API tokens</h2>
      <p className="muted">
        Integrations call the API with <code>Authorization: Bearer &lt;token&gt;</code>; the API reference is at{' '}
        <a href="/api/docs">/api/docs</a>.
      </p>
      <Loading query={state}>
        {({ items }) => (
          <ul>
            {items.length === 0 ? <li className="muted">None.</li> : null}
            {items.map((t) => (
              <li key={t.id}>
                {t.name} ({roleLabel(t.role)}), last used {t.lastUsedAt?.slice(0, 10) ?? 'never'}{' '}
                <button type="button" onClick={() => revoke(t.id)} aria-label={`Revoke ${t.name}`}>
                  Revoke
                </button>
              </li>
            ))}
          </ul>
        )}
      </Loading>
      <form onSubmit={create} className="form-grid">
        <label htmlFor="token-name">Name</label>
        <input id="token-name" name="name" required />
        <label htmlFor="token-role">Role</label>
        <select id="token-role" name="role" defaultValue="auditor">
          <Options values={STAFF_ROLES} label={roleLabel} />
        </select>
        <div className="actions">
          <button type="submit">Create token</button>
        </div>
      </form>
      {feedback}
    </section>
  );
}
