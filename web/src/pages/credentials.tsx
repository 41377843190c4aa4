/**
 * A client's credential vault: the inventory's state, the credentials by kind, disposition and
 * search (never a secret in the list), a secret shown on request (recorded), the disposition of
 * many at once, the change recorded before a hand-over, adding one, and importing passwords.
 */
import { useQueryClient } from '@tanstack/react-query';
import { Link } from '@tanstack/react-router';
import { useState } from 'react';
import { $api, type ApiError, type Schemas, asApiError, client } from '../api/client.ts';
import { field, submitted } from '../form.ts';
import { useCan } from '../session.tsx';
import { Secret } from '../ui/copy.tsx';
import { ErrorNote, Loading, Page, Pager } from '../ui/page.tsx';
import { toast } from '../ui/toast.tsx';
import { CREDENTIAL_KINDS, CREDENTIAL_OWNERS, type DISPOSITIONS, KIND_WORDS } from '../../../src/domain/credentials.ts';
import { Import } from './documentation.tsx';

type Credential = Schemas['Credential'];
type Kind = (typeof CREDENTIAL_KINDS)[number];
type Disposition = (typeof DISPOSITIONS)[number];
type Filter = { kind?: Kind; disposition?: Disposition | 'none'; q?: string };

const LIST = ['get', '/api/clients/{id}/credentials'] as const;
const OWNER_LABEL: Record<string, string> = { client: 'The client', msp: 'The MSP', vendor: 'A vendor' };
const SOURCE_WORDS: Record<string, string> = {
  manual: 'Typed in',
  itglue: 'IT Glue',
  hudu: 'Hudu',
  itflow: 'ITFlow',
  csv: 'CSV file',
  xlsx: 'XLSX file',
};
const DISPOSITION_CHOICES = [
  ['hand-over:client', 'Hand over to the client'],
  ['hand-over:new-provider', 'Hand over to the new provider'],
  ['rotate-then-hand-over:client', 'Change, then hand over to the client'],
  ['rotate-then-hand-over:new-provider', 'Change, then hand over to the new provider'],
  ['revoke:', 'Revoke (our own access)'],
] as const;

function KindOptions() {
  return CREDENTIAL_KINDS.map((k) => (
    <option key={k} value={k}>
      {KIND_WORDS[k]}
    </option>
  ));
}

export function CredentialsPage({ clientId }: { clientId: string }) {
  const can = useCan();
  const clientState = $api.useQuery('get', '/api/clients/{id}', { params: { path: { id: clientId } } });
  const [filter, setFilter] = useState<Filter>({});
  const [pages, setPages] = useState<string[]>([]);
  const [selected, setSelected] = useState<Set<string>>(new Set());
  const query = { ...filter, limit: 100, ...(pages.at(-1) ? { cursor: pages.at(-1) } : {}) };
  const list = $api.useQuery('get', '/api/clients/{id}/credentials', { params: { path: { id: clientId }, query } });
  const write = can('credentials.write');
  const choose = (next: Filter) => {
    setFilter(next);
    setPages([]);
    setSelected(new Set());
  };
  return (
    <Loading query={clientState}>
      {(c) => (
        <Page
          title={`Credentials of ${c.name}`}
          actions={
            <Link to="/clients/$id" params={{ id: clientId }}>
              Back to the client
            </Link>
          }
        >
          <p className="muted">
            Each secret is sealed with this client’s own key. The list never shows one; seeing one is recorded with your name, the time and
            your address.
          </p>
          <Loading query={list}>
            {(page) => (
              <>
                <p className={page.inventory.complete ? 'note' : 'note warning'} role="status">
                  {page.inventory.credentials} credentials: {page.inventory.handOver.client} to the client,{' '}
                  {page.inventory.handOver.newProvider} to the new provider ({page.inventory.rotateThenHandOver} changed first),{' '}
                  {page.inventory.revoke} to revoke.{' '}
                  {page.inventory.gap ? `Not complete: ${page.inventory.gap}.` : 'Every credential has a disposition.'}
                </p>
                <form
                  className="filters"
                  role="search"
                  onSubmit={submitted((f) =>
                    choose({
                      ...(field(f, 'kind') ? { kind: field(f, 'kind') as Kind } : {}),
                      ...(field(f, 'disposition') ? { disposition: field(f, 'disposition') as Disposition } : {}),
                      ...(field(f, 'q') ? { q: field(f, 'q') } : {}),
                    }),
                  )}
                >
                  <label htmlFor="c-kind">Kind</label>
                  <select id="c-kind" name="kind" defaultValue={filter.kind ?? ''}>
                    <option value="">Every kind</option>
                    <KindOptions />
                  </select>
                  <label htmlFor="c-disposition">Disposition</label>
                  <select id="c-disposition" name="disposition" defaultValue={filter.disposition ?? ''}>
                    <option value="">Any</option>
                    <option value="none">None yet</option>
                    <option value="hand-over">Hand over</option>
                    <option value="rotate-then-hand-over">Change, then hand over</option>
                    <option value="revoke">Revoke</option>
                  </select>
                  <label htmlFor="c-q">Search</label>
                  <input id="c-q" name="q" type="search" defaultValue={filter.q ?? ''} />
                  <button type="submit">Show</button>
                </form>
                {write && selected.size > 0 ? (
                  <Decide clientId={clientId} ids={[...selected]} onDone={() => setSelected(new Set())} />
                ) : null}
                <table className="table credentials">
                  <caption className="visually-hidden">Credentials</caption>
                  <thead>
                    <tr>
                      {write ? (
                        <th scope="col">
                          <input
                            type="checkbox"
                            aria-label="Select every credential shown"
                            checked={page.items.length > 0 && page.items.every((i) => selected.has(i.id))}
                            onChange={(e) => setSelected(e.target.checked ? new Set(page.items.map((i) => i.id)) : new Set())}
                          />
                        </th>
                      ) : null}
                      <th scope="col">Credential</th>
                      <th scope="col">Kind</th>
                      <th scope="col">Owner</th>
                      <th scope="col">What happens to it</th>
                      <th scope="col">Source</th>
                      <th scope="col">
                        <span className="visually-hidden">Actions</span>
                      </th>
                    </tr>
                  </thead>
                  <tbody>
                    {page.items.map((item) => (
                      <CredentialRow
                        key={item.id}
                        item={item}
                        write={write}
                        reveal={can('credentials.reveal')}
                        selected={selected.has(item.id)}
                        onSelect={(on) => {
                          const next = new Set(selected);
                          if (on) next.add(item.id);
                          else next.delete(item.id);
                          setSelected(next);
                        }}
                      />
                    ))}
                  </tbody>
                </table>
                {page.items.length === 0 ? <p>No credential matches.</p> : null}
                <Pager pages={pages} next={page.next} onPages={setPages} />
              </>
            )}
          </Loading>
          {write ? <AddCredential clientId={clientId} /> : null}
          {can('credentials.import') ? <Import clientId={clientId} target="credentials" /> : null}
        </Page>
      )}
    </Loading>
  );
}

function CredentialRow({
  item,
  write,
  reveal,
  selected,
  onSelect,
}: {
  item: Credential;
  write: boolean;
  reveal: boolean;
  selected: boolean;
  onSelect: (on: boolean) => void;
}) {
  const queryClient = useQueryClient();
  const [shown, setShown] = useState<{ password: string; otpSecret: string | null }>();
  const [rotating, setRotating] = useState(false);
  const [error, setError] = useState<ApiError>();
  const show = async () => {
    setError(undefined);
    try {
      const { data } = await client.POST('/api/credentials/{id}/reveal', { params: { path: { id: item.id } } });
      if (data) setShown({ password: data.password, otpSecret: data.otpSecret });
    } catch (err) {
      setError(asApiError(err));
    }
  };
  const rotate = submitted((f) => {
    setError(undefined);
    client
      .POST('/api/credentials/{id}/rotation', { params: { path: { id: item.id } }, body: { password: f.get('password') as string } })
      .then(async () => {
        toast(`Recorded the change of ${item.name}`);
        setRotating(false);
        await queryClient.invalidateQueries({ queryKey: LIST });
      })
      .catch((err: unknown) => setError(asApiError(err)));
  });
  const waitsForChange = item.disposition === 'rotate-then-hand-over' && item.rotatedAt === null;
  return (
    <>
      <tr>
        {write ? (
          <td>
            <input type="checkbox" aria-label={`Select ${item.name}`} checked={selected} onChange={(e) => onSelect(e.target.checked)} />
          </td>
        ) : null}
        <td>
          <strong>{item.name}</strong>
          {item.username ? <div>{item.username}</div> : null}
          {item.url ? <div className="muted">{item.url}</div> : null}
        </td>
        <td>{KIND_WORDS[item.kind]}</td>
        <td>{item.owner ? OWNER_LABEL[item.owner] : 'Not said'}</td>
        <td>
          {item.dispositionInWords ?? 'No disposition yet'}
          {item.rotatedAt ? <div className="muted">changed {item.rotatedAt.slice(0, 10)}</div> : null}
          {waitsForChange ? <div className="muted">waits for the change before it goes</div> : null}
        </td>
        <td>{SOURCE_WORDS[item.source] ?? item.source}</td>
        <td className="actions">
          {reveal ? (
            <button type="button" className="small" onClick={() => (shown ? setShown(undefined) : void show())}>
              {shown ? 'Hide' : 'Show secret'}
            </button>
          ) : null}
          {write && item.disposition === 'rotate-then-hand-over' ? (
            <button type="button" className="small" onClick={() => setRotating(!rotating)}>
              Record the change
            </button>
          ) : null}
        </td>
      </tr>
      {shown || rotating || error ? (
        <tr className="detail">
          <td colSpan={write ? 7 : 6}>
            {shown ? (
              <div aria-label={`The secret of ${item.name}`} role="group">
                <Secret value={shown.password} label="Password" />
                {shown.otpSecret ? <Secret value={shown.otpSecret} label="TOTP seed" /> : null}
              </div>
            ) : null}
            {rotating ? (
              <form onSubmit={rotate} className="inline">
                <label htmlFor={`rot-${item.id}`}>The new secret, as set at {item.name}</label>
                <input id={`rot-${item.id}`} name="password" type="password" autoComplete="off" required />
                <button type="submit">Record</button>
              </form>
            ) : null}
            <ErrorNote error={error} />
          </td>
        </tr>
      ) : null}
    </>
  );
}

/** The disposition of the credentials selected, at once. */
function Decide({ clientId, ids, onDone }: { clientId: string; ids: string[]; onDone: () => void }) {
  const queryClient = useQueryClient();
  const [error, setError] = useState<ApiError>();
  const decide = submitted((f) => {
    setError(undefined);
    const [disposition, recipient] = field(f, 'choice').split(':') as [Disposition, string];
    client
      .POST('/api/clients/{id}/credentials/dispositions', {
        params: { path: { id: clientId } },
        body: { ids, disposition, ...(recipient ? { recipient: recipient as 'client' } : {}) },
      })
      .then(async ({ data }) => {
        toast(
          `Decided for ${ids.length} credential${ids.length === 1 ? '' : 's'}${data?.tasksCompleted ? '; the inventory is complete' : ''}`,
        );
        onDone();
        await queryClient.invalidateQueries({ queryKey: LIST });
      })
      .catch((err: unknown) => setError(asApiError(err)));
  });
  return (
    <form className="bulk card" onSubmit={decide} aria-label="What happens to the selected credentials">
      <label htmlFor="c-choice">
        {ids.length} selected: what happens to {ids.length === 1 ? 'it' : 'them'}
      </label>
      <select id="c-choice" name="choice" defaultValue="hand-over:client">
        {DISPOSITION_CHOICES.map(([value, words]) => (
          <option key={value} value={value}>
            {words}
          </option>
        ))}
      </select>
      <button type="submit" className="primary">
        Decide
      </button>
      <ErrorNote error={error} />
    </form>
  );
}

function AddCredential({ clientId }: { clientId: string }) {
  const queryClient = useQueryClient();
  const [error, setError] = useState<ApiError>();
  const add = submitted((f, form) => {
    setError(undefined);
    const optional = (name: string) => (field(f, name) ? { [name]: field(f, name) } : {});
    client
      .POST('/api/clients/{id}/credentials', {
        params: { path: { id: clientId } },
        body: {
          name: field(f, 'name'),
          kind: field(f, 'kind') as Kind,
          password: f.get('password') as string,
          ...optional('username'),
          ...optional('url'),
          ...optional('otpSecret'),
          ...optional('notes'),
          ...(field(f, 'owner') ? { owner: field(f, 'owner') as 'client' } : {}),
        },
      })
      .then(async () => {
        toast(`Added ${field(f, 'name')} to the vault`);
        form.reset();
        await queryClient.invalidateQueries({ queryKey: LIST });
      })
      .catch((err: unknown) => setError(asApiError(err)));
  });
  return (
    <details className="card">
      <summary>Add a credential</summary>
      <form onSubmit={add} className="form-grid">
        <label htmlFor="n-name">System or account</label>
        <input id="n-name" name="name" required />
        <label htmlFor="n-kind">Kind</label>
        <select id="n-kind" name="kind" defaultValue="admin-account">
          <KindOptions />
        </select>
        <label htmlFor="n-username">Username</label>
        <input id="n-username" name="username" autoComplete="off" />
        <label htmlFor="n-password">Password or secret</label>
        <input id="n-password" name="password" type="password" autoComplete="new-password" required />
        <label htmlFor="n-url">Address</label>
        <input id="n-url" name="url" />
        <label htmlFor="n-otp">TOTP seed</label>
        <input id="n-otp" name="otpSecret" autoComplete="off" />
        <label htmlFor="n-owner">Whose it is</label>
        <select id="n-owner" name="owner" defaultValue="">
          <option value="">Not said</option>
          {CREDENTIAL_OWNERS.map((o) => (
            <option key={o} value={o}>
              {OWNER_LABEL[o]}
            </option>
          ))}
        </select>
        <label htmlFor="n-notes">Notes</label>
        <textarea id="n-notes" name="notes" rows={2} />
        <div className="actions">
          <button type="submit" className="primary">
            Add to the vault
          </button>
        </div>
        <div className="span">
          <ErrorNote error={error} />
        </div>
      </form>
    </details>
  );
}
