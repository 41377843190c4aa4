/**
 * Migrations are forward-only and upgrade an existing database: for every earlier version,
 * a database migrated to it (with data in it) reaches the same schema as one migrated from empty.
 */
import { cpSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { testDatabase, testDatabaseKind } from '../../test/db.ts';
import { type Database, MIGRATIONS_FOLDER } from './db.ts';
import { migrate as migratePglite } from 'drizzle-orm/pglite/migrator';
import { migrate as migrateNodePg } from 'drizzle-orm/node-postgres/migrator';

type Journal = { entries: { idx: number; tag: string }[] };
const journal = JSON.parse(readFileSync(join(MIGRATIONS_FOLDER, 'meta/_journal.json'), 'utf8')) as Journal;

/** A copy of the migrations folder that stops after the first `count` migrations. */
function folderUpTo(count: number): string {
  const dir = mkdtempSync(join(tmpdir(), 'offboard-migrations-'));
  cpSync(MIGRATIONS_FOLDER, dir, { recursive: true });
  writeFileSync(join(dir, 'meta/_journal.json'), JSON.stringify({ ...journal, entries: journal.entries.slice(0, count) }));
  return dir;
}

async function migrateWith(database: Database, folder: string) {
  if (database.kind === 'postgres') await migrateNodePg(database.db as never, { migrationsFolder: folder });
  else await migratePglite(database.db as never, { migrationsFolder: folder });
}

async function schemaOf(database: Database): Promise<string[]> {
  const rows = await database.query<{ t: string }>(
    "select table_name || '.' || column_name || ':' || data_type || ':' || is_nullable as t from information_schema.columns where table_schema = 'public' order by 1",
  );
  return rows.map((r) => r.t);
}

const opened: Database[] = [];
afterAll(async () => {
  for (const d of opened) await d.close();
});

describe(`migrations (${testDatabaseKind})`, () => {
  it('has a journal entry for every migration file, in order', () => {
    expect(journal.entries.map((e) => e.idx)).toEqual(journal.entries.map((_, i) => i));
    for (const e of journal.entries) expect(readFileSync(join(MIGRATIONS_FOLDER, `${e.tag}.sql`), 'utf8').length).toBeGreaterThan(0);
  });

  it('upgrades a database at every earlier version, with data in it, to the same schema as from empty', { timeout: 60_000 }, async () => {
    const fromEmpty = await testDatabase();
    opened.push(fromEmpty);
    const expected = await schemaOf(fromEmpty);
    expect(expected.length).toBeGreaterThan(50);
    // The same database, emptied before each version (a new database per version cost seconds apiece);
    // the last version leaves it migrated, as it came.
    const database = fromEmpty;
    for (let k = 1; k <= journal.entries.length; k++) {
      for (const statement of ['drop schema if exists drizzle cascade', 'drop schema public cascade', 'create schema public'])
        await database.query(statement);
      expect(await schemaOf(database)).toEqual([]);
      await migrateWith(database, folderUpTo(k));
      await database.query("insert into tenants (id, name) values ('t1', 'Existing MSP')");
      await migrateWith(database, MIGRATIONS_FOLDER);
      expect(await schemaOf(database), `from version ${k}`).toEqual(expected);
      expect((await database.query<{ name: string }>('select name from tenants'))[0]?.name).toBe('Existing MSP');
    }
  });
});
