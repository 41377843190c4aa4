/**
 * Playbooks: read a version, copy it into a draft, edit its tasks field by field (problems shown
 * at the field they are about), rehearse the draft on a sample offboarding, and publish it as the
 * next version.
 */
import { Options } from '../ui/options.tsx';
import { useQueryClient } from '@tanstack/react-query';
import { type ReactNode, useState } from 'react';
import { $api, type ApiError, type Issue, asApiError, client } from '../api/client.ts';
import { field } from '../form.ts';
import { OFFBOARDING_TYPES, TASK_ROLES, notificationKindLabel, offboardingTypeLabel, roleLabel } from '../labels.ts';
import { useCan } from '../session.tsx';
import { DateField, TimeZonePicker } from '../ui/fields.tsx';
import { ErrorNote, Loading, Page, Table } from '../ui/page.tsx';

type TaskDraft = Record<string, unknown> & { key: string; title: string; phase: number; role: string; when: string; guidance: string };
type Draft = Record<string, unknown> & { name: string; tasks: TaskDraft[] };
type Rehearsal = {
  warnings: { code: string; message: string }[];
  summary: {
    notifications: number;
    byKind: Record<string, number>;
    escalations: { date: string; task: string; level: number; to: string }[];
    late: { task: string; businessDays: number }[];
    calendarDays: number;
  };
  days: {
    date: string;
    businessDay: number | null;
    events: { type: string; task: string; kind?: string; level?: number; reason?: string }[];
  }[];
};

export function Playbooks() {
  const canPublish = useCan()('playbooks.write');
  const queryClient = useQueryClient();
  const list = $api.useQuery('get', '/api/playbooks');
  const [selected, setSelected] = useState<string>();
  const [notice, setNotice] = useState<string>();
  const current = selected ?? list.data?.items.find((v) => v.isDefault)?.id;
  const published = (id: string, version: number) => {
    setNotice(`Published as version ${version}: the default for offboardings started from now on.`);
    setSelected(id);
    void queryClient.invalidateQueries({ queryKey: ['get', '/api/playbooks'] });
  };
  return (
    <Page title="Playbooks">
      {notice ? (
        <p className="note" role="status">
          {notice}
        </p>
      ) : null}
      <Loading query={list}>
        {({ items }) => (
          <ul className="versions">
            {items.map((v) => (
              <li key={v.id}>
                <button type="button" className="link" aria-pressed={v.id === current} onClick={() => setSelected(v.id)}>
                  {v.name}, version {v.version}
                </button>{' '}
                {v.isDefault ? <span className="badge status-done">Default</span> : null}{' '}
                <span className="muted">{v.createdAt.slice(0, 10)}</span>
              </li>
            ))}
          </ul>
        )}
      </Loading>
      {current ? <PlaybookView key={current} id={current} canPublish={canPublish} onPublished={published} /> : null}
    </Page>
  );
}

type OnPublished = (id: string, version: number) => void;

function PlaybookView({ id, canPublish, onPublished }: { id: string; canPublish: boolean; onPublished: OnPublished }) {
  const state = $api.useQuery(
    'get',
    '/api/playbooks/{id}',
    { params: { path: { id } } },
    { select: (p) => ({ ...p, data: p.data as Draft }) },
  );
  const [draft, setDraft] = useState<Draft>();
  return (
    <Loading query={state}>
      {(p) =>
        draft ? (
          <Editor draft={draft} setDraft={setDraft} canPublish={canPublish} onPublished={onPublished} />
        ) : (
          <section aria-labelledby="pb-title">
            <h2 id="pb-title">
              {p.name}, version {p.version}: {p.data.tasks.length} tasks
            </h2>
            {canPublish ? (
              <div className="actions">
                <button type="button" className="primary" onClick={() => setDraft(structuredClone(p.data))}>
                  Copy and edit
                </button>
              </div>
            ) : null}
            <Table
              rows={p.data.tasks}
              rowKey={(t) => t.key}
              columns={[
                { header: 'Phase', cell: (t) => t.phase },
                { header: 'Task', cell: (t) => t.title },
                { header: 'Who', cell: (t) => roleLabel(t.role) },
                { header: 'When', cell: (t) => `${t.when}${typeof t.latest === 'string' ? `, latest ${t.latest}` : ''}` },
                {
                  header: 'Depends on',
                  cell: (t) => (Array.isArray(t.dependsOn) ? t.dependsOn.join(', ') : typeof t.dependsOn === 'string' ? t.dependsOn : ''),
                },
              ]}
            />
          </section>
        )
      }
    </Loading>
  );
}

/** Problems for one field: those whose path is exactly it or inside it. */
const problemsAt = (issues: Issue[], path: string) =>
  issues.filter((i) => i.path === path || i.path.startsWith(`${path}.`) || i.path.startsWith(`${path}[`));

function Field({ id, label, issues, children }: { id: string; label: string; issues: Issue[]; children: ReactNode }) {
  return (
    <div className={`field ${issues.length > 0 ? 'invalid' : ''}`}>
      <label htmlFor={id}>{label}</label>
      {children}
      {issues.map((i) => (
        <p key={i.path + i.message} className="field-error" id={`${id}-error`}>
          {i.message}
        </p>
      ))}
    </div>
  );
}

function Editor({
  draft,
  setDraft,
  canPublish,
  onPublished,
}: {
  draft: Draft;
  setDraft: (d: Draft) => void;
  canPublish: boolean;
  onPublished: OnPublished;
}) {
  const [issues, setIssues] = useState<Issue[]>([]);
  const [message, setMessage] = useState<string>();
  const [error, setError] = useState<ApiError>();
  const [rehearsal, setRehearsal] = useState<Rehearsal>();
  const [open, setOpen] = useState<number>();
  const update = (i: number, changes: Partial<TaskDraft>) => {
    const tasks = draft.tasks.map((t, j) => (j === i ? { ...t, ...changes } : t));
    setDraft({ ...draft, tasks });
    setMessage(undefined);
  };
  const fail = (err: unknown) => {
    const e = asApiError(err);
    if (e.status === 400) {
      setIssues(e.details);
      setMessage(`${e.details.length} problem${e.details.length === 1 ? '' : 's'}: see the fields marked below.`);
      const first = /^tasks\[(\d+)\]/.exec(e.details[0]?.path ?? '')?.[1];
      if (first !== undefined) setOpen(Number(first));
    } else setError(e);
  };
  const check = async () => {
    setError(undefined);
    try {
      const { data } = await client.POST('/api/playbooks/check', { body: { data: draft } });
      setIssues([]);
      setMessage(`Valid: ${data?.tasks ?? 0} tasks.`);
    } catch (err) {
      fail(err);
    }
  };
  const runRehearsal = async (form: FormData) => {
    setError(undefined);
    try {
      const body = {
        draft: { data: draft },
        case: {
          client: { name: 'Sample client', timezone: field(form, 'timezone') },
          type: field(form, 'type'),
          noticeDate: field(form, 'notice'),
          endDate: field(form, 'end'),
          ...(field(form, 'provider') ? { newProvider: { name: field(form, 'provider'), contact: 'contact@new-provider.example' } } : {}),
        },
      };
      setRehearsal((await client.POST('/api/playbooks/rehearse', { body: body as never })).data as Rehearsal);
      setIssues([]);
    } catch (err) {
      fail(err);
    }
  };
  const publish = async () => {
    setError(undefined);
    try {
      const { data } = await client.POST('/api/playbooks', { body: { draft: { data: draft } } as never });
      if (data) onPublished(data.id, data.version);
    } catch (err) {
      fail(err);
    }
  };
  const list = (v: unknown) => (Array.isArray(v) ? v.join(', ') : typeof v === 'string' ? v : '');
  const json = (v: unknown) => (v === undefined ? '' : JSON.stringify(v));
  return (
    <section aria-labelledby="editor-title">
      <h2 id="editor-title">Draft of {draft.name}</h2>
      {message ? (
        <p className={`note ${issues.length > 0 ? 'warn' : ''}`} role="status">
          {message}
        </p>
      ) : null}
      <ErrorNote error={error} />
      <div className="actions">
        <button type="button" onClick={() => void check()}>
          Check
        </button>
        {canPublish ? (
          <button type="button" className="primary" onClick={() => void publish()}>
            Publish as a new version
          </button>
        ) : null}
      </div>
      <ol className="task-editor">
        {draft.tasks.map((t, i) => {
          const at = (name: string) => problemsAt(issues, `tasks[${i}].${name}`);
          const flagged = problemsAt(issues, `tasks[${i}]`).length > 0;
          return (
            <li key={t.key} className={flagged ? 'invalid' : ''}>
              <button type="button" className="link" aria-expanded={open === i} onClick={() => setOpen(open === i ? undefined : i)}>
                {t.title}
              </button>{' '}
              <span className="muted">
                {roleLabel(t.role)} · {t.when}
              </span>
              {flagged ? <span className="badge health-overdue">problems</span> : null}
              {open === i ? (
                <div className="task-form">
                  <Field id={`t${i}-title`} label="Title" issues={at('title')}>
                    <input id={`t${i}-title`} value={t.title} onChange={(e) => update(i, { title: e.target.value })} />
                  </Field>
                  <Field id={`t${i}-role`} label="Role" issues={at('role')}>
                    <select id={`t${i}-role`} value={t.role} onChange={(e) => update(i, { role: e.target.value })}>
                      <Options values={TASK_ROLES} label={roleLabel} />
                    </select>
                  </Field>
                  <Field
                    id={`t${i}-when`}
                    label='When ("day N", "on revocation", "on end", "after end+Nd", "retention")'
                    issues={at('when')}
                  >
                    <input id={`t${i}-when`} value={t.when} onChange={(e) => update(i, { when: e.target.value })} />
                  </Field>
                  <Field id={`t${i}-latest`} label='Latest ("end", "end-K", "none"; empty: the phase default)' issues={at('latest')}>
                    <input
                      id={`t${i}-latest`}
                      value={typeof t.latest === 'string' ? t.latest : ''}
                      onChange={(e) => update(i, { latest: e.target.value || undefined })}
                    />
                  </Field>
                  <Field id={`t${i}-deps`} label="Depends on (task keys, comma-separated)" issues={at('dependsOn')}>
                    <input
                      id={`t${i}-deps`}
                      value={list(t.dependsOn)}
                      onChange={(e) => {
                        const keys = e.target.value
                          .split(',')
                          .map((s) => s.trim())
                          .filter(Boolean);
                        update(i, { dependsOn: keys.length > 0 ? keys : undefined });
                      }}
                    />
                  </Field>
                  <Field id={`t${i}-only`} label='Only if (condition, JSON, e.g. {"service": "m365"})' issues={at('only')}>
                    <JsonInput id={`t${i}-only`} value={json(t.only)} onValue={(v) => update(i, { only: v })} />
                  </Field>
                  <Field id={`t${i}-gates`} label='Gates (JSON, e.g. ["backup-handoff"])' issues={at('gates')}>
                    <JsonInput id={`t${i}-gates`} value={json(t.gates)} onValue={(v) => update(i, { gates: v })} />
                  </Field>
                  <Field id={`t${i}-guidance`} label="Guidance" issues={at('guidance')}>
                    <textarea id={`t${i}-guidance`} rows={6} value={t.guidance} onChange={(e) => update(i, { guidance: e.target.value })} />
                  </Field>
                </div>
              ) : null}
            </li>
          );
        })}
      </ol>
      <form
        className="card form-grid"
        aria-labelledby="rehearse-title"
        onSubmit={(e) => {
          e.preventDefault();
          void runRehearsal(new FormData(e.currentTarget));
        }}
      >
        <h3 id="rehearse-title" className="span">
          Rehearse the draft
        </h3>
        <TimeZonePicker name="timezone" label="Client time zone" defaultValue="America/New_York" />
        <label htmlFor="r-type">Type</label>
        <select id="r-type" name="type" defaultValue="provider-switch">
          <Options values={OFFBOARDING_TYPES} label={offboardingTypeLabel} />
        </select>
        <DateField name="notice" label="Notice date" defaultValue="2026-03-02" isRequired />
        <DateField name="end" label="Contract end" defaultValue="2026-03-31" isRequired />
        <label htmlFor="r-provider">New provider</label>
        <input id="r-provider" name="provider" defaultValue="Northwind IT" />
        <div className="actions">
          <button type="submit">Rehearse</button>
        </div>
      </form>
      {rehearsal ? <RehearsalView rehearsal={rehearsal} /> : null}
    </section>
  );
}

/** JSON typed into a field: passed on when it parses (empty means absent), flagged when it does not. */
function JsonInput({ id, value, onValue }: { id: string; value: string; onValue: (v: unknown) => void }) {
  const [text, setText] = useState(value);
  const [bad, setBad] = useState(false);
  return (
    <>
      <input
        id={id}
        value={text}
        aria-invalid={bad}
        onChange={(e) => {
          setText(e.target.value);
          try {
            onValue(e.target.value.trim() ? (JSON.parse(e.target.value) as unknown) : undefined);
            setBad(false);
          } catch {
            setBad(true);
          }
        }}
      />
      {bad ? <p className="field-error">not valid JSON yet</p> : null}
    </>
  );
}

function RehearsalView({ rehearsal }: { rehearsal: Rehearsal }) {
  const s = rehearsal.summary;
  return (
    <section aria-labelledby="rehearsal-title" aria-live="polite">
      <h3 id="rehearsal-title">
        Rehearsal: {s.notifications} notifications over {s.calendarDays} days
      </h3>
      {rehearsal.warnings.map((w) => (
        <p key={w.code + w.message} className="note warn">
          {w.code}: {w.message}
        </p>
      ))}
      <p>
        {Object.entries(s.byKind)
          .filter(([, n]) => n > 0)
          .map(([k, n]) => `${n} × ${notificationKindLabel(k).toLowerCase()}`)
          .join(' · ')}
      </p>
      <ol className="activity">
        {rehearsal.days.map((d) => (
          <li key={d.date}>
            <time dateTime={d.date}>{d.date}</time>{' '}
            {d.events
              .map((e) =>
                e.type === 'notification'
                  ? `${notificationKindLabel(e.kind ?? '')}: ${e.task}`
                  : `${e.type.replaceAll('-', ' ')}: ${e.task}`,
              )
              .join('; ')}
          </li>
        ))}
      </ol>
    </section>
  );
}
