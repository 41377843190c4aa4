import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testDatabase, testDatabaseKind } from '../../test/db.ts';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { type Database, MIGRATIONS_FOLDER, migrateDatabase } from './db.ts';

describe(`database (${testDatabaseKind})`, () => {
  let database: Database;
  beforeAll(async () => {
    database = await testDatabase();
  });
  afterAll(async () => {
    await database.close();
  });

  it('has every table after migrating from empty', async () => {
    const rows = await database.query<{ table_name: string }>(
      "select table_name from information_schema.tables where table_schema = 'public' order by table_name",
    );
    expect(rows.map((r) => r.table_name)).toEqual(
      expect.arrayContaining([
        'api_tokens',
        'attestations',
        'audit_events',
        'blobs',
        'calendars',
        'clients',
        'evidence',
        'login_attempts',
        'offboardings',
        'playbooks',
        'sessions',
        'tasks',
        'tenants',
        'time_entries',
        'users',
      ]),
    );
  });

  it('migrates again without changing anything', async () => {
    await migrateDatabase(database);
    const journal = JSON.parse(readFileSync(join(MIGRATIONS_FOLDER, 'meta/_journal.json'), 'utf8')) as { entries: unknown[] };
    const rows = await database.query<{ n: number }>('select count(*)::int as n from drizzle.__drizzle_migrations');
    expect(rows[0]?.n).toBe(journal.entries.length);
  });
});
