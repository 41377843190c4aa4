/**
 * PSA connections: what a company's status change means, and the webhook to give the PSA. The
 * form asks only for the chosen PSA's fields; secrets it makes are shown once with a copy button.
 */
import { Options } from '../../ui/options.tsx';
import { useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { $api, client, type Schemas } from '../../api/client.ts';
import { field, submitted } from '../../form.ts';
import { OFFBOARDING_TYPES, offboardingTypeLabel } from '../../labels.ts';
import { useAction } from '../../ui/action.tsx';
import { CopyButton, Secret } from '../../ui/copy.tsx';
import { Loading, Table } from '../../ui/page.tsx';

type Psa = Schemas['PsaConnection'];
const PROVIDERS = {
  connectwise: 'ConnectWise PSA',
  autotask: 'Autotask',
  halopsa: 'HaloPSA',
  generic: 'Generic signed webhook',
} as const;
type Provider = keyof typeof PROVIDERS;

const list = (text: string) =>
  text
    .split(',')
    .map((x) => x.trim())
    .filter(Boolean);

function useRefresh() {
  const queryClient = useQueryClient();
  return () => queryClient.invalidateQueries({ queryKey: ['get', '/api/settings/psa'] });
}

/** Change what a connected PSA's events mean; its credentials stay as they are. */
function PsaMapping({ connection }: { connection: Psa }) {
  const refresh = useRefresh();
  const { run, feedback } = useAction();
  const prefix = `psa-${connection.id.slice(0, 8)}`;
  const save = submitted((f) => {
    void run(async () => {
      await client.PATCH('/api/settings/psa/{id}', {
        params: { path: { id: connection.id } },
        body: {
          offboardingStatuses: list(field(f, 'statuses')),
          inactiveMeansOffboarding: f.get('inactive') === 'on',
          offboardingType: field(f, 'offboardingType') as never,
        },
      });
      await refresh();
      return 'Mapping saved: events from now on are read with it.';
    });
  });
  return (
    <details>
      <summary>Change mapping</summary>
      <form onSubmit={save} className="form-grid">
        <label htmlFor={`${prefix}-statuses`}>Statuses meaning offboarding</label>
        <input id={`${prefix}-statuses`} name="statuses" defaultValue={connection.offboardingStatuses.join(', ')} />
        <label className="check span">
          <input type="checkbox" name="inactive" defaultChecked={connection.inactiveMeansOffboarding} /> An inactive company means
          offboarding
        </label>
        <label htmlFor={`${prefix}-type`}>Offboarding type to open</label>
        <select id={`${prefix}-type`} name="offboardingType" defaultValue={connection.offboardingType}>
          <Options values={OFFBOARDING_TYPES} label={offboardingTypeLabel} />
        </select>
        <div className="actions">
          <button type="submit">Save mapping</button>
        </div>
      </form>
      {feedback}
    </details>
  );
}

function Connect() {
  const refresh = useRefresh();
  const { run, feedback } = useAction();
  const [provider, setProvider] = useState<Provider>('connectwise');
  const connect = submitted((f, form) => {
    const statuses = list(field(f, 'statuses'));
    const origins = field(f, 'origins');
    const secret = field(f, 'secret');
    void run(async () => {
      const { data } = await client.POST('/api/settings/psa', {
        body: {
          provider,
          offboardingType: field(f, 'offboardingType') as never,
          ...(statuses.length > 0 ? { offboardingStatuses: statuses } : {}),
          ...(provider === 'connectwise' && origins ? { keyUrlOrigins: origins.split(/\s+/) } : {}),
          ...(provider === 'autotask' && secret ? { secret } : {}),
        } as never,
      });
      form.reset();
      await refresh();
      if (!data) return 'Connected.';
      const url = `${window.location.origin}${data.webhookPath}`;
      return (
        <>
          <p>
            Connected. Give {PROVIDERS[provider]} this webhook: <code className="wrap">{url}</code>{' '}
            <CopyButton value={url} label="Copy the webhook" />
          </p>
          {data.secret ? <Secret value={data.secret} label="Signing secret" /> : null}
          {data.basicAuth ? (
            <>
              <p>
                Basic authentication user: <code>{data.basicAuth.username}</code>{' '}
                <CopyButton value={data.basicAuth.username} label="Copy the user" />
              </p>
              <Secret value={data.basicAuth.password} label="Basic authentication password" />
            </>
          ) : null}
          {data.secret || data.basicAuth ? <p className="muted">Secrets are shown this once: copy them now.</p> : null}
        </>
      );
    });
  });
  return (
    <form onSubmit={connect} className="form-grid card" aria-label="Connect a PSA">
      <h3 className="span">Connect a PSA</h3>
      <label htmlFor="provider">PSA</label>
      <select id="provider" name="provider" value={provider} onChange={(e) => setProvider(e.target.value as Provider)}>
        {(Object.keys(PROVIDERS) as Provider[]).map((p) => (
          <option key={p} value={p}>
            {PROVIDERS[p]}
          </option>
        ))}
      </select>
      <label htmlFor="statuses">Statuses meaning offboarding (comma-separated; empty: the PSA's default)</label>
      <input id="statuses" name="statuses" placeholder="Inactive" />
      <label htmlFor="offboardingType">Offboarding type to open</label>
      <select id="offboardingType" name="offboardingType" defaultValue="provider-switch">
        <Options values={OFFBOARDING_TYPES} label={offboardingTypeLabel} />
      </select>
      {provider === 'connectwise' ? (
        <>
          <label htmlFor="origins">ConnectWise key URL origins (space-separated)</label>
          <input id="origins" name="origins" placeholder="https://api-na.myconnectwise.net" />
        </>
      ) : null}
      {provider === 'autotask' ? (
        <>
          <label htmlFor="secret">Autotask secret key</label>
          <input id="secret" name="secret" autoComplete="off" />
        </>
      ) : null}
      {provider === 'halopsa' ? (
        <p className="span muted">offboard makes a user and password for HaloPSA's webhook basic authentication and shows them once.</p>
      ) : null}
      {provider === 'generic' ? <p className="span muted">offboard makes a signing secret and shows it once.</p> : null}
      <div className="actions">
        <button type="submit">Connect</button>
      </div>
      <div className="span">{feedback}</div>
    </form>
  );
}

export function PsaConnections({ canEdit }: { canEdit: boolean }) {
  const state = $api.useQuery('get', '/api/settings/psa');
  return (
    <section aria-labelledby="psa-title">
      <h2 id="psa-title">PSA connections</h2>
      <Loading query={state}>
        {({ items }) =>
          items.length === 0 ? (
            <p className="muted">None connected.</p>
          ) : (
            <Table
              rows={items}
              rowKey={(p) => p.id}
              columns={[
                { header: 'PSA', cell: (p) => PROVIDERS[p.provider] },
                {
                  header: 'Offboarding when',
                  cell: (p) =>
                    [
                      ...p.offboardingStatuses.map((s) => `status “${s}”`),
                      ...(p.inactiveMeansOffboarding ? ['the company is inactive'] : []),
                    ].join(', '),
                },
                { header: 'Opens', cell: (p) => offboardingTypeLabel(p.offboardingType) },
                {
                  header: 'Webhook',
                  cell: (p) => (
                    <>
                      <code className="wrap">{p.webhookPath}</code>{' '}
                      <CopyButton value={`${window.location.origin}${p.webhookPath}`} label="Copy" />
                    </>
                  ),
                },
                ...(canEdit ? [{ header: 'Mapping', cell: (p: Psa) => <PsaMapping connection={p} /> }] : []),
              ]}
            />
          )
        }
      </Loading>
      {canEdit ? <Connect /> : null}
    </section>
  );
}
