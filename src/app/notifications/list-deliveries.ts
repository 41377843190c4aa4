/** Every delivery the MSP's notifications made (or failed to make), newest first. */
import { and, desc, eq } from 'drizzle-orm';
import { notifications } from '../../storage/schema.ts';
import type { Actor, App } from '../context.ts';

export type DeliveryRow = typeof notifications.$inferSelect;

export function listDeliveries(app: App, actor: Actor, filter: { status?: string | undefined; limit: number }): Promise<DeliveryRow[]> {
  return app.database.db
    .select()
    .from(notifications)
    .where(and(eq(notifications.tenantId, actor.tenantId), filter.status ? eq(notifications.status, filter.status) : undefined))
    .orderBy(desc(notifications.createdAt), desc(notifications.id))
    .limit(filter.limit);
}
