/**
 * Opens the app on its database for a command line tool: PGlite in the data folder, or
 * PostgreSQL when DATABASE_URL is set; migrated; the secret key and the signed-checkpoint store
 * of the data folder. `withApp` closes it afterwards.
 */
import { join } from 'node:path';
import { InputError, NotFoundError } from '../domain/errors.ts';
import { type Database, migrateDatabase, openDatabase } from '../storage/db.ts';
import { offboardingsRepo } from '../storage/repositories.ts';
import { tenants } from '../storage/schema.ts';
import { checkpointStoreFor } from '../storage/signed-checkpoints.ts';
import type { App } from './context.ts';
import { loadSecretBox } from './secrets.ts';

export async function openApp(dataDir: string, options: { secrets?: boolean } = {}): Promise<App & { database: Database }> {
  const database = await openDatabase({ url: process.env.DATABASE_URL || undefined, dataDir });
  await migrateDatabase(database);
  return {
    database,
    clock: () => new Date(),
    ...(options.secrets === false
      ? {}
      : { secrets: loadSecretBox(join(dataDir, 'secret.key')), signedCheckpoints: checkpointStoreFor(dataDir) }),
  };
}

export async function withApp<T>(dataDir: string, work: (app: App) => Promise<T>, options: { secrets?: boolean } = {}): Promise<T> {
  const app = await openApp(dataDir, options);
  try {
    return await work(app);
  } finally {
    await app.database.close();
  }
}

/** The MSPs in the database (for the operator's tools), or just `only`, which must be one of them. */
export async function tenantIds(app: App, only: string | undefined): Promise<string[]> {
  const ids = (await app.database.db.select({ id: tenants.id }).from(tenants)).map((r) => r.id);
  if (only && !ids.includes(only)) throw new InputError('invalid tenant', [{ path: 'tenant', message: 'no such MSP in this database' }]);
  return only ? [only] : ids;
}

/** The MSP an offboarding belongs to (for the operator's tools, which act across MSPs). */
export async function tenantOfOffboarding(app: App, offboardingId: string, only?: string): Promise<string> {
  for (const tenantId of await tenantIds(app, only)) {
    if (await offboardingsRepo.get(app.database.db, tenantId, offboardingId)) return tenantId;
  }
  throw new NotFoundError('offboarding', offboardingId);
}
