/**
 * Documentation platforms: where the MSP keeps clients' documentation (IT Glue, Hudu, ITFlow).
 * Saved once, its key sealed and never shown again; a client's import uses it when it is not given
 * an address and key of its own.
 */
import { useQueryClient } from '@tanstack/react-query';
import { $api, client } from '../../api/client.ts';
import { field, submitted } from '../../form.ts';
import { useAction } from '../../ui/action.tsx';
import { Loading } from '../../ui/page.tsx';

const PLATFORMS = {
  itglue: { name: 'IT Glue', example: 'https://api.itglue.com' },
  hudu: { name: 'Hudu', example: 'https://your-hudu.example/api/v1' },
  itflow: { name: 'ITFlow', example: 'https://itflow.example' },
} as const;
type Platform = keyof typeof PLATFORMS;

function PlatformForm({ platform, url, canEdit }: { platform: Platform; url: string | null; canEdit: boolean }) {
  const queryClient = useQueryClient();
  const { run, feedback } = useAction();
  const id = `doc-${platform}`;
  const save = submitted((f, form) => {
    void run(async () => {
      await client.PUT('/api/settings/documentation/{platform}', {
        params: { path: { platform } },
        body: { url: field(f, 'url'), key: field(f, 'key') },
      });
      form.reset();
      await queryClient.invalidateQueries({ queryKey: ['get', '/api/settings/documentation'] });
      return `${PLATFORMS[platform].name} saved. Its key is sealed and will not be shown again.`;
    });
  });
  return (
    <section aria-labelledby={`${id}-title`} className="card">
      <h3 id={`${id}-title`}>{PLATFORMS[platform].name}</h3>
      <p>{url ? `Connected to ${url}.` : 'Not connected.'}</p>
      {canEdit ? (
        <form onSubmit={save} className="form-grid">
          <label htmlFor={`${id}-url`}>API address</label>
          <input id={`${id}-url`} name="url" type="url" required defaultValue={url ?? ''} placeholder={PLATFORMS[platform].example} />
          <label htmlFor={`${id}-key`}>API key</label>
          <input id={`${id}-key`} name="key" type="password" autoComplete="off" required />
          <div className="actions">
            <button type="submit">{url ? 'Replace the key' : 'Connect'}</button>
          </div>
          <div className="span">{feedback}</div>
        </form>
      ) : null}
    </section>
  );
}

export function DocumentationPlatforms({ canEdit }: { canEdit: boolean }) {
  const state = $api.useQuery('get', '/api/settings/documentation', {});
  return (
    <Loading query={state}>
      {(data) => (
        <>
          <p>
            Where your clients’ documentation is kept. A client’s import (its documentation page, or{' '}
            <code>offboard documentation import</code>) reads from the platform saved here unless it is given an address and key.
          </p>
          {(Object.keys(PLATFORMS) as Platform[]).map((p) => (
            <PlatformForm key={p} platform={p} url={data.items.find((c) => c.platform === p)?.url ?? null} canEdit={canEdit} />
          ))}
        </>
      )}
    </Loading>
  );
}
