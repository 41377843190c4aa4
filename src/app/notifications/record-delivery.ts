import { and, eq } from 'drizzle-orm';
import { appendAuditEvent } from '../../storage/audit-repository.ts';
import { notifications, users } from '../../storage/schema.ts';
import { type App, transaction } from '../context.ts';
import { sha256Hex } from '../digest.ts';

type DeliveryRow = typeof notifications.$inferSelect;

/** Marks a pending delivery sent or failed, with its audit event, in one transaction; a sealed portal link is erased then. */
export async function recordDelivery(app: App, row: DeliveryRow, status: 'sent' | 'failed', error: string | null): Promise<void> {
  const at = app.clock().toISOString();
  await transaction(app, async (tx) => {
    await tx
      .update(notifications)
      .set({ status, error, attempts: row.attempts + 1, deliveredAt: status === 'sent' ? at : null, sealedLink: null })
      .where(and(eq(notifications.id, row.id), eq(notifications.status, 'pending')));
    // A member of the staff is named as well as addressed: the record says who got it.
    const [person] = row.recipientUserId ? await tx.select({ name: users.name }).from(users).where(eq(users.id, row.recipientUserId)) : [];
    await appendAuditEvent(tx, row.tenantId, at, {
      actor: 'system',
      action: status === 'sent' ? 'notification.sent' : 'notification.failed',
      subject: { type: 'notification', id: row.id },
      offboardingId: row.offboardingId ?? undefined,
      data: {
        key: row.key,
        kind: row.kind,
        level: row.level,
        channel: row.channel,
        recipient: row.recipient,
        ...(person ? { recipientName: person.name } : {}),
        subjectSha256: sha256Hex(row.subject),
        ...(error ? { error } : {}),
      },
    });
  });
}
