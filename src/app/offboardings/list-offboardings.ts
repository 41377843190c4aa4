/** The MSP's offboardings with their client and progress (done, overdue, gates waiting), a page at a time. */
import { offboardingsRepo } from '../../storage/repositories.ts';
import { type Actor, type App, now } from '../context.ts';

export async function listOffboardings(app: App, actor: Actor, page: { limit: number; offset: number }) {
  const rows = await offboardingsRepo.listWithProgress(app.database.db, actor.tenantId, now(app), page.limit + 1, page.offset);
  return { items: rows.slice(0, page.limit), nextOffset: rows.length > page.limit ? page.offset + page.limit : null };
}
