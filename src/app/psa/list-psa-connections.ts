/** The MSP's PSA connections (without their secrets), and one of them by id. */
import { and, eq, isNull } from 'drizzle-orm';
import { NotFoundError } from '../../domain/errors.ts';
import { psaConnections } from '../../storage/schema.ts';
import type { Actor, App } from '../context.ts';

export type PsaConnectionRow = typeof psaConnections.$inferSelect;

export function listPsaConnections(app: App, actor: Actor): Promise<PsaConnectionRow[]> {
  return app.database.db
    .select()
    .from(psaConnections)
    .where(and(eq(psaConnections.tenantId, actor.tenantId), isNull(psaConnections.removedAt)))
    .orderBy(psaConnections.createdAt);
}

export async function getPsaConnection(app: App, actor: Actor, id: string): Promise<PsaConnectionRow> {
  const [row] = await app.database.db
    .select()
    .from(psaConnections)
    .where(and(eq(psaConnections.tenantId, actor.tenantId), eq(psaConnections.id, id)));
  if (!row) throw new NotFoundError('PSA connection', id);
  return row;
}
