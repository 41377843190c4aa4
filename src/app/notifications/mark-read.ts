/** Marks one of the signed-in person's notifications read (not domain state: not audited). */
import { and, eq, isNull } from 'drizzle-orm';
import { NotFoundError } from '../../domain/errors.ts';
import { notifications } from '../../storage/schema.ts';
import { type Actor, type App, now } from '../context.ts';
import { inboxOf } from './my-inbox.ts';

export async function markNotificationRead(app: App, actor: Actor, id: string): Promise<void> {
  const [row] = await app.database.db
    .update(notifications)
    .set({ readAt: now(app) })
    .where(and(inboxOf(actor), eq(notifications.id, id)))
    .returning({ id: notifications.id });
  if (!row) throw new NotFoundError('notification', id);
}

/** Marks every unread notification of the signed-in person read; answers how many. */
export async function markAllNotificationsRead(app: App, actor: Actor): Promise<number> {
  const rows = await app.database.db
    .update(notifications)
    .set({ readAt: now(app) })
    .where(and(inboxOf(actor), isNull(notifications.readAt)))
    .returning({ id: notifications.id });
  return rows.length;
}
