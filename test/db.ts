/**
 * A fresh, migrated database for a test file: in-memory PGlite by default, or a new database
 * on the PostgreSQL server named by TEST_DATABASE_URL (`npm run test:pg`), dropped afterwards.
 */
import { randomBytes } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import pg from 'pg';
import { type Database, migrateDatabase, openDatabase } from '../src/storage/db.ts';

export const testDatabaseKind = process.env.TEST_DATABASE_URL ? 'postgres' : 'pglite';

export async function testDatabase(): Promise<Database> {
  const adminUrl = process.env.TEST_DATABASE_URL;
  if (!adminUrl) return reusedPglite();
  const fresh = await freshPostgresDatabase(adminUrl, 'offboard_test');
  const database = await openDatabase({ url: fresh.url });
  await migrateDatabase(database);
  const close = database.close;
  return {
    ...database,
    close: async () => {
      await close();
      await fresh.drop();
    },
  };
}

/**
 * Migrated PGlite databases of this worker that test files have closed: emptied, then handed to
 * the next file (files share a worker's modules). Loading the 40 MB template into a new instance
 * costs about three seconds of CPU; emptying one costs a few milliseconds.
 */
const idle: Database[] = [];

async function reusedPglite(): Promise<Database> {
  let database = idle.pop();
  if (!database) {
    // From the template the run's global setup made (migrated again all the same: a no-op, and a check).
    database = await openDatabase({ template: pgliteTemplate() });
    await migrateDatabase(database);
  }
  const open = database;
  // A new object each time: caches the app keys by the database object start empty for each file.
  return {
    ...open,
    close: async () => {
      await empty(open);
      idle.push(open);
    },
  };
}

/** Every table empty and every counter reset, as a freshly migrated database has them. */
async function empty(database: Database): Promise<void> {
  const tables = await database.query<{ name: string }>("select quote_ident(tablename) as name from pg_tables where schemaname = 'public'");
  await database.query('select pg_advisory_unlock_all()');
  await database.query('drop schema if exists pgboss cascade');
  await database.query(`truncate ${tables.map((t) => `public.${t.name}`).join(', ')} restart identity cascade`);
}

async function onServer(adminUrl: string, statement: string): Promise<void> {
  const admin = new pg.Client({ connectionString: adminUrl });
  await admin.connect();
  try {
    await admin.query(statement);
  } finally {
    await admin.end();
  }
}

/**
 * A PGlite data folder holding the migrated template, for tests that start the CLI or the server
 * on a folder: loading the dump takes a third of the time of creating a cluster there.
 */
export async function testDataDir(dataDir: string): Promise<void> {
  const template = pgliteTemplate();
  const database = await openDatabase({ dataDir, ...(template ? { template } : {}) });
  await migrateDatabase(database);
  await database.close();
}

let loadedTemplate: Blob | undefined | null = null;

/** The migrated template the run's global setup made, read once per worker. */
function pgliteTemplate(): Blob | undefined {
  if (loadedTemplate === null) {
    const file = process.env.OFFBOARD_TEST_PGLITE_TEMPLATE;
    loadedTemplate = file && existsSync(file) ? new Blob([readFileSync(file)]) : undefined;
  }
  return loadedTemplate;
}

/** A new, empty database on the server of `adminUrl`, and how to drop it. */
export async function freshPostgresDatabase(adminUrl: string, prefix: string): Promise<{ url: string; drop: () => Promise<void> }> {
  const name = `${prefix}_${randomBytes(6).toString('hex')}`;
  await onServer(adminUrl, `CREATE DATABASE ${name}`);
  const url = new URL(adminUrl);
  url.pathname = `/${name}`;
  return { url: url.toString(), drop: () => onServer(adminUrl, `DROP DATABASE IF EXISTS ${name} WITH (FORCE)`) };
}
