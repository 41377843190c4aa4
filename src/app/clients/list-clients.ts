/** The MSP's clients by name, a page at a time. */
import { type ClientRow, clientsRepo } from '../../storage/repositories.ts';
import type { Actor, App } from '../context.ts';

export async function listClients(
  app: App,
  actor: Actor,
  page: { limit: number; offset: number },
): Promise<{ items: ClientRow[]; nextOffset: number | null }> {
  const rows = await clientsRepo.list(app.database.db, actor.tenantId, page.limit + 1, page.offset);
  return { items: rows.slice(0, page.limit), nextOffset: rows.length > page.limit ? page.offset + page.limit : null };
}
