/**
 * The revocation list on the offboarding page: everything the MSP holds or set up for the client
 * (the vault's credentials marked revoke, and what staff add), each revoked and verified (a failed
 * login after it with its screenshot, the provider's answer) or accounted for by a manager.
 */
import { useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { $api, type ApiError, type Schemas, asApiError, client } from '../api/client.ts';
import { field, submitted } from '../form.ts';
import { useCan } from '../session.tsx';
import { ErrorNote } from '../ui/page.tsx';
import { toast } from '../ui/toast.tsx';
import { REVOCATION_KINDS, REVOCATION_KIND_WORDS } from '../../../src/domain/credentials.ts';

type Revocation = Schemas['Revocation'];
const LIST = ['get', '/api/offboardings/{id}/revocations'] as const;

export function Revocations({ id, tasks }: { id: string; tasks: { id: string; key: string }[] }) {
  const can = useCan();
  const state = $api.useQuery('get', '/api/offboardings/{id}/revocations', { params: { path: { id } } });
  const items = state.data?.items ?? [];
  const open = items.filter((i) => !i.settled).length;
  return (
    <section aria-labelledby="revocations-title">
      <h2 id="revocations-title">Revocation</h2>
      <p className="muted">
        What we hold or set up for the client ends at the cut-over, each revocation verified: a login attempted after it that failed, with
        its screenshot, or the provider’s answer. A manager accounts for what cannot be verified.
        {items.length > 0 ? ` ${items.length - open} of ${items.length} settled.` : ''}
      </p>
      <ErrorNote error={state.error ? asApiError(state.error) : undefined} />
      {items.length === 0 ? <p>Nothing to revoke is listed yet (credentials marked revoke in the vault appear here).</p> : null}
      <ul className="revocations">
        {items.map((item) => (
          <RevocationItem
            key={item.id}
            item={item}
            taskId={tasks.find((t) => t.key === item.task)?.id}
            write={can('credentials.write')}
            account={can('tasks.waive')}
          />
        ))}
      </ul>
      {can('credentials.write') ? <AddRevocation id={id} /> : null}
    </section>
  );
}

function RevocationItem({
  item,
  taskId,
  write,
  account,
}: {
  item: Revocation;
  taskId: string | undefined;
  write: boolean;
  account: boolean;
}) {
  const queryClient = useQueryClient();
  const [recording, setRecording] = useState(false);
  const [method, setMethod] = useState<'failed-login' | 'provider-answer' | 'cannot-verify'>('failed-login');
  const [error, setError] = useState<ApiError>();
  const done = async (words: string) => {
    toast(words);
    setRecording(false);
    await queryClient.invalidateQueries({ queryKey: LIST });
  };
  const instant = (local: string) => new Date(local).toISOString();
  const record = submitted((f) => {
    setError(undefined);
    const run = async () => {
      let verification: Record<string, unknown>;
      if (method === 'failed-login') {
        const file = f.get('screenshot');
        if (!(file instanceof File) || file.size === 0 || !taskId) throw new Error('attach the screenshot of the failed login');
        const body = new FormData();
        body.append('file', file, file.name);
        const { data } = await client.POST('/api/tasks/{id}/evidence', {
          params: { path: { id: taskId } },
          body: body as never,
          bodySerializer: (b: unknown) => b as FormData,
        });
        verification = { method, attemptedAt: instant(field(f, 'attemptedAt')), screenshotId: (data as { id: string }).id };
      } else if (method === 'provider-answer')
        verification = { method, answer: field(f, 'answer'), answeredAt: instant(field(f, 'answeredAt')) };
      else verification = { method, reason: field(f, 'reason') };
      await client.POST('/api/revocations/{id}/revoked', {
        params: { path: { id: item.id } },
        body: { ...(field(f, 'revokedAt') ? { revokedAt: instant(field(f, 'revokedAt')) } : {}), verification: verification as never },
      });
      await done(`Recorded the revocation of ${item.what}`);
    };
    run().catch((err: unknown) => setError(asApiError(err)));
  });
  const accountFor = submitted((f) => {
    setError(undefined);
    client
      .POST('/api/revocations/{id}/accounting', { params: { path: { id: item.id } }, body: { reason: field(f, 'reason') } })
      .then(() => done(`Accounted for ${item.what}`))
      .catch((err: unknown) => setError(asApiError(err)));
  });
  return (
    <li className={item.settled ? 'settled' : 'open'}>
      <div>
        <strong>{item.what}</strong> <span className="muted">({REVOCATION_KIND_WORDS[item.kind]})</span>
      </div>
      <div>{item.inWords.slice(item.what.length + 2)}</div>
      {write && !item.settled ? (
        <button type="button" className="small" onClick={() => setRecording(!recording)}>
          {item.revokedAt ? 'Record how it was verified' : 'Record the revocation'}
        </button>
      ) : null}
      {recording ? (
        <form onSubmit={record} className="form-grid">
          <label htmlFor={`r-at-${item.id}`}>Revoked at (blank: now)</label>
          <input id={`r-at-${item.id}`} name="revokedAt" type="datetime-local" />
          <label htmlFor={`r-method-${item.id}`}>Verified by</label>
          <select id={`r-method-${item.id}`} value={method} onChange={(e) => setMethod(e.target.value as typeof method)}>
            <option value="failed-login">A login attempted after it, that failed</option>
            <option value="provider-answer">The provider’s answer</option>
            <option value="cannot-verify">It cannot be verified</option>
          </select>
          {method === 'failed-login' ? (
            <>
              <label htmlFor={`r-try-${item.id}`}>Attempted at</label>
              <input id={`r-try-${item.id}`} name="attemptedAt" type="datetime-local" required />
              <label htmlFor={`r-shot-${item.id}`}>Screenshot of the failed login</label>
              <input id={`r-shot-${item.id}`} name="screenshot" type="file" accept="image/*,application/pdf" required />
            </>
          ) : method === 'provider-answer' ? (
            <>
              <label htmlFor={`r-answer-${item.id}`}>What the provider answered</label>
              <input id={`r-answer-${item.id}`} name="answer" required />
              <label htmlFor={`r-answered-${item.id}`}>Answered at</label>
              <input id={`r-answered-${item.id}`} name="answeredAt" type="datetime-local" required />
            </>
          ) : (
            <>
              <label htmlFor={`r-why-${item.id}`}>Why it cannot be verified</label>
              <input id={`r-why-${item.id}`} name="reason" required />
            </>
          )}
          <div className="actions">
            <button type="submit" className="primary">
              Record
            </button>
          </div>
        </form>
      ) : null}
      {account && !item.settled && item.revokedAt ? (
        <form onSubmit={accountFor} className="inline">
          <label htmlFor={`a-${item.id}`}>Account for it (manager)</label>
          <input id={`a-${item.id}`} name="reason" placeholder="why this is settled without verification" required />
          <button type="submit">Account for it</button>
        </form>
      ) : null}
      <ErrorNote error={error} />
    </li>
  );
}

function AddRevocation({ id }: { id: string }) {
  const queryClient = useQueryClient();
  const [error, setError] = useState<ApiError>();
  const add = submitted((f, form) => {
    setError(undefined);
    client
      .POST('/api/offboardings/{id}/revocations', {
        params: { path: { id } },
        body: { what: field(f, 'what'), kind: field(f, 'kind') as Revocation['kind'] },
      })
      .then(async () => {
        form.reset();
        await queryClient.invalidateQueries({ queryKey: LIST });
      })
      .catch((err: unknown) => setError(asApiError(err)));
  });
  return (
    <form onSubmit={add} className="inline" aria-label="Add something to revoke">
      <label htmlFor={`add-what-${id}`}>Also to revoke</label>
      <input id={`add-what-${id}`} name="what" placeholder="our authenticator on the global admin" required />
      <label htmlFor={`add-kind-${id}`}>Kind</label>
      <select id={`add-kind-${id}`} name="kind" defaultValue="mfa">
        {REVOCATION_KINDS.map((k) => (
          <option key={k} value={k}>
            {REVOCATION_KIND_WORDS[k]}
          </option>
        ))}
      </select>
      <button type="submit">Add</button>
      <ErrorNote error={error} />
    </form>
  );
}
