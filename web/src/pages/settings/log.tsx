/** The signed log (what a client's lawyer checks bundles against) and its witnesses. */
import { useQueryClient } from '@tanstack/react-query';
import { $api, client } from '../../api/client.ts';
import { field, submitted } from '../../form.ts';
import { useCan } from '../../session.tsx';
import { useAction } from '../../ui/action.tsx';
import { CopyButton } from '../../ui/copy.tsx';
import { Loading } from '../../ui/page.tsx';

export function TransparencyLog() {
  const can = useCan();
  const queryClient = useQueryClient();
  const state = $api.useQuery('get', '/api/log');
  const { run, feedback } = useAction();
  const rotate = () =>
    void run(async () => {
      const { data } = await client.POST('/api/log/keys/rotate');
      await queryClient.invalidateQueries({ queryKey: ['get', '/api/log'] });
      return `New key: ${data?.verifierKey ?? ''}. Checkpoints signed before stay valid with the old key.`;
    });
  return (
    <section aria-labelledby="log-title">
      <h2 id="log-title">Signed audit log</h2>
      <Loading query={state}>
        {(log) => (
          <>
            <p>
              {log.size} events in log <code>{log.origin}</code>.{' '}
              {log.lastCheckpoint
                ? `Last signed checkpoint: ${log.lastCheckpoint.size} events, ${log.lastCheckpoint.signedAt.slice(0, 16).replace('T', ' ')} UTC (${log.lastCheckpoint.reason.replace(/-/g, ' ')}).`
                : 'No checkpoint signed yet.'}
            </p>
            <p className="muted">
              Verifier keys (sent in every email to a client; anyone can check an evidence bundle with them, offline):
            </p>
            <ul>
              {log.verifierKeys.map((k) => (
                <li key={k.verifierKey}>
                  <code className="wrap">{k.verifierKey}</code> {k.active ? '(signing now)' : `(retired; valid for checkpoints it signed)`}{' '}
                  <CopyButton value={k.verifierKey} label="Copy" />
                </li>
              ))}
            </ul>
            {can('log.rotate-key') ? (
              <div className="actions">
                <button type="button" onClick={rotate}>
                  Rotate signing key
                </button>
              </div>
            ) : null}
          </>
        )}
      </Loading>
      {feedback}
    </section>
  );
}

/** Witnesses: others (the client, a peer MSP, an insurer) who cosign the log's checkpoints only when each extends the last. */
export function Witnesses({ canEdit }: { canEdit: boolean }) {
  const queryClient = useQueryClient();
  const state = $api.useQuery('get', '/api/settings/witnesses');
  const refresh = () => queryClient.invalidateQueries({ queryKey: ['get', '/api/settings/witnesses'] });
  const { run, feedback } = useAction();
  const add = submitted((f) => {
    void run(async () => {
      await client.POST('/api/settings/witnesses', {
        body: { name: field(f, 'name'), url: field(f, 'url'), verifierKey: field(f, 'verifierKey') },
      });
      await refresh();
      return 'Added: every new checkpoint is sent to it.';
    });
  });
  const remove = (id: string) =>
    void run(async () => {
      await client.DELETE('/api/settings/witnesses/{id}', { params: { path: { id } } });
      await refresh();
      return 'Removed. Its cosignatures are kept.';
    });
  return (
    <section aria-labelledby="witnesses-title">
      <h2 id="witnesses-title">Witnesses</h2>
      <p className="muted">
        A witness runs <code>offboard witness</code> and cosigns a checkpoint only if it extends the last one it saw, so nobody can show one
        history to a client and another to an auditor. Bundles carry their cosignatures.
      </p>
      <Loading query={state}>
        {({ items }) => (
          <ul>
            {items.length === 0 ? <li className="muted">None yet.</li> : null}
            {items.map((w) => (
              <li key={w.id}>
                {w.name} ({w.url}): {w.cosignedSize > 0 ? `cosigned up to ${w.cosignedSize} events` : 'nothing cosigned yet'}
                {w.lastError ? <span className="field-error"> Last answer: {w.lastError}</span> : null}{' '}
                {canEdit ? (
                  <button type="button" onClick={() => remove(w.id)}>
                    Remove
                  </button>
                ) : null}
              </li>
            ))}
          </ul>
        )}
      </Loading>
      {canEdit ? (
        <form onSubmit={add} className="form-grid">
          <label htmlFor="witness-name">Name</label>
          <input id="witness-name" name="name" required />
          <label htmlFor="witness-url">URL</label>
          <input id="witness-url" name="url" type="url" required />
          <label htmlFor="witness-key">Witness key (as it prints it)</label>
          <input id="witness-key" name="verifierKey" required />
          <div className="actions">
            <button type="submit">Add witness</button>
          </div>
        </form>
      ) : null}
      {feedback}
    </section>
  );
}
