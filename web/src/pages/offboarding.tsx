import { useCallback, useState } from 'react';
import { type OffboardingDetailData, type TaskData, get } from '../api.ts';
import { Link } from '../router.tsx';
import { LocalDate, Loading, Page, StatusBadge, Table } from '../ui.tsx';
import { useLoad } from '../use-load.ts';
import { TaskPanel } from './task-panel.tsx';

type Event = { seq: number; at: string; actor: string; action: string; data?: Record<string, unknown> };

const PHASES = ['Notification', 'Access', 'Agents', 'Infrastructure', 'Financial', 'Closeout'];

/** The plan on a time line: one bar per task from when it became workable to its due date, today's line and the contract end. */
function Timeline({ o, zone }: { o: OffboardingDetailData; zone: string }) {
  const days = (d: string) => Date.parse(d) / 86_400_000;
  const start = days(o.noticeDate);
  const end = Math.max(days(o.endDate), ...o.tasks.filter((t) => t.phase <= 5).map((t) => days(t.due))) + 1;
  const x = (d: string) => `${(((days(d) - start) / (end - start)) * 100).toFixed(2)}%`;
  const today = new Date().toISOString().slice(0, 10);
  const shown = o.tasks.filter((t) => t.phase <= 5).sort((a, b) => a.due.localeCompare(b.due));
  return (
    <figure className="timeline" aria-label={`Timeline from ${o.noticeDate} to ${o.endDate} (${zone})`}>
      <div className="timeline-body">
        {shown.map((t) => (
          <div className="timeline-row" key={t.id}>
            <span className="timeline-label">{t.title}</span>
            <span className="timeline-track">
              <span
                className={`timeline-bar status-${t.status}`}
                style={{ left: x(t.readyOn ?? o.noticeDate), width: `max(4px, calc(${x(t.due)} - ${x(t.readyOn ?? o.noticeDate)}))` }}
                title={`${t.title}: due ${t.due}`}
              />
            </span>
          </div>
        ))}
        <span
          className="timeline-line end"
          style={{ left: `calc(var(--label) + (100% - var(--label)) * ${(days(o.endDate) - start) / (end - start)})` }}
          title={`Contract end ${o.endDate}`}
        />
        {days(today) >= start && days(today) <= end ? (
          <span
            className="timeline-line today"
            style={{ left: `calc(var(--label) + (100% - var(--label)) * ${(days(today) - start) / (end - start)})` }}
            title={`Today ${today}`}
          />
        ) : null}
      </div>
      <figcaption className="muted">
        Bars run from when a task became workable to its due date. <span className="key today">Today</span>{' '}
        <span className="key end">Contract end {o.endDate}</span>
      </figcaption>
    </figure>
  );
}

/** What happened, in words: who did it, and what, naming the task by its title. */
const PHRASES: Record<string, string> = {
  'offboarding.started': 'started the offboarding',
  'offboarding.dates-changed': 'changed the dates',
  'offboarding.closing': 'moved the offboarding to closing',
  'offboarding.closed': 'closed the offboarding',
  'offboarding.cancelled': 'cancelled the offboarding',
  'client.status-changed': "changed the client's status",
  'task.ready': 'made ready',
  'task.started': 'started',
  'task.completed': 'completed',
  'task.waived': 'waived',
  'task.reopened': 'reopened',
  'task.assigned': 'assigned',
  'task.blocked': 'put back to pending',
  'evidence.attached': 'attached evidence to',
  'attestation.recorded': 'recorded an attestation',
  'time.recorded': 'recorded time',
  'notification.sent': 'sent a notification',
  'notification.failed': 'could not deliver a notification',
};

function describe(e: Event, names: Map<string, string>, titles: Map<string, string>): string {
  const [kind, id = ''] = e.actor.split(':');
  const who =
    kind === 'system'
      ? id.startsWith('psa')
        ? 'The PSA'
        : 'The system'
      : kind === 'token'
        ? 'An integration'
        : (names.get(id) ?? 'Someone');
  const what = PHRASES[e.action] ?? e.action.replace('.', ' ').replace('-', ' ');
  const task =
    typeof e.data?.task === 'string'
      ? e.data.task
      : e.action.startsWith('task.') && typeof e.data?.key === 'string'
        ? e.data.key
        : undefined;
  const gate = typeof e.data?.gate === 'string' ? ` (${e.data.gate})` : '';
  return `${who} ${what}${task ? ` "${titles.get(task) ?? task}"` : ''}${gate}`;
}

export function OffboardingPage({ id }: { id: string }) {
  const state = useLoad(() => get<OffboardingDetailData & { facts?: unknown }>(`/api/offboardings/${id}`), [id]);
  const events = useLoad(() => get<{ items: Event[]; signedThrough: number }>(`/api/offboardings/${id}/events`), [id]);
  const log = useLoad(
    () =>
      get<{
        origin: string;
        size: number;
        verifierKeys: { verifierKey: string; active: boolean }[];
        lastCheckpoint: { size: number; signedAt: string } | null;
      }>('/api/log'),
    [id],
  );
  const time = useLoad(
    () => get<{ summary: { minutes: number; includedMinutes: number | null; overIncluded: boolean } }>(`/api/offboardings/${id}/time`),
    [id],
  );
  const users = useLoad(() => get<{ items: { id: string; name: string }[] }>('/api/users'), []);
  const client = useLoad(
    async () => (state.data ? get<{ name: string; timezone: string }>(`/api/clients/${state.data.clientId}`) : undefined),
    [state.data?.clientId],
  );
  const [open, setOpen] = useState<TaskData>();
  const close = useCallback(() => setOpen(undefined), []);
  const names = new Map((users.data?.items ?? []).map((u) => [u.id, u.name] as const));
  return (
    <Loading state={state}>
      {(o) => {
        const zone = client.data?.timezone;
        return (
          <Page
            title={client.data ? `${client.data.name}: ${o.type.replace('-', ' ')}` : `Offboarding: ${o.type}`}
            actions={<Link to="/">All offboardings</Link>}
          >
            <dl className="facts">
              <dt>Notice</dt>
              <dd>
                <LocalDate date={o.noticeDate} zone={zone} />
              </dd>
              <dt>Contract end</dt>
              <dd>
                <LocalDate date={o.endDate} zone={zone} />
              </dd>
              <dt>Access revocation</dt>
              <dd>{o.revocationDate ?? o.endDate}</dd>
              <dt>New provider</dt>
              <dd>{o.newProvider?.name ?? 'none'}</dd>
              <dt>Status</dt>
              <dd>
                <StatusBadge status={o.status} />
              </dd>
            </dl>
            {time.data ? (
              <p className={time.data.summary.overIncluded ? 'note warn' : 'muted'}>
                Time spent: {(time.data.summary.minutes / 60).toFixed(1)} h
                {time.data.summary.includedMinutes !== null ? ` of ${(time.data.summary.includedMinutes / 60).toFixed(1)} h included` : ''}
                {time.data.summary.overIncluded ? '. The included hours are used up: further work must be prepaid.' : ''}
              </p>
            ) : null}
            {o.warnings.map((w) => (
              <p className="note warn" key={w.code + w.tasks.join()}>
                {w.message}
              </p>
            ))}
            <Timeline o={o} zone={zone ?? 'client time'} />
            {PHASES.map((name, i) => {
              const tasks = o.tasks.filter((t) => t.phase === i + 1);
              if (tasks.length === 0) return null;
              return (
                <section key={name} aria-labelledby={`phase-${i + 1}`}>
                  <h2 id={`phase-${i + 1}`}>
                    {i + 1}. {name}
                  </h2>
                  <Table
                    rows={tasks}
                    rowKey={(t) => t.id}
                    rowProps={(t) => ({ 'data-task': t.key })}
                    columns={[
                      {
                        header: 'Task',
                        cell: (t) => (
                          <button type="button" className="link" onClick={() => setOpen(t)}>
                            {t.title}
                          </button>
                        ),
                      },
                      { header: `Due${zone ? ` (${zone})` : ''}`, cell: (t) => t.due },
                      { header: 'Status', cell: (t) => <StatusBadge status={t.status} /> },
                      { header: 'Gate', cell: (t) => (t.gates.length > 0 ? t.gates.join(', ') : '') },
                    ]}
                  />
                </section>
              );
            })}
            <section aria-labelledby="activity">
              <h2 id="activity">Activity</h2>
              {events.data ? (
                <p>
                  <a className="button" href={`/api/offboardings/${id}/evidence?includeFiles=true`} download>
                    Download evidence bundle
                  </a>{' '}
                  <span className="muted">
                    A zip anyone can check offline with <code>offboard verify</code> and the verifier key.
                  </span>
                </p>
              ) : null}
              {log.data ? (
                <p className="muted">
                  Signed log <code>{log.data.origin}</code>: {log.data.size} events
                  {log.data.lastCheckpoint
                    ? `, last checkpoint ${log.data.lastCheckpoint.size} signed ${log.data.lastCheckpoint.signedAt.slice(0, 16).replace('T', ' ')} UTC`
                    : ''}
                  . Verifier key: <code className="wrap">{log.data.verifierKeys.find((k) => k.active)?.verifierKey ?? 'none yet'}</code>
                </p>
              ) : null}
              {events.error?.status === 403 ? (
                <p className="muted">The activity log is shown to account managers, managers and auditors.</p>
              ) : (
                <Loading state={events}>
                  {(page) => (
                    <ol className="activity">
                      {page.items
                        .slice(-50)
                        .reverse()
                        .map((e) => (
                          <li key={e.seq}>
                            <time dateTime={e.at}>{e.at.slice(0, 16).replace('T', ' ')} UTC</time>{' '}
                            {describe(e, names, new Map(o.tasks.map((t) => [t.key, t.title] as const)))}{' '}
                            {e.seq <= page.signedThrough ? (
                              <span
                                className="signed"
                                title={`Entry ${e.seq} of the signed log, covered by checkpoint ${page.signedThrough}`}
                              >
                                in the signed log
                              </span>
                            ) : (
                              <span className="muted">not yet in a signed checkpoint</span>
                            )}
                          </li>
                        ))}
                    </ol>
                  )}
                </Loading>
              )}
            </section>
            {open ? (
              <TaskPanel
                taskId={open.id}
                onClose={close}
                onChanged={() => {
                  state.reload();
                  events.reload();
                }}
              />
            ) : null}
          </Page>
        );
      }}
    </Loading>
  );
}
