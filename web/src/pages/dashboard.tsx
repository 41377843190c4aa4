import { useState } from 'react';
import { type OffboardingSummaryData, type Page as ApiPage, get } from '../api.ts';
import { healthOf } from '../health.ts';
import { Link } from '../router.tsx';
import { type Health, HealthBadge, LocalDate, Loading, Page, Table } from '../ui.tsx';
import { useLoad } from '../use-load.ts';

const today = () => new Date().toISOString().slice(0, 10);

export function Dashboard() {
  const state = useLoad(() => get<ApiPage<OffboardingSummaryData>>('/api/offboardings?limit=200'), []);
  const [health, setHealth] = useState<Health | 'all'>('all');
  const [status, setStatus] = useState<'open' | 'all'>('open');
  return (
    <Page title="Offboardings">
      <div className="filters" role="group" aria-label="Filters">
        <label>
          Health{' '}
          <select value={health} onChange={(e) => setHealth(e.target.value as Health | 'all')}>
            <option value="all">All</option>
            <option value="overdue">Overdue</option>
            <option value="at-risk">At risk</option>
            <option value="on-track">On track</option>
          </select>
        </label>
        <label>
          Status{' '}
          <select value={status} onChange={(e) => setStatus(e.target.value as 'open' | 'all')}>
            <option value="open">In progress</option>
            <option value="all">All</option>
          </select>
        </label>
      </div>
      <Loading state={state}>
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
                { header: 'Client', cell: ({ o }) => <Link to={`/offboardings/${o.id}`}>{o.clientName}</Link> },
                { header: 'Type', cell: ({ o }) => o.type.replace('-', ' ') },
                { header: 'Contract end', cell: ({ o }) => <LocalDate date={o.endDate} zone={o.timezone} /> },
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
