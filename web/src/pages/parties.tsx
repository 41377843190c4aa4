/**
 * The other two parties, on the offboarding page: who is invited to the portal (when, last there
 * when, access ended), the statements on file with how each was made (signed in the portal, or
 * recorded from a signed document) and its certificate, and each gate's state. Account leads
 * invite, send a fresh link and end access here.
 */
import { useQueryClient } from '@tanstack/react-query';
import { type FormEvent, useState } from 'react';
import { $api, type ApiError, asApiError, client } from '../api/client.ts';
import { field } from '../form.ts';
import { gateLabel } from '../labels.ts';
import { useCan } from '../session.tsx';
import { Conversation } from '../ui/conversation.tsx';
import { ErrorNote, Table } from '../ui/page.tsx';

const when = (iso: string | null) => (iso ? new Date(iso).toLocaleString(undefined, { dateStyle: 'medium', timeStyle: 'short' }) : '');

const METHOD: Record<string, string> = {
  signed: 'signed in the portal',
  'recorded-from-document': 'recorded from a signed document',
  'recorded-by-staff': 'recorded by staff (before signatures)',
};

export function Parties({ id, gates, newProvider }: { id: string; gates: string[]; newProvider: string | null }) {
  const can = useCan();
  const queryClient = useQueryClient();
  const parties = $api.useQuery('get', '/api/offboardings/{id}/parties', { params: { path: { id } } });
  const [error, setError] = useState<ApiError>();
  const [notice, setNotice] = useState<string>();
  const refresh = () => queryClient.invalidateQueries({ queryKey: ['get', '/api/offboardings/{id}/parties'] });
  const act = async (work: () => Promise<string>) => {
    setError(undefined);
    setNotice(undefined);
    try {
      setNotice(await work());
      await refresh();
    } catch (err) {
      setError(asApiError(err));
    }
  };
  const invite = (e: FormEvent<HTMLFormElement>) => {
    e.preventDefault();
    const form = new FormData(e.currentTarget);
    const target = e.currentTarget;
    void act(async () => {
      const { data } = await client.POST('/api/offboardings/{id}/parties', {
        params: { path: { id } },
        body: {
          side: field(form, 'side') as 'client' | 'new-provider',
          name: field(form, 'name'),
          email: field(form, 'email'),
          canSign: form.get('canSign') === 'on',
        },
      });
      target.reset();
      return data?.sent
        ? 'Invited: the link is on its way.'
        : 'Added. Their link goes out by itself once the client signs the authorization.';
    });
  };
  if (!parties.data) return null;
  const p = parties.data;
  const met = new Set(p.gates.met);
  return (
    <section aria-labelledby="parties-title">
      <h2 id="parties-title">Client and new provider</h2>
      {gates.length > 0 ? (
        <ul className="gate-states">
          {gates.map((g) => {
            const w = p.gates.waiting.find((x) => x.gate === g);
            return (
              <li key={g}>
                {gateLabel(g)}: {met.has(g) ? 'on file' : 'waiting'}
                {w
                  ? ` on ${w.waitingOn === 'client' ? 'the client' : 'the new provider'} since ${w.since}, ${w.remindersSent} reminder${w.remindersSent === 1 ? '' : 's'} sent${w.lastReminderAt ? ` (last ${when(w.lastReminderAt)})` : ''}`
                  : ''}
                {g === 'authorization' && p.gates.authorization
                  ? ` (signed ${when(p.gates.authorization.signedAt)}, covers ${p.gates.authorization.scopes.join(', ')})`
                  : ''}
              </li>
            );
          })}
        </ul>
      ) : null}
      {p.parties.length === 0 ? <p className="muted">Nobody outside the MSP is invited yet.</p> : null}
      <Table
        rows={p.parties}
        rowKey={(x) => x.id}
        columns={[
          { header: 'Person', cell: (x) => `${x.name} <${x.email}>` },
          { header: 'For', cell: (x) => (x.side === 'client' ? (x.canSign ? 'client, signs' : 'client, views') : 'new provider') },
          {
            header: 'Link sent',
            cell: (x) => when(x.lastLinkSentAt) || (x.side === 'new-provider' ? 'waits for the authorization' : 'not yet'),
          },
          { header: 'Last opened', cell: (x) => when(x.lastOpenedAt) || 'never' },
          {
            header: 'Access',
            cell: (x) =>
              x.accessRevokedAt ? (
                `ended ${when(x.accessRevokedAt)}`
              ) : can('parties.manage') ? (
                <span className="row-actions">
                  <button
                    type="button"
                    onClick={() =>
                      void act(
                        async () => (
                          await client.POST('/api/offboardings/{id}/parties/{partyId}/link', { params: { path: { id, partyId: x.id } } }),
                          `A fresh link is on its way to ${x.email}.`
                        ),
                      )
                    }
                  >
                    Send a new link
                  </button>{' '}
                  <button
                    type="button"
                    onClick={() =>
                      void act(
                        async () => (
                          await client.POST('/api/offboardings/{id}/parties/{partyId}/revoke', { params: { path: { id, partyId: x.id } } }),
                          `${x.name}'s access ended.`
                        ),
                      )
                    }
                  >
                    End access
                  </button>
                </span>
              ) : (
                'open'
              ),
          },
        ]}
      />
      {notice ? (
        <p className="note" role="status">
          {notice}
        </p>
      ) : null}
      <ErrorNote error={error} />
      {can('parties.manage') ? (
        <form className="inline-form" onSubmit={invite} aria-label="Invite someone to the portal">
          <label htmlFor="party-name">Name</label>
          <input id="party-name" name="name" required />
          <label htmlFor="party-email">Email</label>
          <input id="party-email" name="email" type="email" required />
          <label htmlFor="party-side">For</label>
          <select id="party-side" name="side" defaultValue="client">
            <option value="client">the client</option>
            <option value="new-provider">the new provider</option>
          </select>
          <label className="choice">
            <input type="checkbox" name="canSign" /> May sign for the client
          </label>
          <button type="submit">Invite</button>
        </form>
      ) : null}
      {p.statements.length > 0 ? (
        <>
          <h3>Statements on file</h3>
          <ul>
            {p.statements.map((s) => (
              <li key={s.id}>
                {s.kind ?? s.gate}: {METHOD[s.method] ?? s.method} by {s.signerName} &lt;{s.signerEmail}&gt;, {when(s.signedAt)}{' '}
                {s.certificateSha256 ? <a href={`/api/statements/${s.id}/certificate`}>signing certificate (PDF)</a> : null}
              </li>
            ))}
          </ul>
        </>
      ) : null}
      {newProvider ? <StaffConversation id={id} authorized={p.gates.authorization !== null} newProvider={newProvider} /> : null}
    </section>
  );
}

/** The conversation with the new provider, on the offboarding page; the client receives every message too. */
export function StaffConversation({ id, authorized, newProvider }: { id: string; authorized: boolean; newProvider: string }) {
  const can = useCan();
  const queryClient = useQueryClient();
  const messages = $api.useQuery('get', '/api/offboardings/{id}/messages', { params: { path: { id } } }, { refetchInterval: 60_000 });
  return (
    <Conversation
      messages={messages.data?.items ?? []}
      open={authorized && can('conversation.write')}
      who={`With ${newProvider}. The client’s contacts receive every message too, word for word, and so does the record.`}
      closed={
        authorized
          ? 'You can read this conversation; writing in it is for the staff working the offboarding.'
          : 'It opens once the client has signed the authorization: nothing goes to the new provider before.'
      }
      send={async (body) => {
        await client.POST('/api/offboardings/{id}/messages', { params: { path: { id } }, body: { body } });
        await queryClient.invalidateQueries({ queryKey: ['get', '/api/offboardings/{id}/messages'] });
      }}
    />
  );
}
