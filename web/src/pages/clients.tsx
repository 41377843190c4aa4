import { Options } from '../ui/options.tsx';
import { useQueryClient } from '@tanstack/react-query';
import { Link, useNavigate } from '@tanstack/react-router';
import { type FormEvent, useState } from 'react';
import { $api, type ApiError, asApiError, client as api, type Schemas } from '../api/client.ts';
import { field, submitted } from '../form.ts';
import {
  OFFBOARDING_TYPES,
  clientStatusLabel,
  contractTerms,
  firewallLabel,
  offboardingTypeLabel,
  roleLabel,
  serviceLabel,
} from '../labels.ts';
import { useCan } from '../session.tsx';
import { DateField, TimeZonePicker } from '../ui/fields.tsx';
import { ErrorNote, Loading, Page, Table } from '../ui/page.tsx';
import { toast } from '../ui/toast.tsx';

type ClientData = Schemas['Client'];
type Preview = Schemas['OffboardingPreview'];

const SERVICES = ['dns', 'm365', 'backup', 'edr', 'rmm', 'cloud'];

/** What we provide a client: the services that put tasks in the plan, and who owns the firewall. */
function ServiceFields({ prefix, services = {} }: { prefix: string; services?: Record<string, boolean | string> }) {
  return (
    <>
      <fieldset className="span">
        <legend>Services we provide</legend>
        {SERVICES.map((s) => (
          <label key={s} className="check inline">
            <input type="checkbox" name={s} defaultChecked={services[s] === true} /> {serviceLabel(s)}
          </label>
        ))}
      </fieldset>
      <label htmlFor={`${prefix}-firewall`}>Firewall</label>
      <select id={`${prefix}-firewall`} name="firewall" defaultValue={String(services.firewall ?? 'none')}>
        <Options values={['none', 'msp-owned', 'client-owned']} label={firewallLabel} />
      </select>
    </>
  );
}

function servicesFrom(f: FormData): Record<string, boolean | string> {
  const services: Record<string, boolean | string> = { firewall: field(f, 'firewall') };
  for (const s of SERVICES) services[s] = f.get(s) === 'on';
  return services;
}

/** A new client: name, time zone, what we provide, and the authorized contact. */
function NewClient({ onCreated }: { onCreated: (id: string) => void }) {
  const [error, setError] = useState<ApiError>();
  const queryClient = useQueryClient();
  const submit = submitted((f) => {
    const services = servicesFrom(f);
    const contact = field(f, 'contactEmail')
      ? [{ name: field(f, 'contactName'), email: field(f, 'contactEmail'), authorizedSigner: true }]
      : [];
    setError(undefined);
    api
      .POST('/api/clients', {
        body: { name: field(f, 'name'), timezone: field(f, 'timezone'), services: services as never, contacts: contact },
      })
      .then(
        ({ data }) => {
          void queryClient.invalidateQueries({ queryKey: ['get', '/api/clients'] });
          if (data) onCreated(data.id);
        },
        (err: unknown) => setError(asApiError(err)),
      );
  });
  return (
    <details className="card">
      <summary>Add a client</summary>
      <form onSubmit={submit} className="form-grid">
        <label htmlFor="c-name">Name</label>
        <input id="c-name" name="name" required />
        <TimeZonePicker name="timezone" label="Time zone" defaultValue="America/New_York" />
        <ServiceFields prefix="c" />
        <label htmlFor="c-contact-name">Authorized contact</label>
        <input id="c-contact-name" name="contactName" />
        <label htmlFor="c-contact-email">Their email</label>
        <input id="c-contact-email" name="contactEmail" type="email" />
        <div className="actions">
          <button type="submit">Add client</button>
        </div>
        <div className="span">
          <ErrorNote error={error} />
        </div>
      </form>
    </details>
  );
}

export function Clients() {
  const can = useCan();
  const navigate = useNavigate();
  const state = $api.useQuery('get', '/api/clients', { params: { query: { limit: 200 } } });
  return (
    <Page title="Clients">
      {can('clients.create') ? <NewClient onCreated={(id) => void navigate({ to: '/clients/$id', params: { id } })} /> : null}
      <Loading query={state}>
        {(page) => (
          <Table
            rows={page.items}
            rowKey={(c) => c.id}
            columns={[
              {
                header: 'Client',
                cell: (c) => (
                  <>
                    <Link to="/clients/$id" params={{ id: c.id }}>
                      {c.name}
                    </Link>
                    {c.awaitingConfirmation ? <span className="badge status-in-progress"> awaiting confirmation</span> : null}
                  </>
                ),
              },
              { header: 'Status', cell: (c) => <span className={`badge status-${c.status}`}>{clientStatusLabel(c.status)}</span> },
              { header: 'Time zone', cell: (c) => c.timezone },
              { header: 'Services', cell: (c) => servicesOf(c).join(', ') || 'none' },
            ]}
          />
        )}
      </Loading>
    </Page>
  );
}

function servicesOf(c: ClientData): string[] {
  const s = c.services as Record<string, unknown>;
  const firewall = typeof s.firewall === 'string' && s.firewall !== 'none' ? [`Firewall (${firewallLabel(s.firewall).toLowerCase()})`] : [];
  return [
    ...Object.entries(s)
      .filter(([k, v]) => v === true && k !== 'firewall')
      .map(([k]) => serviceLabel(k)),
    ...firewall,
  ];
}

export function ClientPage({ id }: { id: string }) {
  const can = useCan();
  const state = $api.useQuery('get', '/api/clients/{id}', { params: { path: { id } } });
  const queryClient = useQueryClient();
  const reload = () => void queryClient.invalidateQueries({ queryKey: ['get', '/api/clients/{id}', { params: { path: { id } } }] });
  return (
    <Loading query={state}>
      {(c) => (
        <Page
          title={c.name}
          actions={
            <>
              {can('documentation.read') ? (
                <Link to="/clients/$id/documentation" params={{ id }}>
                  Documentation
                </Link>
              ) : null}{' '}
              {can('credentials.read') ? (
                <Link to="/clients/$id/credentials" params={{ id }}>
                  Credentials
                </Link>
              ) : null}{' '}
              <Link to="/clients">All clients</Link>
            </>
          }
        >
          <dl className="facts">
            <dt>Status</dt>
            <dd>
              <span className={`badge status-${c.status}`}>{clientStatusLabel(c.status)}</span>
            </dd>
            <dt>Time zone</dt>
            <dd>{c.timezone}</dd>
            <dt>Services</dt>
            <dd>{servicesOf(c).join(', ') || 'None'}</dd>
            <dt>Contract</dt>
            <dd>{contractTerms(c.contract).join(' · ') || 'No terms recorded'}</dd>
            <dt>Contacts</dt>
            <dd>
              {c.contacts.map((p) => (
                <div key={p.email}>
                  {p.name} &lt;{p.email}&gt;{p.authorizedSigner ? ' (authorized signer)' : ''}
                  {p.role ? ` · ${p.role}` : ''}
                </div>
              ))}
            </dd>
          </dl>
          {can('clients.update') ? <EditClient client={c} onSaved={reload} /> : null}
          {c.awaitingConfirmation && can('clients.update') ? <Confirm client={c} onDone={reload} /> : null}
          {c.status === 'active' && !c.awaitingConfirmation && can('offboardings.start') ? <StartOffboarding client={c} /> : null}
        </Page>
      )}
    </Loading>
  );
}

const numberOrNothing = (text: string) => (text === '' ? undefined : Number(text));

/** Edit what the plan depends on: zone, services, contract terms, the authorized contact. Saved with If-Match, so a concurrent edit is not overwritten. */
function EditClient({ client, onSaved }: { client: ClientData; onSaved: () => void }) {
  const [error, setError] = useState<ApiError>();
  const [saved, setSaved] = useState(false);
  const contract = client.contract as Record<string, string | number | undefined>;
  const signer = client.contacts.find((p) => p.authorizedSigner);
  const submit = submitted((f) => {
    const services = servicesFrom(f);
    // The four terms edited here replace what was there (an emptied field removes the term); other terms stay.
    const terms: Record<string, string | number | undefined> = { ...contract };
    const edited = {
      end: field(f, 'end') || undefined,
      noticePeriodDays: numberOrNothing(field(f, 'noticePeriodDays')),
      includedOffboardingHours: numberOrNothing(field(f, 'includedOffboardingHours')),
      hourlyRate: numberOrNothing(field(f, 'hourlyRate')),
    };
    for (const [k, v] of Object.entries(edited)) {
      if (v === undefined) delete terms[k];
      else terms[k] = v;
    }
    const others = client.contacts.filter((p) => p !== signer);
    const contacts = field(f, 'contactEmail')
      ? [{ ...signer, name: field(f, 'contactName'), email: field(f, 'contactEmail'), authorizedSigner: true }, ...others]
      : others;
    setError(undefined);
    setSaved(false);
    api
      .PATCH('/api/clients/{id}', {
        params: { path: { id: client.id }, header: { 'if-match': `"v${client.version}"` } },
        body: {
          name: field(f, 'name'),
          timezone: field(f, 'timezone'),
          services: services as never,
          contract: terms as never,
          contacts: contacts as never,
        },
      })
      .then(
        () => {
          setSaved(true);
          toast('Client saved');
          onSaved();
        },
        (err: unknown) => setError(asApiError(err)),
      );
  });
  return (
    <details className="card">
      <summary>Edit client</summary>
      <form onSubmit={submit} className="form-grid" key={client.version}>
        <label htmlFor="e-name">Name</label>
        <input id="e-name" name="name" defaultValue={client.name} required />
        <TimeZonePicker name="timezone" label="Time zone" defaultValue={client.timezone} />
        <ServiceFields prefix="e" services={client.services as Record<string, boolean | string>} />
        <DateField name="end" label="Contract end date" defaultValue={typeof contract.end === 'string' ? contract.end : undefined} />
        <label htmlFor="e-notice">Notice period (days)</label>
        <input id="e-notice" name="noticePeriodDays" type="number" min="0" defaultValue={contract.noticePeriodDays} />
        <label htmlFor="e-hours">Included offboarding hours</label>
        <input
          id="e-hours"
          name="includedOffboardingHours"
          type="number"
          min="0"
          step="0.5"
          defaultValue={contract.includedOffboardingHours}
        />
        <label htmlFor="e-rate">Hourly rate for further work</label>
        <input id="e-rate" name="hourlyRate" type="number" min="0" step="0.01" defaultValue={contract.hourlyRate} />
        <label htmlFor="e-contact-name">Authorized contact</label>
        <input id="e-contact-name" name="contactName" defaultValue={signer?.name} />
        <label htmlFor="e-contact-email">Their email</label>
        <input id="e-contact-email" name="contactEmail" type="email" defaultValue={signer?.email} />
        <div className="actions">
          <button type="submit">Save client</button>
        </div>
        {saved ? (
          <p className="span" role="status">
            Saved. Offboardings already started keep their plan; change their dates to replan.
          </p>
        ) : null}
        <div className="span">
          <ErrorNote error={error} />
        </div>
      </form>
    </details>
  );
}

function Confirm({ client, onDone }: { client: ClientData; onDone: () => void }) {
  const [error, setError] = useState<ApiError>();
  const navigate = useNavigate();
  const confirm = async (startOffboarding: boolean) => {
    try {
      const { data } = await api.POST('/api/clients/{id}/confirm', { params: { path: { id: client.id } }, body: { startOffboarding } });
      if (data?.offboardingId) await navigate({ to: '/offboardings/$id', params: { id: data.offboardingId } });
      else onDone();
    } catch (err) {
      setError(asApiError(err));
    }
  };
  return (
    <section className="note warn" aria-labelledby="confirm-title">
      <h2 id="confirm-title">Created from a {client.awaitingConfirmation?.provider} event</h2>
      <p>
        Check its time zone and services, then confirm it: the offboarding the event asked for opens, dated from{' '}
        {client.awaitingConfirmation?.occurredAt.slice(0, 10)}.
      </p>
      <ErrorNote error={error} />
      <div className="actions">
        <button type="button" className="primary" onClick={() => void confirm(true)}>
          Confirm and start the offboarding
        </button>
        <button type="button" onClick={() => void confirm(false)}>
          Keep the client, no offboarding
        </button>
      </div>
    </section>
  );
}

function StartOffboarding({ client }: { client: ClientData }) {
  const navigate = useNavigate();
  const queryClient = useQueryClient();
  const [preview, setPreview] = useState<Preview>();
  const [input, setInput] = useState<Record<string, unknown>>();
  const [error, setError] = useState<ApiError>();
  const [busy, setBusy] = useState(false);
  const read = (form: HTMLFormElement) => {
    const f = new FormData(form);
    const text = (name: string) => field(f, name);
    return {
      clientId: client.id,
      type: text('type'),
      noticeDate: text('noticeDate'),
      endDate: text('endDate'),
      ...(text('revocationDate') ? { revocationDate: text('revocationDate') } : {}),
      ...(text('providerName') || text('providerContact')
        ? { newProvider: { name: text('providerName'), contact: text('providerContact') } }
        : {}),
    };
  };
  const run = async (work: () => Promise<void>) => {
    setBusy(true);
    setError(undefined);
    try {
      await work();
    } catch (err) {
      setError(asApiError(err));
    } finally {
      setBusy(false);
    }
  };
  const onPreview = (e: FormEvent<HTMLFormElement>) => {
    e.preventDefault();
    const body = read(e.currentTarget);
    void run(async () => {
      const { data } = await api.POST('/api/offboardings/preview', { body: body as never });
      setPreview(data);
      setInput(body);
    });
  };
  const onStart = () =>
    void run(async () => {
      const { data } = await api.POST('/api/offboardings', { body: input as never });
      await queryClient.invalidateQueries({ queryKey: ['get', '/api/offboardings'] });
      await queryClient.invalidateQueries({ queryKey: ['get', '/api/clients'] });
      if (data) await navigate({ to: '/offboardings/$id', params: { id: data.id } });
    });
  const today = new Date().toISOString().slice(0, 10);
  return (
    <section aria-labelledby="start-title" className="card">
      <h2 id="start-title">Start an offboarding</h2>
      <form onSubmit={onPreview} onChange={() => setPreview(undefined)} className="form-grid">
        <label htmlFor="type">Type</label>
        <select id="type" name="type" defaultValue="provider-switch">
          <Options values={OFFBOARDING_TYPES} label={offboardingTypeLabel} />
        </select>
        <DateField name="noticeDate" label="Notice date" defaultValue={today} isRequired onChange={() => setPreview(undefined)} />
        <DateField
          name="endDate"
          label="Contract end"
          defaultValue={typeof client.contract.end === 'string' ? client.contract.end : undefined}
          isRequired
          onChange={() => setPreview(undefined)}
        />
        <DateField name="revocationDate" label="Access revocation (default: the end)" onChange={() => setPreview(undefined)} />
        <label htmlFor="providerName">New provider</label>
        <input id="providerName" name="providerName" />
        <label htmlFor="providerContact">New provider's contact email</label>
        <input id="providerContact" name="providerContact" type="email" />
        <div className="actions">
          <button type="submit" disabled={busy}>
            Preview the plan
          </button>
        </div>
      </form>
      <ErrorNote error={error} />
      {preview ? (
        <div aria-live="polite">
          <h3>
            The plan: {preview.tasks.length} tasks, dates in {preview.timezone}
          </h3>
          {preview.warnings.map((w) => (
            <p key={w.code + w.message} className="note warn">
              {w.tasks.reduce(
                (text, key) => text.replaceAll(key, `“${preview.tasks.find((t) => t.key === key)?.title ?? key}”`),
                w.message,
              )}
            </p>
          ))}
          <Table
            rows={preview.tasks}
            rowKey={(t) => t.key}
            columns={[
              { header: 'Phase', cell: (t) => t.phase },
              { header: 'Task', cell: (t) => t.title },
              { header: 'Who', cell: (t) => roleLabel(t.role) },
              { header: `Due (${preview.timezone})`, cell: (t) => t.due },
            ]}
          />
          <div className="actions">
            <button type="button" className="primary" disabled={busy} onClick={onStart}>
              Start this offboarding
            </button>
          </div>
        </div>
      ) : null}
    </section>
  );
}
