/** Finds the client a command names, by id or exact name, in the one MSP on this database or the one given. */
import { and, eq, or } from 'drizzle-orm';
import { InputError, NotFoundError } from '../../domain/errors.ts';
import { clients, tenants } from '../../storage/schema.ts';
import type { App } from '../context.ts';

export async function findClient(
  app: App,
  ref: { client: string; tenant?: string | undefined },
): Promise<{ tenantId: string; clientId: string; name: string }> {
  const db = app.database.db;
  let tenantId = ref.tenant;
  if (!tenantId) {
    const all = await db.select({ id: tenants.id, name: tenants.name }).from(tenants).limit(2);
    if (all.length !== 1)
      throw new InputError('which MSP?', [
        {
          path: 'tenant',
          message: all.length === 0 ? 'this database has no MSP yet' : 'this database holds several MSPs: name one with --tenant ID',
        },
      ]);
    tenantId = (all[0] as { id: string }).id;
  }
  const found = await db
    .select({ id: clients.id, name: clients.name })
    .from(clients)
    .where(and(eq(clients.tenantId, tenantId), or(eq(clients.id, ref.client), eq(clients.name, ref.client))))
    .limit(2);
  if (found.length === 0) throw new NotFoundError('client', ref.client);
  if (found.length > 1)
    throw new InputError('which client?', [
      { path: 'client', message: `several clients are named ${JSON.stringify(ref.client)}: give the id` },
    ]);
  const client = found[0] as { id: string; name: string };
  return { tenantId, clientId: client.id, name: client.name };
}
