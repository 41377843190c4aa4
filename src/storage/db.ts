/**
 * Opens the database: PGlite in a data folder by default, PostgreSQL when a URL is given.
 * Both run the same schema and the same migrations through Drizzle.
 */
import { mkdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { PGlite } from '@electric-sql/pglite';
import type { ExtractTablesWithRelations } from 'drizzle-orm';
import { migrate as migrateNodePg } from 'drizzle-orm/node-postgres/migrator';
import { drizzle as drizzleNodePg } from 'drizzle-orm/node-postgres';
import type { PgDatabase, PgQueryResultHKT, PgTransaction } from 'drizzle-orm/pg-core';
import { drizzle as drizzlePglite } from 'drizzle-orm/pglite';
import { migrate as migratePglite } from 'drizzle-orm/pglite/migrator';
import pg from 'pg';
import * as schema from './schema.ts';

export type Schema = typeof schema;
export type Db = PgDatabase<PgQueryResultHKT, Schema, ExtractTablesWithRelations<Schema>>;
export type Tx = PgTransaction<PgQueryResultHKT, Schema, ExtractTablesWithRelations<Schema>>;
/** Anything queries run on: the database or a transaction in progress. */
export type Queryable = Db | Tx;

export type DatabaseConfig = {
  url?: string | undefined;
  dataDir?: string | undefined;
  /** PGlite only: start from this dump of a data folder, in memory or into a new `dataDir` (tests start from a migrated one). */
  template?: Blob | undefined;
};

export type Database = {
  kind: 'pglite' | 'postgres';
  /** The PostgreSQL URL, or the embedded PGlite instance: for tools that bring their own SQL (the job queue). */
  url?: string | undefined;
  pglite?: PGlite | undefined;
  /** PostgreSQL's connection pool: for streaming what one query cannot (COPY). */
  pool?: pg.Pool | undefined;
  db: Db;
  /** Runs raw SQL with parameters; a `name` makes it a prepared statement on PostgreSQL. */
  query: <T = Record<string, unknown>>(text: string, params?: unknown[], name?: string) => Promise<T[]>;
  close: () => Promise<void>;
};

export const MIGRATIONS_FOLDER = fileURLToPath(new URL('./migrations', import.meta.url));

export async function openDatabase(config: DatabaseConfig): Promise<Database> {
  if (config.url) {
    // Every session in UTC: timestamps come back as `...+00`, the same on every server.
    const pool = new pg.Pool({ connectionString: config.url, max: 10, options: '-c TimeZone=UTC' });
    // An idle client that loses its connection must not crash the process.
    pool.on('error', () => undefined);
    const db = drizzleNodePg(pool, { schema }) as unknown as Db;
    return {
      kind: 'postgres',
      url: config.url,
      pool,
      db,
      query: async <T>(text: string, params: unknown[] = [], name?: string) =>
        (await pool.query(name ? { name, text, values: params } : { text, values: params })).rows as T[],
      close: () => pool.end(),
    };
  }
  if (config.dataDir) mkdirSync(config.dataDir, { recursive: true });
  // One options object: `new PGlite(undefined, options)` starts three times slower in memory.
  const client = new PGlite({
    ...(config.dataDir ? { dataDir: config.dataDir } : {}),
    ...(config.template ? { loadDataDir: config.template } : {}),
    // bytea through Node's hex codec: PGlite's own goes byte by byte in JavaScript, 0.5 s per
    // megabyte of an upload. Parsed values are copied out, so none shares Node's buffer pool.
    serializers: { [BYTEA]: (value: Uint8Array) => `\\x${Buffer.from(value.buffer, value.byteOffset, value.byteLength).toString('hex')}` },
    parsers: { [BYTEA]: (text: string) => new Uint8Array(Buffer.from(text.slice(2), 'hex')) },
  });
  await client.waitReady;
  await client.exec("SET TIME ZONE 'UTC'");
  const db = drizzlePglite(client, { schema }) as unknown as Db;
  return {
    kind: 'pglite',
    pglite: client,
    db,
    query: async <T>(text: string, params: unknown[] = []) => (await client.query<T>(text, params)).rows,
    close: () => client.close(),
  };
}

/** PostgreSQL's type id of bytea. */
const BYTEA = 17;

/** Applies every migration not yet applied. Forward-only; safe to run at every start. */
export async function migrateDatabase(database: Database): Promise<void> {
  if (database.kind === 'postgres') {
    await migrateNodePg(database.db as unknown as Parameters<typeof migrateNodePg>[0], { migrationsFolder: MIGRATIONS_FOLDER });
  } else {
    await migratePglite(database.db as unknown as Parameters<typeof migratePglite>[0], { migrationsFolder: MIGRATIONS_FOLDER });
  }
}
