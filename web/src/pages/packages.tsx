/**
 * The documentation package on the offboarding page: build a new version for the client or for the
 * new provider (the client's copy is built with it), and every version with its digests, who
 * downloaded it and who acknowledged receiving it.
 */
import { useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { $api, type ApiError, asApiError, client } from '../api/client.ts';
import { useCan } from '../session.tsx';
import { ErrorNote, Table } from '../ui/page.tsx';
import { toast } from '../ui/toast.tsx';

const size = (n: number) =>
  n >= 1024 ** 3
    ? `${(n / 1024 ** 3).toFixed(2)} GB`
    : n >= 1024 ** 2
      ? `${(n / 1024 ** 2).toFixed(1)} MB`
      : `${Math.max(1, Math.round(n / 1024))} KB`;
const when = (iso: string) => iso.slice(0, 16).replace('T', ' ');

export function Packages({ id, newProvider }: { id: string; newProvider: string | null }) {
  const can = useCan();
  const queryClient = useQueryClient();
  const state = $api.useQuery('get', '/api/offboardings/{id}/packages', { params: { path: { id } } });
  const [error, setError] = useState<ApiError>();
  const [busy, setBusy] = useState<string>();
  const build = async (audience: 'client' | 'new-provider') => {
    setError(undefined);
    setBusy(audience);
    try {
      const { data } = await client.POST('/api/offboardings/{id}/packages', { params: { path: { id } }, body: { audience } });
      toast(
        `Built ${data?.packages.map((p) => `the ${p.audience === 'client' ? 'client' : 'new provider'}’s v${p.version}`).join(' and ')}`,
      );
      await queryClient.invalidateQueries({ queryKey: ['get', '/api/offboardings/{id}/packages'] });
    } catch (err) {
      setError(asApiError(err));
    } finally {
      setBusy(undefined);
    }
  };
  const packages = state.data?.packages ?? [];
  return (
    <section aria-labelledby="packages-title">
      <h2 id="packages-title">Documentation package</h2>
      <p className="muted">
        Built from the client’s documentation once every item has an owner; MSP-internal items never go. The client downloads it in the
        portal
        {newProvider
          ? `; ${newProvider} only once the authorization covers the documentation, and the client receives a copy of everything it gets`
          : ''}
        .
      </p>
      {can('documentation.write') ? (
        <div className="actions">
          <button type="button" disabled={busy !== undefined} onClick={() => void build('client')}>
            {busy === 'client' ? 'Building…' : 'Build for the client'}
          </button>
          {newProvider ? (
            <button type="button" disabled={busy !== undefined} onClick={() => void build('new-provider')}>
              {busy === 'new-provider' ? 'Building…' : `Build for ${newProvider}`}
            </button>
          ) : null}
        </div>
      ) : null}
      <ErrorNote error={error ?? (state.error ? asApiError(state.error) : undefined)} />
      {packages.length === 0 ? (
        <p>No package has been built yet.</p>
      ) : (
        <Table
          caption="Versions, newest first"
          rows={packages}
          rowKey={(p) => p.id}
          columns={[
            { header: 'For', cell: (p) => (p.audience === 'client' ? 'Client' : (newProvider ?? 'New provider')) },
            { header: 'Version', cell: (p) => `v${p.version}` },
            { header: 'Built', cell: (p) => `${when(p.builtAt)} by ${p.builtBy}` },
            { header: 'Contents', cell: (p) => `${p.items} items, ${p.files} files, ${size(p.size)}` },
            {
              header: 'SHA-256',
              cell: (p) => (
                <code title={`manifest.json ${p.manifestSha256}`} className="digest">
                  {p.sha256.slice(0, 16)}…
                </code>
              ),
            },
            {
              header: 'Delivery',
              cell: (p) => (
                <>
                  {p.downloads.length === 0
                    ? 'not downloaded'
                    : `${p.downloads.length} download${p.downloads.length === 1 ? '' : 's'}, last by ${p.downloads.at(-1)?.by} ${when(p.downloads.at(-1)?.at ?? '')}`}
                  {p.receipts.map((r) => (
                    <div key={r.statementId}>
                      receipt acknowledged by {r.by} {when(r.at)}
                    </div>
                  ))}
                </>
              ),
            },
            {
              header: '',
              cell: (p) => (
                <a href={`/api/documentation-packages/${p.id}/download`} download>
                  Download
                </a>
              ),
            },
          ]}
        />
      )}
    </section>
  );
}
