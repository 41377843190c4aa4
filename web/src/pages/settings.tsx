/** The MSP's settings, for admins (managers may look): people, team channels, email, PSA connections, the signed log and its witnesses, API tokens. */
import { type FormEvent, type ReactNode, useState } from 'react';
import { type ApiError, api, get, asApiError } from '../api.ts';
import { ErrorNote, Loading, Page, Table } from '../ui.tsx';
import { useLoad } from '../use-load.ts';
import { field, submitted } from '../form.ts';

type User = { id: string; name: string; email: string; role: string; managerId: string | null; disabled: boolean };
type Psa = {
  id: string;
  provider: string;
  name: string;
  offboardingStatuses: string[];
  inactiveMeansOffboarding: boolean;
  offboardingType: string;
  webhookPath: string;
};
type TestResult = { ok: boolean; error?: string };

function useAction() {
  const [error, setError] = useState<ApiError>();
  const [message, setMessage] = useState<string>();
  const run = async (work: () => Promise<string | undefined>) => {
    setError(undefined);
    setMessage(undefined);
    try {
      setMessage(await work());
    } catch (err) {
      setError(asApiError(err));
    }
  };
  const feedback: ReactNode = (
    <>
      {error ? <ErrorNote error={error} /> : null}
      {message ? (
        <p className="note" role="status">
          {message}
        </p>
      ) : null}
    </>
  );
  return { run, feedback };
}

const said = (r: TestResult, what: string) => (r.ok ? `${what}: delivered.` : `${what} failed: ${r.error ?? 'no answer'}`);

function Channels() {
  const state = useLoad(() => get<{ items: { kind: string; host: string }[] }>('/api/settings/channels'), []);
  const { run, feedback } = useAction();
  const save = submitted((f) => {
    void run(async () => {
      await api('PUT', `/api/settings/channels/${field(f, 'kind')}`, { webhookUrl: field(f, 'webhookUrl') });
      state.reload();
      return 'Saved.';
    });
  });
  return (
    <section aria-labelledby="channels-title">
      <h2 id="channels-title">Team channels</h2>
      <Loading state={state}>
        {({ items }) => (
          <ul>
            {items.length === 0 ? <li className="muted">None connected.</li> : null}
            {items.map((c) => (
              <li key={c.kind}>
                {c.kind} ({c.host}){' '}
                <button
                  type="button"
                  onClick={() =>
                    void run(async () =>
                      said((await api<TestResult>('POST', `/api/settings/channels/${c.kind}/test`)).data, `Test message to ${c.kind}`),
                    )
                  }
                >
                  Send test
                </button>
              </li>
            ))}
          </ul>
        )}
      </Loading>
      <form onSubmit={save} className="form-grid">
        <label htmlFor="kind">Channel</label>
        <select id="kind" name="kind">
          <option value="slack">Slack (incoming webhook)</option>
          <option value="teams">Microsoft Teams (Workflows webhook)</option>
        </select>
        <label htmlFor="webhookUrl">Webhook URL</label>
        <input id="webhookUrl" name="webhookUrl" type="url" required />
        <div className="actions">
          <button type="submit">Connect</button>
        </div>
      </form>
      {feedback}
    </section>
  );
}

function Email() {
  const state = useLoad(() => get<{ configured: boolean; host: string | null }>('/api/settings/email'), []);
  const { run, feedback } = useAction();
  const save = submitted((f) => {
    const text = (n: string) => field(f, n);
    void run(async () => {
      await api('PUT', '/api/settings/email', {
        host: text('host'),
        port: Number(text('port')),
        security: text('security'),
        from: text('from'),
        ...(text('username') ? { username: text('username'), password: text('password') } : {}),
      });
      state.reload();
      return 'Saved.';
    });
  });
  const test = (e: FormEvent<HTMLFormElement>) => {
    e.preventDefault();
    const to = field(new FormData(e.currentTarget), 'to');
    void run(async () => said((await api<TestResult>('POST', '/api/settings/email/test', { to })).data, `Test email to ${to}`));
  };
  return (
    <section aria-labelledby="email-title">
      <h2 id="email-title">Email</h2>
      <Loading state={state}>
        {(s) => (
          <p className="muted">
            {s.configured ? `Sending through ${s.host}.` : "No SMTP server of your own: the server's, if it has one."}
          </p>
        )}
      </Loading>
      <form onSubmit={save} className="form-grid">
        <label htmlFor="host">SMTP host</label>
        <input id="host" name="host" required />
        <label htmlFor="port">Port</label>
        <input id="port" name="port" type="number" defaultValue={587} required />
        <label htmlFor="security">Security</label>
        <select id="security" name="security" defaultValue="starttls">
          <option value="starttls">STARTTLS</option>
          <option value="tls">TLS</option>
          <option value="none">None (local relay)</option>
        </select>
        <label htmlFor="username">User name</label>
        <input id="username" name="username" autoComplete="off" />
        <label htmlFor="password">Password</label>
        <input id="password" name="password" type="password" autoComplete="new-password" />
        <label htmlFor="from">Sender</label>
        <input id="from" name="from" placeholder="Acme IT <offboarding@acme.example>" required />
        <div className="actions">
          <button type="submit">Save</button>
        </div>
      </form>
      <form onSubmit={test} className="form-grid">
        <label htmlFor="to">Send a test to</label>
        <input id="to" name="to" type="email" required />
        <div className="actions">
          <button type="submit">Send test</button>
        </div>
      </form>
      {feedback}
    </section>
  );
}

const OFFBOARDING_TYPE_NAMES = ['provider-switch', 'business-closure', 'acquisition', 'msp-terminated', 'insourced'];

/** Change what a connected PSA's events mean; its credentials stay as they are. */
function PsaMapping({ connection, onSaved }: { connection: Psa; onSaved: () => void }) {
  const { run, feedback } = useAction();
  const prefix = `psa-${connection.id.slice(0, 8)}`;
  const save = submitted((f) => {
    void run(async () => {
      await api('PATCH', `/api/settings/psa/${connection.id}`, {
        offboardingStatuses: field(f, 'statuses')
          .split(',')
          .map((x) => x.trim())
          .filter(Boolean),
        inactiveMeansOffboarding: f.get('inactive') === 'on',
        offboardingType: field(f, 'offboardingType'),
      });
      onSaved();
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
          {OFFBOARDING_TYPE_NAMES.map((t) => (
            <option key={t}>{t}</option>
          ))}
        </select>
        <div className="actions">
          <button type="submit">Save mapping</button>
        </div>
      </form>
      {feedback}
    </details>
  );
}

function PsaConnections() {
  const state = useLoad(() => get<{ items: Psa[] }>('/api/settings/psa'), []);
  const { run, feedback } = useAction();
  const connect = submitted((f) => {
    const provider = field(f, 'provider');
    const origins = field(f, 'origins');
    const statuses = field(f, 'statuses')
      .split(',')
      .map((x) => x.trim())
      .filter(Boolean);
    const secret = field(f, 'secret');
    void run(async () => {
      const { data } = await api<{ webhookPath: string; secret?: string; basicAuth?: { username: string; password: string } }>(
        'POST',
        '/api/settings/psa',
        {
          provider,
          offboardingType: field(f, 'offboardingType'),
          ...(statuses.length > 0 ? { offboardingStatuses: statuses } : {}),
          ...(origins ? { keyUrlOrigins: origins.split(/\s+/) } : {}),
          ...(secret ? { secret } : {}),
        },
      );
      state.reload();
      const extra = data.secret
        ? ` Secret (shown once): ${data.secret}`
        : data.basicAuth
          ? ` Basic user ${data.basicAuth.username}, password (shown once) ${data.basicAuth.password}`
          : '';
      return `Connected. Webhook: ${window.location.origin}${data.webhookPath}.${extra}`;
    });
  });
  return (
    <section aria-labelledby="psa-title">
      <h2 id="psa-title">PSA connections</h2>
      <Loading state={state}>
        {({ items }) => (
          <Table
            rows={items}
            rowKey={(p) => p.id}
            columns={[
              { header: 'PSA', cell: (p) => p.provider },
              {
                header: 'Offboarding when',
                cell: (p) =>
                  [...p.offboardingStatuses.map((s) => `status ${s}`), ...(p.inactiveMeansOffboarding ? ['inactive'] : [])].join(', '),
              },
              { header: 'Opens', cell: (p) => p.offboardingType },
              { header: 'Webhook', cell: (p) => <code>{p.webhookPath}</code> },
              { header: 'Mapping', cell: (p) => <PsaMapping connection={p} onSaved={state.reload} /> },
            ]}
          />
        )}
      </Loading>
      <form onSubmit={connect} className="form-grid">
        <label htmlFor="provider">PSA</label>
        <select id="provider" name="provider">
          <option value="connectwise">ConnectWise PSA</option>
          <option value="autotask">Autotask</option>
          <option value="halopsa">HaloPSA</option>
          <option value="generic">Generic signed webhook</option>
        </select>
        <label htmlFor="statuses">Statuses meaning offboarding (comma-separated; empty: the PSA's default)</label>
        <input id="statuses" name="statuses" placeholder="Inactive" />
        <label htmlFor="offboardingType">Offboarding type to open</label>
        <select id="offboardingType" name="offboardingType" defaultValue="provider-switch">
          {OFFBOARDING_TYPE_NAMES.map((t) => (
            <option key={t}>{t}</option>
          ))}
        </select>
        <label htmlFor="origins">ConnectWise key URL origins</label>
        <input id="origins" name="origins" placeholder="https://api-na.myconnectwise.net" />
        <label htmlFor="secret">Autotask secret key</label>
        <input id="secret" name="secret" autoComplete="off" />
        <div className="actions">
          <button type="submit">Connect</button>
        </div>
      </form>
      {feedback}
    </section>
  );
}

type Calendar = { id: string; name: string; workdays: number[]; holidays: string[]; isDefault: boolean };
const WEEKDAYS = ['Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat', 'Sun'];

function Calendars({ canEdit }: { canEdit: boolean }) {
  const state = useLoad(() => get<{ items: Calendar[] }>('/api/calendars'), []);
  const { run, feedback } = useAction();
  const save = (c: Calendar, e: FormEvent<HTMLFormElement>) => {
    e.preventDefault();
    const f = new FormData(e.currentTarget);
    const holidays = field(f, 'holidays')
      .split(/[\s,]+/)
      .filter(Boolean);
    const workdays = WEEKDAYS.map((_, i) => i + 1).filter((d) => f.get(`day${d}`) === 'on');
    void run(async () => {
      await api('PUT', `/api/calendars/${c.id}`, { name: c.name, workdays, holidays });
      state.reload();
      return `${c.name} saved: offboardings planned from now on use it.`;
    });
  };
  return (
    <section aria-labelledby="calendars-title">
      <h2 id="calendars-title">Calendars and holidays</h2>
      <Loading state={state}>
        {({ items }) => (
          <>
            {items.map((c) => (
              <form key={c.id} onSubmit={(e) => save(c, e)} className="card" aria-label={`Calendar ${c.name}`}>
                <h3>
                  {c.name} {c.isDefault ? <span className="badge status-done">default</span> : null}
                </h3>
                <fieldset disabled={!canEdit}>
                  <legend>Workdays</legend>
                  {WEEKDAYS.map((d, i) => (
                    <label key={d} className="check inline">
                      <input type="checkbox" name={`day${i + 1}`} defaultChecked={c.workdays.includes(i + 1)} /> {d}
                    </label>
                  ))}
                </fieldset>
                <label htmlFor={`holidays-${c.id}`}>Holidays (YYYY-MM-DD, one per line)</label>
                <textarea id={`holidays-${c.id}`} name="holidays" rows={4} defaultValue={c.holidays.join('\n')} disabled={!canEdit} />
                {canEdit ? (
                  <div className="actions">
                    <button type="submit">Save calendar</button>
                  </div>
                ) : null}
              </form>
            ))}
          </>
        )}
      </Loading>
      {feedback}
    </section>
  );
}

/** The staff with their roles and manager chain; admins change them in place. */
function People({ users, isAdmin, onChanged }: { users: User[]; isAdmin: boolean; onChanged: () => void }) {
  const { run, feedback } = useAction();
  const change = (u: User, body: Record<string, unknown>) =>
    void run(async () => {
      await api('PATCH', `/api/users/${u.id}`, body);
      onChanged();
      return `${u.name} changed.`;
    });
  const names = new Map(users.map((u) => [u.id, u.name] as const));
  return (
    <>
      <table className="table">
        <thead>
          <tr>
            <th scope="col">Name</th>
            <th scope="col">Email</th>
            <th scope="col">Role</th>
            <th scope="col">Manager</th>
            {isAdmin ? <th scope="col">Access</th> : null}
          </tr>
        </thead>
        <tbody>
          {users.map((u) => (
            <tr key={u.id} className={u.disabled ? 'muted' : ''}>
              <td>{u.name}</td>
              <td>{u.email}</td>
              <td>
                {isAdmin ? (
                  <select aria-label={`Role of ${u.name}`} value={u.role} onChange={(e) => change(u, { role: e.target.value })}>
                    {STAFF_ROLES.map((r) => (
                      <option key={r}>{r}</option>
                    ))}
                  </select>
                ) : (
                  u.role
                )}
              </td>
              <td>
                {isAdmin ? (
                  <select
                    aria-label={`Manager of ${u.name}`}
                    value={u.managerId ?? ''}
                    onChange={(e) => change(u, { managerId: e.target.value || null })}
                  >
                    <option value="">nobody</option>
                    {users
                      .filter((m) => m.id !== u.id && (m.role === 'manager' || m.role === 'admin'))
                      .map((m) => (
                        <option key={m.id} value={m.id}>
                          {m.name}
                        </option>
                      ))}
                  </select>
                ) : u.managerId ? (
                  names.get(u.managerId)
                ) : (
                  ''
                )}
              </td>
              {isAdmin ? (
                <td>
                  <button type="button" onClick={() => change(u, { disabled: !u.disabled })}>
                    {u.disabled ? 'Enable' : 'Disable'}
                  </button>
                </td>
              ) : null}
            </tr>
          ))}
        </tbody>
      </table>
      {feedback}
    </>
  );
}

const STAFF_ROLES = ['admin', 'manager', 'account-manager', 'technician', 'documentation', 'billing', 'auditor'];

function AddUser({ users, onAdded }: { users: User[]; onAdded: () => void }) {
  const { run, feedback } = useAction();
  const add = (e: FormEvent<HTMLFormElement>) => {
    e.preventDefault();
    const f = new FormData(e.currentTarget);
    const form = e.currentTarget;
    void run(async () => {
      await api('POST', '/api/users', {
        name: field(f, 'name'),
        email: field(f, 'email'),
        role: field(f, 'role'),
        ...(field(f, 'managerId') ? { managerId: field(f, 'managerId') } : {}),
        ...(field(f, 'password') ? { password: field(f, 'password') } : {}),
      });
      form.reset();
      onAdded();
      return 'Added.';
    });
  };
  return (
    <form onSubmit={add} className="form-grid" aria-label="Add a person">
      <label htmlFor="u-name">Name</label>
      <input id="u-name" name="name" required />
      <label htmlFor="u-email">Email</label>
      <input id="u-email" name="email" type="email" required />
      <label htmlFor="u-role">Role</label>
      <select id="u-role" name="role" defaultValue="technician">
        {STAFF_ROLES.map((r) => (
          <option key={r}>{r}</option>
        ))}
      </select>
      <label htmlFor="u-manager">Manager</label>
      <select id="u-manager" name="managerId" defaultValue="">
        <option value="">nobody (top of the chain)</option>
        {users
          .filter((u) => u.role === 'manager' || u.role === 'admin')
          .map((u) => (
            <option key={u.id} value={u.id}>
              {u.name}
            </option>
          ))}
      </select>
      <label htmlFor="u-password">Password (at least 10 characters)</label>
      <input id="u-password" name="password" type="password" autoComplete="new-password" />
      <div className="actions">
        <button type="submit">Add person</button>
      </div>
      <div className="span">{feedback}</div>
    </form>
  );
}

function Tokens() {
  const state = useLoad(
    () => get<{ items: { id: string; name: string; role: string; createdAt: string; lastUsedAt: string | null }[] }>('/api/tokens'),
    [],
  );
  const { run, feedback } = useAction();
  const create = submitted((f) => {
    void run(async () => {
      const { data } = await api<{ token: string }>('POST', '/api/tokens', { name: field(f, 'name'), role: field(f, 'role') });
      state.reload();
      return `Token (shown once, copy it now): ${data.token}`;
    });
  });
  const revoke = (id: string) =>
    void run(async () => {
      await api('DELETE', `/api/tokens/${id}`);
      state.reload();
      return 'Revoked.';
    });
  return (
    <section aria-labelledby="tokens-title">
      <h2 id="tokens-title">API tokens</h2>
      <Loading state={state}>
        {({ items }) => (
          <ul>
            {items.length === 0 ? <li className="muted">None.</li> : null}
            {items.map((t) => (
              <li key={t.id}>
                {t.name} ({t.role}), last used {t.lastUsedAt?.slice(0, 10) ?? 'never'}{' '}
                <button type="button" onClick={() => revoke(t.id)}>
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
          {STAFF_ROLES.map((r) => (
            <option key={r}>{r}</option>
          ))}
        </select>
        <div className="actions">
          <button type="submit">Create token</button>
        </div>
      </form>
      {feedback}
    </section>
  );
}

type LogStatus = {
  origin: string;
  size: number;
  root: string;
  verifierKeys: { verifierKey: string; active: boolean; createdAt: string }[];
  lastCheckpoint: { size: number; note: string; reason: string; signedAt: string } | null;
};

/** The signed log: what a client's lawyer would check bundles against. */
function TransparencyLog({ isAdmin }: { isAdmin: boolean }) {
  const state = useLoad(() => get<LogStatus>('/api/log'), []);
  const { run, feedback } = useAction();
  const rotate = () =>
    void run(async () => {
      const { data } = await api<{ verifierKey: string }>('POST', '/api/log/keys/rotate');
      state.reload();
      return `New key: ${data.verifierKey}. Checkpoints signed before stay valid with the old key.`;
    });
  return (
    <section aria-labelledby="log-title">
      <h2 id="log-title">Signed audit log</h2>
      <Loading state={state}>
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
                  <code className="wrap">{k.verifierKey}</code> {k.active ? '(signing now)' : `(retired; valid for checkpoints it signed)`}
                </li>
              ))}
            </ul>
            {isAdmin ? (
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

type Witness = {
  id: string;
  name: string;
  url: string;
  verifierKey: string;
  cosignedSize: number;
  lastError: string | null;
  lastAttemptAt: string | null;
};

/** Witnesses: others (the client, a peer MSP, an insurer) who cosign the log's checkpoints only when each extends the last. */
function Witnesses({ isAdmin }: { isAdmin: boolean }) {
  const state = useLoad(() => get<{ items: Witness[] }>('/api/settings/witnesses'), []);
  const { run, feedback } = useAction();
  const add = submitted((f) => {
    void run(async () => {
      await api('POST', '/api/settings/witnesses', { name: field(f, 'name'), url: field(f, 'url'), verifierKey: field(f, 'verifierKey') });
      state.reload();
      return 'Added: every new checkpoint is sent to it.';
    });
  });
  const remove = (id: string) =>
    void run(async () => {
      await api('DELETE', `/api/settings/witnesses/${id}`);
      state.reload();
      return 'Removed. Its cosignatures are kept.';
    });
  return (
    <section aria-labelledby="witnesses-title">
      <h2 id="witnesses-title">Witnesses</h2>
      <p className="muted">
        A witness runs <code>offboard witness</code> and cosigns a checkpoint only if it extends the last one it saw, so nobody can show one
        history to a client and another to an auditor. Bundles carry their cosignatures.
      </p>
      <Loading state={state}>
        {({ items }) => (
          <ul>
            {items.length === 0 ? <li className="muted">None yet.</li> : null}
            {items.map((w) => (
              <li key={w.id}>
                {w.name} ({w.url}): {w.cosignedSize > 0 ? `cosigned up to ${w.cosignedSize} events` : 'nothing cosigned yet'}
                {w.lastError ? <span className="field-error"> Last answer: {w.lastError}</span> : null}{' '}
                {isAdmin ? (
                  <button type="button" onClick={() => remove(w.id)}>
                    Remove
                  </button>
                ) : null}
              </li>
            ))}
          </ul>
        )}
      </Loading>
      {isAdmin ? (
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

export function Settings({ isAdmin }: { isAdmin: boolean }) {
  const users = useLoad(() => get<{ items: User[] }>('/api/users'), []);
  const probe = useLoad(() => get<unknown>('/api/settings/notifications'), []);
  if (probe.error?.status === 403)
    return (
      <Page title="Settings">
        <p className="note" role="alert">
          Settings are for admins (and managers, who may look). Ask an admin if something here needs changing.
        </p>
      </Page>
    );
  if (!probe.data)
    return (
      <Page title="Settings">
        <Loading state={probe}>{() => null}</Loading>
      </Page>
    );
  return (
    <Page title="Settings">
      <section aria-labelledby="users-title">
        <h2 id="users-title">People</h2>
        <Loading state={users}>{({ items }) => <People users={items} isAdmin={isAdmin} onChanged={users.reload} />}</Loading>
        {isAdmin && users.data ? <AddUser users={users.data.items} onAdded={users.reload} /> : null}
      </section>
      <Calendars canEdit={isAdmin} />
      <Channels />
      <Email />
      <PsaConnections />
      <TransparencyLog isAdmin={isAdmin} />
      <Witnesses isAdmin={isAdmin} />
      {isAdmin ? <Tokens /> : null}
    </Page>
  );
}
