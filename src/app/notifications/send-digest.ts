import { and, eq, inArray } from 'drizzle-orm';
import { digestMessage } from '../../domain/messages.ts';
import { usersRepo } from '../../storage/repositories.ts';
import { notifications } from '../../storage/schema.ts';
import { type App, transaction } from '../context.ts';
import type { SendDigestJob } from '../jobs.ts';
import { type DeliveryChannels, deliveryWriter, forTenant } from './delivery-writer.ts';

/**
 * One person's daily digest: every reminder email held for them becomes one email, recorded
 * pending under the key `digest:<user>:<date>` (so it is made once a day however often the job
 * runs) and sent by the email queue; the held deliveries are marked digested into it.
 */
export async function sendDigest(app: App, job: SendDigestJob, channels: DeliveryChannels): Promise<{ items: number } | 'nothing-held'> {
  const at = app.clock().toISOString();
  const tenantChannels = await forTenant(channels, job.tenantId);
  return transaction(app, async (tx) => {
    const user = await usersRepo.get(tx, job.tenantId, job.userId);
    const held = await tx
      .select()
      .from(notifications)
      .where(and(eq(notifications.tenantId, job.tenantId), eq(notifications.recipientUserId, job.userId), eq(notifications.status, 'held')))
      .orderBy(notifications.fireAt, notifications.key)
      .for('update');
    if (!user || held.length === 0) return 'nothing-held';
    const { subject, body } = digestMessage(
      job.date,
      held.map((n) => ({ subject: n.subject, body: n.body })),
    );
    const writer = deliveryWriter(
      tx,
      tenantChannels,
      {
        tenantId: job.tenantId,
        key: `digest:${job.userId}:${job.date}`,
        offboardingId: null,
        taskId: null,
        kind: 'digest',
        level: 0,
        subject,
        body,
        fireAt: at,
      },
      at,
      undefined,
    );
    const digestId = await writer.digest(user);
    if (!digestId) return 'nothing-held';
    await tx
      .update(notifications)
      .set({ status: 'digested', deliveredAt: at, error: `in digest ${digestId}` })
      .where(
        and(
          eq(notifications.tenantId, job.tenantId),
          inArray(
            notifications.id,
            held.map((n) => n.id),
          ),
        ),
      );
    return { items: held.length };
  });
}
