/** Every PSA webhook delivery received, with what it did, newest first. */
import { and, desc, eq } from 'drizzle-orm';
import { webhookDeliveries } from '../../storage/schema.ts';
import type { Actor, App } from '../context.ts';

export function listWebhookDeliveries(app: App, actor: Actor, filter: { outcome?: string | undefined; limit: number }) {
  return app.database.db
    .select()
    .from(webhookDeliveries)
    .where(and(eq(webhookDeliveries.tenantId, actor.tenantId), filter.outcome ? eq(webhookDeliveries.outcome, filter.outcome) : undefined))
    .orderBy(desc(webhookDeliveries.receivedAt), desc(webhookDeliveries.id))
    .limit(filter.limit);
}
