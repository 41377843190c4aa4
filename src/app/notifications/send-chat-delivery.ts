import { and, eq } from 'drizzle-orm';
import { type ChatKind, chatPayload, postWebhook } from '../../integrations/chat/webhooks.ts';
import { channels as chatChannels, clients, notifications, offboardings as offboardingsTable } from '../../storage/schema.ts';
import type { App } from '../context.ts';
import type { SendChatJob } from '../jobs.ts';
import type { SendResult } from './send-email-delivery.ts';
import { recordDelivery } from './record-delivery.ts';

/**
 * Posts one pending chat delivery to its Slack or Teams webhook. 2xx: sent. A 4xx (Slack's
 * no_service, channel_is_archived...) or the last retry: failed, with the answer as the reason.
 * Otherwise it throws, and pg-boss retries with backoff.
 */
export async function sendChatDelivery(
  app: App,
  job: SendChatJob,
  attempt: { retryCount: number; retryLimit: number },
): Promise<SendResult> {
  const db = app.database.db;
  const [row] = await db
    .select()
    .from(notifications)
    .where(and(eq(notifications.tenantId, job.tenantId), eq(notifications.id, job.deliveryId)));
  if (!row || row.status !== 'pending') return 'already-done';
  const [channel] = await db
    .select()
    .from(chatChannels)
    .where(and(eq(chatChannels.tenantId, job.tenantId), eq(chatChannels.id, row.recipient)));
  const finish = (status: 'sent' | 'failed', error: string | null) => recordDelivery(app, row, status, error);
  if (!channel || !app.secrets) {
    await finish('failed', channel ? 'no secret key to open the webhook URL with' : 'the channel was removed');
    return 'failed';
  }
  const [context] = await db
    .select({ client: clients.name })
    .from(offboardingsTable)
    .innerJoin(clients, eq(clients.id, offboardingsTable.clientId))
    .where(eq(offboardingsTable.id, row.offboardingId ?? ''));
  const payload = chatPayload(channel.kind as ChatKind, {
    title: row.subject,
    text: row.body,
    facts: [
      { title: 'Client', value: context?.client ?? '' },
      { title: 'Kind', value: `${row.kind} (level ${row.level})` },
    ],
  });
  const result = await postWebhook(app.secrets.open(channel.urlSealed), payload);
  if (result.ok) {
    await finish('sent', null);
    return 'sent';
  }
  if (result.permanent || attempt.retryCount >= attempt.retryLimit) {
    await finish('failed', result.reason);
    return 'failed';
  }
  await db
    .update(notifications)
    .set({ attempts: row.attempts + 1, error: result.reason })
    .where(eq(notifications.id, row.id));
  throw new Error(`webhook answered ${result.reason}`);
}
