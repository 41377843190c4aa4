/** The building blocks every screen uses, so they look and behave the same. */
import type { UseQueryResult } from '@tanstack/react-query';
import type { ReactNode } from 'react';
import { type ApiError, asApiError } from '../api/client.ts';

export function Page({ title, actions, children }: { title: string; actions?: ReactNode; children: ReactNode }) {
  return (
    <main className="page" aria-labelledby="page-title" id="main">
      <header className="page-head">
        <h1 id="page-title" tabIndex={-1}>
          {title}
        </h1>
        {actions ? <div className="actions">{actions}</div> : null}
      </header>
      {children}
    </main>
  );
}

/** An error as the person reads it: the message, and each field named with what is wrong with it. */
export function ErrorNote({ error }: { error: ApiError | Error | null | undefined }) {
  if (!error) return null;
  const e = asApiError(error);
  return (
    <div className="note error" role="alert">
      <strong>{e.message}</strong>
      {e.details.length > 0 ? (
        <ul>
          {e.details.map((d) => (
            <li key={`${d.path}:${d.message}`}>{d.path ? `${fieldLabel(d.path)}: ${d.message}` : d.message}</li>
          ))}
        </ul>
      ) : null}
    </div>
  );
}

/** `holidays[1]` reads "Holidays, line 2"; `contacts[0].email` "Contacts, line 1: email". */
export function fieldLabel(path: string): string {
  return path
    .replace(/\[(\d+)\]/g, (_m, n: string) => `, line ${Number(n) + 1}`)
    .replace(/\./g, ': ')
    .replace(/([a-z])([A-Z])/g, (_m, a: string, b: string) => `${a} ${b.toLowerCase()}`)
    .replace(/^./, (c) => c.toUpperCase());
}

export function Spinner() {
  return (
    <p className="muted" role="status">
      Loading…
    </p>
  );
}

/** Loading, error, or the content: for one query. */
export function Loading<T>({ query, children }: { query: UseQueryResult<T, unknown>; children: (data: T) => ReactNode }) {
  if (query.error) return <ErrorNote error={asApiError(query.error)} />;
  if (query.data === undefined) return <Spinner />;
  return <>{children(query.data)}</>;
}

export type Column<T> = { header: ReactNode; cell: (row: T) => ReactNode; className?: string };

/**
 * Every list of things is this table: column headers with scope, one row per item. On a narrow
 * screen each row becomes a card whose cells carry their column's name (styles.css).
 */
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
    <table className="table stack">
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
              <td key={i} className={c.className} data-label={typeof c.header === 'string' ? c.header : undefined}>
                {c.cell(r)}
              </td>
            ))}
          </tr>
        ))}
      </tbody>
    </table>
  );
}

/** Previous and next for a list read a page at a time: `pages` are the cursors of the pages read so far. */
export function Pager({ pages, next, onPages }: { pages: string[]; next: string | null; onPages: (pages: string[]) => void }) {
  return (
    <div className="actions">
      {pages.length > 0 ? (
        <button type="button" onClick={() => onPages(pages.slice(0, -1))}>
          Previous page
        </button>
      ) : null}
      {next ? (
        <button type="button" onClick={() => onPages([...pages, next])}>
          Next page
        </button>
      ) : null}
    </div>
  );
}
