import { Link, Outlet } from '@tanstack/react-router';
import { $api, type Schemas } from '../api/client.ts';
import { gateLabel, offboardingTypeLabel, phaseName, roleLabel } from '../labels.ts';
import { useCan } from '../session.tsx';
import { LatenessBadge, OffboardingStatusBadge, TaskStatusBadge, todayIn } from '../ui/badges.tsx';
import { Loading, Page, Table } from '../ui/page.tsx';
import { describeEvent } from './activity.tsx';
import { OffboardingActions } from './offboarding-actions.tsx';
import { Packages } from './packages.tsx';
import { Parties } from './parties.tsx';
import { Revocations } from './revocations.tsx';
import { Timeline } from './timeline.tsx';

type Detail = Schemas['OffboardingDetail'];

/** A planner warning in words: task keys become the tasks' titles. */
function warningText(w: Detail['warnings'][number], titles: Map<string, string>): string {
  return w.tasks.reduce((text, key) => text.replaceAll(key, `“${titles.get(key) ?? key}”`), w.message);
}

function Activity({ id, titles }: { id: string; titles: Map<string, string> }) {
  const can = useCan();
  const events = $api.useQuery('get', '/api/offboardings/{id}/events', { params: { path: { id } } }, { enabled: can('audit.read') });
  const log = $api.useQuery('get', '/api/log', {}, { enabled: can('log.read') });
  if (!can('audit.read'))
    return (
      <section aria-labelledby="activity">
        <h2 id="activity">Activity</h2>
        <p className="muted">The activity log is shown to account managers, managers, admins and auditors.</p>
      </section>
    );
  return (
    <section aria-labelledby="activity">
      <h2 id="activity">Activity</h2>
      {can('evidence.export') ? (
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
      <Loading query={events}>
        {(page) => (
          <ol className="activity">
            {page.items
              .slice(-50)
              .reverse()
              .map((e) => (
                <li key={e.seq}>
                  <time dateTime={e.at}>{e.at.slice(0, 16).replace('T', ' ')} UTC</time> {describeEvent(e, titles)}{' '}
                  {e.seq <= page.signedThrough ? (
                    <span className="signed" title={`Entry ${e.seq} of the signed log, covered by checkpoint ${page.signedThrough}`}>
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
    </section>
  );
}

export function OffboardingPage({ id }: { id: string }) {
  const can = useCan();
  // The page an account manager watches while others work: refetched every 30 s and on focus.
  const offboarding = $api.useQuery('get', '/api/offboardings/{id}', { params: { path: { id } } }, { refetchInterval: 30_000 });
  const clientId = offboarding.data?.clientId ?? '';
  const client = $api.useQuery('get', '/api/clients/{id}', { params: { path: { id: clientId } } }, { enabled: clientId !== '' });
  const time = $api.useQuery('get', '/api/offboardings/{id}/time', { params: { path: { id } } }, { enabled: can('time.read') });
  return (
    <Loading query={offboarding}>
      {(o) => {
        const zone = client.data?.timezone;
        const today = todayIn(zone);
        const titles = new Map(o.tasks.map((t) => [t.key, t.title] as const));
        return (
          <Page
            title={client.data ? `${client.data.name}: ${offboardingTypeLabel(o.type).toLowerCase()}` : offboardingTypeLabel(o.type)}
            actions={<Link to="/">All offboardings</Link>}
          >
            <dl className="facts">
              <dt>Notice</dt>
              <dd>{o.noticeDate}</dd>
              <dt>Contract end</dt>
              <dd>
                {o.endDate} {zone ? <span className="zone">({zone})</span> : null}
              </dd>
              <dt>Access revocation</dt>
              <dd>{o.revocationDate ?? o.endDate}</dd>
              <dt>New provider</dt>
              <dd>{o.newProvider ? `${o.newProvider.name} (${o.newProvider.contact})` : 'None'}</dd>
              <dt>Status</dt>
              <dd>
                <OffboardingStatusBadge status={o.status} />
                {o.cancelReason ? ` ${o.cancelReason}` : ''}
                {o.departureReason ? ` ${o.departureReason}` : ''}
              </dd>
            </dl>
            <OffboardingActions o={o} titles={titles} />
            {time.data ? (
              <p className={time.data.summary.overIncluded ? 'note warn' : 'muted'}>
                Time spent: {(time.data.summary.minutes / 60).toFixed(1)} h
                {time.data.summary.includedMinutes !== null ? ` of ${(time.data.summary.includedMinutes / 60).toFixed(1)} h included` : ''}
                {time.data.summary.overIncluded ? '. The included hours are used up: further work must be prepaid.' : ''}
              </p>
            ) : null}
            {o.warnings.map((w) => (
              <p className="note warn" key={w.code + w.tasks.join()}>
                {warningText(w, titles)}
              </p>
            ))}
            <Timeline o={o} zone={zone ?? 'UTC'} today={today} />
            {[1, 2, 3, 4, 5, 6].map((phase) => {
              const tasks = o.tasks.filter((t) => t.phase === phase);
              if (tasks.length === 0) return null;
              return (
                <section key={phase} aria-labelledby={`phase-${phase}`}>
                  <h2 id={`phase-${phase}`}>
                    {phase}. {phaseName(phase)}
                  </h2>
                  <Table
                    rows={tasks}
                    rowKey={(t) => t.id}
                    rowProps={(t) => ({ 'data-task': t.key })}
                    columns={[
                      {
                        header: 'Task',
                        cell: (t) => (
                          <Link to="/offboardings/$id/tasks/$taskId" params={{ id: o.id, taskId: t.id }}>
                            {t.title}
                          </Link>
                        ),
                      },
                      { header: `Due${zone ? ` (${zone})` : ''}`, cell: (t) => t.due },
                      {
                        header: 'Status',
                        cell: (t) => (
                          <>
                            <TaskStatusBadge status={t.status} /> <LatenessBadge task={t} zone={zone} />
                          </>
                        ),
                      },
                      { header: 'Who', cell: (t) => roleLabel(t.role) },
                      { header: 'Waits on', cell: (t) => t.gates.map(gateLabel).join(', ') },
                    ]}
                  />
                </section>
              );
            })}
            {can('parties.read') ? (
              <Parties id={id} gates={[...new Set(o.tasks.flatMap((t) => t.gates))]} newProvider={o.newProvider?.name ?? null} />
            ) : null}
            {can('documentation.read') ? <Packages id={id} newProvider={o.newProvider?.name ?? null} /> : null}
            {can('credentials.read') ? <Revocations id={id} tasks={o.tasks} /> : null}
            <Activity id={id} titles={titles} />
            <Outlet />
          </Page>
        );
      }}
    </Loading>
  );
}
