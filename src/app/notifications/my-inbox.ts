/** The signed-in person's in-app notifications (the latest hundred) and how many are unread. */
import { and, desc, eq, isNull } from 'drizzle-orm';
import { notifications } from '../../storage/schema.ts';
import type { Actor, App } from '../context.ts';
import type { DeliveryRow } from './list-deliveries.ts';

export const inboxOf = (actor: Actor) =>
  and(eq(notifications.tenantId, actor.tenantId), eq(notifications.recipientUserId, actor.id), eq(notifications.channel, 'in-app'));

export async function myInbox(app: App, actor: Actor): Promise<{ items: DeliveryRow[]; unread: number }> {
  const db = app.database.db;
  const items = await db
    .select()
    .from(notifications)
    .where(inboxOf(actor))
    .orderBy(desc(notifications.fireAt), desc(notifications.createdAt))
    .limit(100);
  const unread = await db.$count(notifications, and(inboxOf(actor), isNull(notifications.readAt)));
  return { items, unread };
}

/** A user's in-app inbox, newest first. */
export async function inboxRows(app: App, tenantId: string, userId: string) {
  return app.database.db
    .select()
    .from(notifications)
    .where(and(eq(notifications.tenantId, tenantId), eq(notifications.recipientUserId, userId), eq(notifications.channel, 'in-app')))
    .orderBy(desc(notifications.fireAt), desc(notifications.createdAt), notifications.id);
}
