import { useNavigate } from '@tanstack/react-router';
import { $api } from '../api/client.ts';
import { healthOf } from '../health.ts';
import { offboardingTypeLabel } from '../labels.ts';
import { type Health, HealthBadge } from '../ui/badges.tsx';
import { Loading, Page, Table } from '../ui/page.tsx';
import { PlainLink } from '../ui/plain-link.tsx';

const HEALTHS = ['all', 'overdue', 'at-risk', 'on-track'] as const;
const STATUSES = ['open', 'all'] as const;
export type DashboardSearch = { health?: Health; status?: 'all' };

/** The filters as the query string has them; anything else is the default. */
export function dashboardSearch(search: Record<string, unknown>): DashboardSearch {
  const health = HEALTHS.find((h) => h !== 'all' && h === search.health) as Health | undefined;
  return { ...(health ? { health } : {}), ...(search.status === 'all' ? { status: 'all' as const } : {}) };
}

const today = () => new Date().toISOString().slice(0, 10);

export function Dashboard({ search }: { search: DashboardSearch }) {
  const navigate = useNavigate({ from: '/' });
  // The server preloads this exact request with the page (src/http/web-app.ts): keep the two the same.
  const offboardings = $api.useQuery('get', '/api/offboardings', { params: { query: { limit: 200 } } });
  const health = search.health ?? 'all';
  const status = search.status ?? 'open';
  const setSearch = (next: DashboardSearch) => void navigate({ search: dashboardSearch({ ...search, ...next }), replace: true });
  return (
    <Page title="Offboardings">
      <div className="filters" role="group" aria-label="Filters">
        <label>
          Health{' '}
          <select value={health} onChange={(e) => setSearch({ health: e.target.value as Health })}>
            <option value="all">All</option>
            <option value="overdue">Overdue</option>
            <option value="at-risk">At risk</option>
            <option value="on-track">On track</option>
          </select>
        </label>
        <label>
          Status{' '}
          <select value={status} onChange={(e) => setSearch({ status: e.target.value === 'all' ? 'all' : undefined })}>
            {STATUSES.map((s) => (
              <option key={s} value={s}>
                {s === 'open' ? 'In progress' : 'All'}
              </option>
            ))}
          </select>
        </label>
      </div>
      <Loading query={offboardings}>
        {(page) => {
          const rows = page.items
            .map((o) => ({ o, health: healthOf(o, today()) }))
            .filter(
              ({ o, health: h }) =>
                (status === 'all' || o.status === 'active' || o.status === 'closing') && (health === 'all' || h === health),
            );
          if (rows.length === 0) return <p className="muted">No offboardings match.</p>;
          return (
            <Table
              caption="Offboardings with their health"
              rows={rows}
              rowKey={(r) => r.o.id}
              rowProps={(r) => ({ 'data-health': r.health })}
              columns={[
                {
                  header: 'Client',
                  cell: ({ o }) => <PlainLink href={`/offboardings/${o.id}`}>{o.clientName}</PlainLink>,
                },
                { header: 'Type', cell: ({ o }) => offboardingTypeLabel(o.type) },
                {
                  header: 'Contract end',
                  cell: ({ o }) => (
                    <time dateTime={o.endDate}>
                      {o.endDate} <span className="zone">({o.timezone})</span>
                    </time>
                  ),
                },
                {
                  header: 'Progress',
                  cell: ({ o }) => (
                    <>
                      <progress
                        max={o.progress.total}
                        value={o.progress.done}
                        aria-label={`${o.progress.done} of ${o.progress.total} tasks done`}
                      />{' '}
                      {o.progress.done}/{o.progress.total}
                    </>
                  ),
                },
                { header: 'Health', cell: ({ health: h }) => <HealthBadge health={h} /> },
                { header: 'Overdue', cell: ({ o }) => o.progress.overdue, className: 'num' },
                { header: 'Waiting gates', cell: ({ o }) => o.progress.waitingGates, className: 'num' },
              ]}
            />
          );
        }}
      </Loading>
    </Page>
  );
}
