/** The few building blocks every screen uses, so they look and behave the same. */
import type { ReactNode } from 'react';
import type { ApiError } from './api.ts';
import type { Loaded } from './use-load.ts';

export function Page({ title, actions, children }: { title: string; actions?: ReactNode; children: ReactNode }) {
  return (
    <main className="page" aria-labelledby="page-title">
      <header className="page-head">
        <h1 id="page-title">{title}</h1>
        {actions ? <div className="actions">{actions}</div> : null}
      </header>
      {children}
    </main>
  );
}

export function ErrorNote({ error }: { error: ApiError }) {
  return (
    <div className="note error" role="alert">
      <strong>{error.message}</strong>
      {error.details.length > 0 ? (
        <ul>
          {error.details.map((d) => (
            <li key={`${d.path}:${d.message}`}>{d.path ? `${d.path}: ${d.message}` : d.message}</li>
          ))}
        </ul>
      ) : null}
    </div>
  );
}

/** Loading, error, or the content. */
export function Loading<T>({ state, children }: { state: Loaded<T>; children: (data: T) => ReactNode }) {
  if (state.error) return <ErrorNote error={state.error} />;
  if (state.data === undefined)
    return (
      <p className="muted" role="status">
        Loading…
      </p>
    );
  return <>{children(state.data)}</>;
}

export type Health = 'on-track' | 'at-risk' | 'overdue';
const HEALTH_LABEL: Record<Health, string> = { 'on-track': 'On track', 'at-risk': 'At risk', overdue: 'Overdue' };

export function HealthBadge({ health }: { health: Health }) {
  return <span className={`badge health-${health}`}>{HEALTH_LABEL[health]}</span>;
}

export function StatusBadge({ status }: { status: string }) {
  return <span className={`badge status-${status}`}>{status.replace('-', ' ')}</span>;
}

/** A date as the client lives it: the local date, and the zone named. */
export function LocalDate({ date, zone }: { date: string; zone?: string | undefined }) {
  return (
    <time dateTime={date}>
      {date}
      {zone ? <span className="zone"> ({zone})</span> : null}
    </time>
  );
}

export type Column<T> = { header: ReactNode; cell: (row: T) => ReactNode; className?: string };

/** Every list of things is this table: column headers with scope, one row per item, an optional caption for screen readers. */
export function Table<T>({
  columns,
  rows,
  rowKey,
  rowProps,
  caption,
}: {
  columns: readonly Column<T>[];
  rows: readonly T[];
  rowKey: (row: T) => string;
  rowProps?: (row: T) => Record<string, string>;
  caption?: string;
}) {
  return (
    <table className="table">
      {caption ? <caption className="visually-hidden">{caption}</caption> : null}
      <thead>
        <tr>
          {columns.map((c, i) => (
            <th scope="col" key={i}>
              {c.header}
            </th>
          ))}
        </tr>
      </thead>
      <tbody>
        {rows.map((r) => (
          <tr key={rowKey(r)} {...rowProps?.(r)}>
            {columns.map((c, i) => (
              <td key={i} className={c.className}>
                {c.cell(r)}
              </td>
            ))}
          </tr>
        ))}
      </tbody>
    </table>
  );
}
