/** One client of the MSP, by id. */
import { NotFoundError } from '../../domain/errors.ts';
import { type ClientRow, clientsRepo } from '../../storage/repositories.ts';
import type { Actor, App } from '../context.ts';

export async function getClient(app: App, actor: Actor, id: string): Promise<ClientRow> {
  const row = await clientsRepo.get(app.database.db, actor.tenantId, id);
  if (!row) throw new NotFoundError('client', id);
  return row;
}
