/**
 * A client's documentation: the ownership register's state, the items by section, owner and
 * search, editing one, giving many an owner at once, adding one, and importing from IT Glue,
 * Hudu, ITFlow or a CSV/XLSX file (columns mapped first) with a progress bar while it runs.
 */
import { useQueryClient } from '@tanstack/react-query';
import { Link } from '@tanstack/react-router';
import { useEffect, useState } from 'react';
import { $api, type ApiError, type Schemas, asApiError, client } from '../api/client.ts';
import { field, submitted } from '../form.ts';
import { useCan } from '../session.tsx';
import { ErrorNote, Loading, Page, Pager } from '../ui/page.tsx';
import { toast } from '../ui/toast.tsx';
import { DOCUMENTATION_SECTIONS, ITEM_OWNERS, SECTION_COLUMNS } from '../../../src/domain/documentation-columns.ts';
import { OWNER_WORDS, SECTION_TITLES } from '../../../src/domain/documentation-package.ts';

type Item = Schemas['DocumentationItem'];
type Section = (typeof DOCUMENTATION_SECTIONS)[number];
type Owner = (typeof ITEM_OWNERS)[number];
type Filter = { section?: Section; owner?: Owner | 'none'; q?: string };

const SOURCE_WORDS: Record<string, string> = {
  manual: 'Typed in',
  itglue: 'IT Glue',
  hudu: 'Hudu',
  itflow: 'ITFlow',
  csv: 'CSV file',
  xlsx: 'XLSX file',
};
const LIST = ['get', '/api/clients/{id}/documentation'] as const;
/** A field's value as text: strings and numbers as they are, anything else as JSON. */
const asText = (value: unknown): string =>
  value === undefined || value === null
    ? ''
    : typeof value === 'string' || typeof value === 'number'
      ? String(value)
      : JSON.stringify(value);
const ownerLabel = (o: string | null) => (o ? OWNER_WORDS[o as Owner].replace(/^the /, 'The ').replace(/^third/, 'Third') : 'No owner yet');

/** The sections one adds or imports rows of (files come by upload), as a select's options. */
function SectionOptions() {
  return (
    <>
      {DOCUMENTATION_SECTIONS.filter((s) => s !== 'files').map((s) => (
        <option key={s} value={s}>
          {SECTION_TITLES[s]}
        </option>
      ))}
    </>
  );
}

/** The owners, as a select's options. */
function OwnerOptions() {
  return (
    <>
      {ITEM_OWNERS.map((o) => (
        <option key={o} value={o}>
          {ownerLabel(o)}
        </option>
      ))}
    </>
  );
}

export function DocumentationPage({ clientId }: { clientId: string }) {
  const can = useCan();
  const clientState = $api.useQuery('get', '/api/clients/{id}', { params: { path: { id: clientId } } });
  const [filter, setFilter] = useState<Filter>({});
  const [pages, setPages] = useState<string[]>([]);
  const [selected, setSelected] = useState<Set<string>>(new Set());
  const [editing, setEditing] = useState<string>();
  const query = { ...filter, limit: 100, ...(pages.at(-1) ? { cursor: pages.at(-1) } : {}) };
  const list = $api.useQuery('get', '/api/clients/{id}/documentation', { params: { path: { id: clientId }, query } });
  const write = can('documentation.write');
  const choose = (next: Filter) => {
    setFilter(next);
    setPages([]);
    setSelected(new Set());
  };
  return (
    <Loading query={clientState}>
      {(c) => (
        <Page
          title={`Documentation of ${c.name}`}
          actions={
            <Link to="/clients/$id" params={{ id: clientId }}>
              Back to the client
            </Link>
          }
        >
          <Loading query={list}>
            {(page) => (
              <>
                <Register register={page.register} />
                <form
                  className="filters"
                  role="search"
                  onSubmit={submitted((f) =>
                    choose({
                      ...(field(f, 'section') ? { section: field(f, 'section') as Section } : {}),
                      ...(field(f, 'owner') ? { owner: field(f, 'owner') as Owner } : {}),
                      ...(field(f, 'q') ? { q: field(f, 'q') } : {}),
                    }),
                  )}
                >
                  <label htmlFor="d-section">Section</label>
                  <select id="d-section" name="section" defaultValue={filter.section ?? ''}>
                    <option value="">Every section</option>
                    {DOCUMENTATION_SECTIONS.map((s) => (
                      <option key={s} value={s}>
                        {SECTION_TITLES[s]}
                      </option>
                    ))}
                  </select>
                  <label htmlFor="d-owner">Owner</label>
                  <select id="d-owner" name="owner" defaultValue={filter.owner ?? ''}>
                    <option value="">Anyone</option>
                    <option value="none">No owner yet</option>
                    <OwnerOptions />
                  </select>
                  <label htmlFor="d-q">Search</label>
                  <input id="d-q" name="q" type="search" defaultValue={filter.q ?? ''} />
                  <button type="submit">Show</button>
                </form>
                {write && selected.size > 0 ? (
                  <BulkEdit clientId={clientId} ids={[...selected]} onDone={() => setSelected(new Set())} />
                ) : null}
                <table className="table documentation">
                  <caption className="visually-hidden">Documentation items</caption>
                  <thead>
                    <tr>
                      {write ? (
                        <th scope="col">
                          <input
                            type="checkbox"
                            aria-label="Select every item shown"
                            checked={page.items.length > 0 && page.items.every((i) => selected.has(i.id))}
                            onChange={(e) => setSelected(e.target.checked ? new Set(page.items.map((i) => i.id)) : new Set())}
                          />
                        </th>
                      ) : null}
                      <th scope="col">Name</th>
                      <th scope="col">Section</th>
                      <th scope="col">Owner</th>
                      <th scope="col">Details</th>
                      <th scope="col">Source</th>
                    </tr>
                  </thead>
                  <tbody>
                    {page.items.map((item) => (
                      <ItemRow
                        key={item.id}
                        item={item}
                        write={write}
                        selected={selected.has(item.id)}
                        onSelect={(on) => {
                          const next = new Set(selected);
                          if (on) next.add(item.id);
                          else next.delete(item.id);
                          setSelected(next);
                        }}
                        editing={editing === item.id}
                        onEdit={() => setEditing(editing === item.id ? undefined : item.id)}
                      />
                    ))}
                  </tbody>
                </table>
                {page.items.length === 0 ? <p>No documentation matches.</p> : null}
                <Pager pages={pages} next={page.next} onPages={setPages} />
              </>
            )}
          </Loading>
          {write ? <AddItem clientId={clientId} /> : null}
          {can('documentation.import') ? <Import clientId={clientId} /> : null}
        </Page>
      )}
    </Loading>
  );
}

function Register({ register }: { register: Schemas['OwnershipRegister'] }) {
  return (
    <p className={register.complete ? 'note' : 'note warn'} role="status">
      {register.items} item{register.items === 1 ? '' : 's'}: the client {register.byOwner.client ?? 0}, the MSP {register.byOwner.msp ?? 0}
      , third parties {register.byOwner['third-party'] ?? 0}
      {register.mspInternal > 0 ? `; ${register.mspInternal} MSP-internal (never handed over)` : ''}.{' '}
      {register.complete ? 'The ownership register is complete.' : register.gap}
    </p>
  );
}

function ItemRow({
  item,
  write,
  selected,
  onSelect,
  editing,
  onEdit,
}: {
  item: Item;
  write: boolean;
  selected: boolean;
  onSelect: (on: boolean) => void;
  editing: boolean;
  onEdit: () => void;
}) {
  const details = SECTION_COLUMNS[item.section]
    .map(([key, heading]) => (asText(item.fields[key]) === '' ? null : `${heading}: ${asText(item.fields[key])}`))
    .filter((d) => d !== null)
    .slice(0, 3)
    .join(' · ');
  return (
    <>
      <tr className={item.owner === null ? 'unowned' : undefined}>
        {write ? (
          <td>
            <input type="checkbox" aria-label={`Select ${item.name}`} checked={selected} onChange={(e) => onSelect(e.target.checked)} />
          </td>
        ) : null}
        <td>
          {write ? (
            <button type="button" className="link" aria-expanded={editing} onClick={onEdit}>
              {item.name}
            </button>
          ) : (
            item.name
          )}
          {item.file ? (
            <>
              {' '}
              (<a href={`/api/documentation/${item.id}/file`}>{item.file.filename}</a>)
            </>
          ) : null}
        </td>
        <td>{SECTION_TITLES[item.section]}</td>
        <td>
          {ownerLabel(item.owner)}
          {item.mspInternal ? <span className="badge"> MSP-internal</span> : null}
        </td>
        <td>{details}</td>
        <td>{SOURCE_WORDS[item.source] ?? item.source}</td>
      </tr>
      {editing ? (
        <tr>
          <td colSpan={write ? 6 : 5}>
            <EditItem item={item} onDone={onEdit} />
          </td>
        </tr>
      ) : null}
    </>
  );
}

/** One item's name, owner, flag and section fields; saved with If-Match so a concurrent change is not overwritten. */
function EditItem({ item, onDone }: { item: Item; onDone: () => void }) {
  const queryClient = useQueryClient();
  const [error, setError] = useState<ApiError>();
  const reload = () => queryClient.invalidateQueries({ queryKey: LIST });
  const submit = submitted((f) => {
    const fields: Record<string, unknown> = { ...item.fields };
    for (const [key] of SECTION_COLUMNS[item.section]) {
      const value = field(f, `field-${key}`);
      if (value === '') delete fields[key];
      else fields[key] = key === 'quantity' ? Number(value) : value;
    }
    setError(undefined);
    client
      .PATCH('/api/documentation/{id}', {
        params: { path: { id: item.id }, header: { 'if-match': `"v${item.version}"` } },
        body: {
          name: field(f, 'name'),
          owner: (field(f, 'owner') || null) as Owner | null,
          mspInternal: f.get('mspInternal') === 'on',
          fields,
        },
      })
      .then(
        async () => {
          toast(`Saved ${field(f, 'name')}`);
          await reload();
          onDone();
        },
        (err: unknown) => setError(asApiError(err)),
      );
  });
  const remove = async () => {
    try {
      await client.DELETE('/api/documentation/{id}', { params: { path: { id: item.id } } });
      toast(`Removed ${item.name}`);
      await reload();
    } catch (err) {
      setError(asApiError(err));
    }
  };
  const id = `edit-${item.id}`;
  return (
    <form onSubmit={submit} className="form-grid" aria-label={`Edit ${item.name}`}>
      <label htmlFor={`${id}-name`}>Name</label>
      <input id={`${id}-name`} name="name" defaultValue={item.name} required />
      <label htmlFor={`${id}-owner`}>Owner</label>
      <select id={`${id}-owner`} name="owner" defaultValue={item.owner ?? ''}>
        <option value="">No owner yet</option>
        <OwnerOptions />
      </select>
      <label className="check span">
        <input type="checkbox" name="mspInternal" defaultChecked={item.mspInternal} /> MSP-internal: never handed over
      </label>
      {SECTION_COLUMNS[item.section].map(([key, heading]) => (
        <FieldInput
          key={key}
          id={`${id}-${key}`}
          name={`field-${key}`}
          label={heading}
          value={item.fields[key]}
          long={key === 'body' || key === 'records' || key === 'notes'}
        />
      ))}
      <div className="actions">
        <button type="submit" className="primary">
          Save
        </button>
        <button type="button" onClick={() => void remove()}>
          Remove item
        </button>
      </div>
      <div className="span">
        <ErrorNote error={error} />
      </div>
    </form>
  );
}

function FieldInput({ id, name, label, value, long }: { id: string; name: string; label: string; value: unknown; long: boolean }) {
  const text = asText(value);
  return (
    <>
      <label htmlFor={id}>{label}</label>
      {long ? <textarea id={id} name={name} defaultValue={text} rows={6} /> : <input id={id} name={name} defaultValue={text} />}
    </>
  );
}

function BulkEdit({ clientId, ids, onDone }: { clientId: string; ids: string[]; onDone: () => void }) {
  const queryClient = useQueryClient();
  const [error, setError] = useState<ApiError>();
  const apply = async (change: { owner?: Owner | null; mspInternal?: boolean }) => {
    setError(undefined);
    try {
      const { data } = await client.POST('/api/clients/{id}/documentation/bulk', {
        params: { path: { id: clientId } },
        body: { ids, ...change },
      });
      toast(`Changed ${data?.changed ?? ids.length} item${ids.length === 1 ? '' : 's'}`);
      await queryClient.invalidateQueries({ queryKey: LIST });
      onDone();
    } catch (err) {
      setError(asApiError(err));
    }
  };
  return (
    <section className="card bulk" aria-label="Change the selected items">
      <strong>{ids.length} selected: give them an owner</strong>{' '}
      {ITEM_OWNERS.map((o) => (
        <button key={o} type="button" onClick={() => void apply({ owner: o })}>
          {ownerLabel(o)}
        </button>
      ))}{' '}
      <button type="button" onClick={() => void apply({ mspInternal: true })}>
        Mark MSP-internal
      </button>
      <button type="button" onClick={() => void apply({ mspInternal: false })}>
        Not MSP-internal
      </button>
      <ErrorNote error={error} />
    </section>
  );
}

function AddItem({ clientId }: { clientId: string }) {
  const queryClient = useQueryClient();
  const [error, setError] = useState<ApiError>();
  const submit = submitted((f, form) => {
    setError(undefined);
    client
      .POST('/api/clients/{id}/documentation', {
        params: { path: { id: clientId } },
        body: {
          section: field(f, 'section') as Section,
          name: field(f, 'name'),
          ...(field(f, 'owner') ? { owner: field(f, 'owner') as Owner } : {}),
        },
      })
      .then(
        async () => {
          toast(`Added ${field(f, 'name')}`);
          form.reset();
          await queryClient.invalidateQueries({ queryKey: LIST });
        },
        (err: unknown) => setError(asApiError(err)),
      );
  });
  return (
    <details className="card">
      <summary>Add an item</summary>
      <form onSubmit={submit} className="form-grid">
        <label htmlFor="a-section">Section</label>
        <select id="a-section" name="section" defaultValue="devices">
          <SectionOptions />
        </select>
        <label htmlFor="a-name">Name</label>
        <input id="a-name" name="name" required />
        <label htmlFor="a-owner">Owner</label>
        <select id="a-owner" name="owner" defaultValue="">
          <option value="">No owner yet</option>
          <OwnerOptions />
        </select>
        <div className="actions">
          <button type="submit">Add</button>
        </div>
        <div className="span">
          <ErrorNote error={error} />
        </div>
      </form>
    </details>
  );
}

const SOURCES = [
  ['itglue', 'IT Glue'],
  ['hudu', 'Hudu'],
  ['itflow', 'ITFlow'],
  ['csv', 'A CSV file'],
  ['xlsx', 'An Excel (XLSX) file'],
] as const;
type Source = (typeof SOURCES)[number][0];
type Uploaded = {
  file: string;
  section: Section | 'credentials';
  headers: string[];
  sample: string[][];
  suggested: Record<string, unknown>;
};
type Target = 'documentation' | 'credentials';
const MAPPED: Record<Target, readonly string[]> = {
  documentation: ['name', 'id', 'owner', 'password', 'username', 'url'],
  credentials: ['name', 'id', 'username', 'password', 'url', 'otpSecret', 'notes', 'kind', 'owner'],
};
const MAPPED_WORDS: Record<Target, Record<string, string>> = {
  documentation: {
    name: 'Name (required)',
    id: 'Id (so importing again updates)',
    owner: 'Owner',
    password: 'Password (goes to the credential vault, never here)',
    username: 'Username (with the password)',
    url: 'Address (with the password)',
  },
  credentials: {
    name: 'System or account (required)',
    id: 'Id (so importing again updates)',
    username: 'Username',
    password: 'Password (required)',
    url: 'Address',
    otpSecret: 'TOTP seed',
    notes: 'Notes',
    kind: 'Kind or category',
    owner: 'Owner (client, MSP, vendor)',
  },
};

/**
 * Import: choose where from; a file is uploaded first and its columns mapped; the import runs as a
 * job, its progress shown as it goes. The same for documentation and for a client's passwords.
 */
export function Import({ clientId, target = 'documentation' }: { clientId: string; target?: Target }) {
  const [source, setSource] = useState<Source>('itglue');
  const [uploaded, setUploaded] = useState<Uploaded>();
  const [running, setRunning] = useState<string>();
  const [error, setError] = useState<ApiError>();
  const sheet = source === 'csv' || source === 'xlsx';
  const upload = async (f: FormData) => {
    const file = f.get('file');
    if (!(file instanceof File) || file.size === 0) return;
    const body = new FormData();
    body.append('file', file, file.name);
    const section = target === 'credentials' ? 'credentials' : (field(f, 'section') as Section);
    const { data } = await client.POST('/api/clients/{id}/documentation/import-files', {
      params: { path: { id: clientId }, query: { kind: source as 'csv', section: section as 'devices' } },
      body: body as never,
      bodySerializer: (b: unknown) => b as FormData,
    });
    if (data) setUploaded({ ...(data as unknown as Uploaded), section });
  };
  const start = submitted((f) => {
    setError(undefined);
    const dryRun = f.get('dryRun') === 'on';
    const run = async () => {
      if (sheet && !uploaded) return upload(f);
      const columns = uploaded && uploaded.section !== 'credentials' ? SECTION_COLUMNS[uploaded.section] : [];
      const mapping = uploaded
        ? {
            ...Object.fromEntries(MAPPED[target].map((k): [string, string] => [k, field(f, `map-${k}`)]).filter(([, v]) => v !== '')),
            fields: Object.fromEntries(columns.map(([k]): [string, string] => [k, field(f, `map-field-${k}`)]).filter(([, v]) => v !== '')),
          }
        : undefined;
      const body = sheet
        ? { source, dryRun, file: uploaded?.file, ...(target === 'documentation' ? { section: uploaded?.section } : {}), mapping }
        : {
            source,
            dryRun,
            ...(field(f, 'url') ? { url: field(f, 'url'), key: field(f, 'key') } : {}),
            ...(field(f, 'organization') ? { organization: field(f, 'organization') } : {}),
          };
      const { data } = await client.POST(
        target === 'credentials' ? '/api/clients/{id}/credentials/imports' : '/api/clients/{id}/documentation/imports',
        { params: { path: { id: clientId } }, body: body as never },
      );
      if (data) setRunning(data.id);
    };
    run().catch((err: unknown) => setError(asApiError(err)));
  });
  const suggested = (key: string): string => {
    const s = uploaded?.suggested as { fields?: Record<string, string> } & Record<string, unknown>;
    const value = key.startsWith('field-') ? s?.fields?.[key.slice(6)] : s?.[key];
    return typeof value === 'string' ? value : '';
  };
  return (
    <details className="card" open={running !== undefined || uploaded !== undefined}>
      <summary>{target === 'credentials' ? 'Import passwords' : 'Import documentation'}</summary>
      <form onSubmit={start} className="form-grid">
        <label htmlFor="i-source">From</label>
        <select
          id="i-source"
          name="source"
          value={source}
          onChange={(e) => {
            setSource(e.target.value as Source);
            setUploaded(undefined);
          }}
        >
          {SOURCES.map(([value, words]) => (
            <option key={value} value={value}>
              {words}
            </option>
          ))}
        </select>
        {sheet ? (
          <>
            {target === 'documentation' ? (
              <>
                <label htmlFor="i-section">The rows are</label>
                <select id="i-section" name="section" defaultValue="devices" disabled={uploaded !== undefined}>
                  <SectionOptions />
                </select>
              </>
            ) : null}
            <label htmlFor="i-file">File</label>
            <input
              id="i-file"
              name="file"
              type="file"
              accept={source === 'csv' ? '.csv,text/csv' : '.xlsx'}
              disabled={uploaded !== undefined}
            />
          </>
        ) : (
          <>
            <label htmlFor="i-url">API address (blank: the saved connection)</label>
            <input id="i-url" name="url" type="url" placeholder="https://api.itglue.com" />
            <label htmlFor="i-key">API key</label>
            <input id="i-key" name="key" type="password" autoComplete="off" />
            <label htmlFor="i-org">Organization id (blank: found by name or PSA id)</label>
            <input id="i-org" name="organization" />
          </>
        )}
        {uploaded ? (
          <fieldset className="span mapping">
            <legend>Which column is which ({uploaded.headers.length} columns; first rows below)</legend>
            {[
              ...MAPPED[target].map((k) => [k, MAPPED_WORDS[target][k] ?? k] as const),
              ...(uploaded.section === 'credentials' ? [] : SECTION_COLUMNS[uploaded.section]).map(([k, h]) => [`field-${k}`, h] as const),
            ].map(([key, words]) => (
              <label key={key} className="mapping-row">
                <span>{words}</span>
                <select name={`map-${key}`} defaultValue={suggested(key)}>
                  <option value="">(none)</option>
                  {uploaded.headers.map((h) => (
                    <option key={h} value={h}>
                      {h}
                    </option>
                  ))}
                </select>
              </label>
            ))}
            <table className="table sample">
              <thead>
                <tr>
                  {uploaded.headers.map((h) => (
                    <th key={h} scope="col">
                      {h}
                    </th>
                  ))}
                </tr>
              </thead>
              <tbody>
                {uploaded.sample.map((row, i) => (
                  <tr key={i}>
                    {row.map((cell, j) => (
                      <td key={j}>{cell}</td>
                    ))}
                  </tr>
                ))}
              </tbody>
            </table>
          </fieldset>
        ) : null}
        <label className="check span">
          <input type="checkbox" name="dryRun" /> Dry run: show what would be created, updated and skipped; change nothing
        </label>
        <div className="actions">
          <button type="submit" className="primary">
            {sheet && !uploaded ? 'Upload and map the columns' : 'Start the import'}
          </button>
        </div>
        <div className="span">
          <ErrorNote error={error} />
        </div>
      </form>
      {running ? <ImportProgress id={running} /> : null}
    </details>
  );
}

/** An import as it runs: a progress bar until it ends, then its summary and the rows it could not use. */
function ImportProgress({ id }: { id: string }) {
  const queryClient = useQueryClient();
  const state = $api.useQuery(
    'get',
    '/api/documentation-imports/{id}',
    { params: { path: { id } } },
    { refetchInterval: (q) => (q.state.data && (q.state.data.status === 'done' || q.state.data.status === 'failed') ? false : 1000) },
  );
  const done = state.data?.status === 'done' || state.data?.status === 'failed';
  const credentials = state.data?.target === 'credentials';
  useEffect(() => {
    if (done) void queryClient.invalidateQueries({ queryKey: credentials ? ['get', '/api/clients/{id}/credentials'] : LIST });
  }, [done, credentials, queryClient]);
  const i = state.data;
  if (!i) return <p>Starting the import…</p>;
  const s = i.summary ?? {};
  return (
    <section aria-label="The import" className="import-progress">
      {!done ? (
        <>
          <label htmlFor={`progress-${id}`}>
            {i.progress.stage}: {i.progress.done}
            {i.progress.total ? ` of ${i.progress.total}` : ''} rows
          </label>
          <progress id={`progress-${id}`} value={i.progress.done} max={i.progress.total ?? undefined} />
        </>
      ) : i.status === 'failed' ? (
        <p className="note error" role="alert">
          The import failed: {i.error}
        </p>
      ) : (
        <p className="note" role="status">
          {i.dryRun ? 'Dry run: would create' : 'Created'} {s.created ?? 0}, updated {s.updated ?? 0}, unchanged {s.unchanged ?? 0}, skipped{' '}
          {s.skipped ?? 0}; {s.problems ?? 0} rows could not be used
          {credentials ? '.' : `; ${s.passwordsSetAside ?? 0} passwords handed to the credential vault.`}
        </p>
      )}
      {done && i.dryRun && i.preview ? <DryRunPreview preview={i.preview} /> : null}
      {i.problems.length > 0 ? (
        <ul className="problems">
          {i.problems.slice(0, 100).map((p) => (
            <li key={`${p.row}:${p.field}`}>
              {p.row}: {p.field}: {p.reason}
            </li>
          ))}
        </ul>
      ) : null}
    </section>
  );
}

/** What a dry run would do, row by row (the first of each kind). */
function DryRunPreview({ preview }: { preview: Record<string, unknown> }) {
  const create = Array.isArray(preview.create) ? (preview.create as string[]) : [];
  const update = Array.isArray(preview.update) ? (preview.update as { name: string; was: string }[]) : [];
  return (
    <div className="dry-run">
      {create.length > 0 ? (
        <>
          <h4>Would create</h4>
          <ul>
            {create.map((c, n) => (
              <li key={`${n}:${c}`}>{c}</li>
            ))}
          </ul>
        </>
      ) : null}
      {update.length > 0 ? (
        <>
          <h4>Would update</h4>
          <ul>
            {update.map((u, n) => (
              <li key={`${n}:${u.name}`}>{u.was === u.name ? u.name : `${u.was} (now ${u.name})`}</li>
            ))}
          </ul>
        </>
      ) : null}
    </div>
  );
}
