/** Turning stored values into what the API and the CLI show. */
import { Temporal } from 'temporal-polyfill';

const UTC_TIMESTAMP = /^(\d{4}-\d\d-\d\d)[ T](\d\d:\d\d:\d\d(?:\.\d+)?)(?:\+00(?::00)?|Z)$/;

/** A stored timestamp (`2026-03-13 21:00:00+00` from PostgreSQL) as ISO 8601 UTC, `2026-03-13T21:00:00Z`. */
export function isoInstant(value: string): string;
export function isoInstant(value: string | null): string | null;
export function isoInstant(value: string | null): string | null {
  if (value === null) return null;
  // Sessions run in UTC (see storage/db.ts), so this is the shape nearly always: a string rewrite.
  const m = UTC_TIMESTAMP.exec(value);
  if (m) return `${m[1]}T${m[2]}Z`;
  return Temporal.Instant.from(value.replace(' ', 'T').replace(/([+-]\d\d)$/, '$1:00')).toString();
}
