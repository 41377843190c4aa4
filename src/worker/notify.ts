/**
 * Delivers one notification: resolves its recipient roles to people, writes each delivery (the
 * in-app inbox) with its audit event, once per key, channel and recipient however often the job
 * runs. A task finished since the notification was scheduled gets nothing.
 */
import { and, desc, eq } from 'drizzle-orm';
import { type App, newId, transaction } from '../app/context.ts';
import { deliveriesFor } from '../app/notification-recipients.ts';
import { isClosedStatus, type TaskStatus } from '../domain/vocabulary.ts';
import { messageFor } from '../domain/messages.ts';
import { appendAuditEvent } from '../storage/audit-repository.ts';
import { clientsRepo, offboardingsRepo, tasksRepo, usersRepo } from '../storage/repositories.ts';
import { notifications } from '../storage/schema.ts';
import type { NotifyJob } from './jobs.ts';

export type DeliveryResult = { delivered: number; skipped: 'task-closed' | 'offboarding-over' | null; pendingExternal: number };

export async function deliverNotification(app: App, job: NotifyJob): Promise<DeliveryResult> {
  const n = job.notification;
  const at = app.clock().toISOString();
  return transaction(app, async (tx) => {
    const task = await tasksRepo.get(tx, job.tenantId, job.taskId);
    const offboarding = await offboardingsRepo.get(tx, job.tenantId, n.offboardingId);
    if (!task || !offboarding || (offboarding.status !== 'active' && offboarding.status !== 'closing')) return { delivered: 0, skipped: 'offboarding-over', pendingExternal: 0 };
    if (isClosedStatus(task.status as TaskStatus)) return { delivered: 0, skipped: 'task-closed', pendingExternal: 0 };
    const client = await clientsRepo.get(tx, job.tenantId, offboarding.clientId);
    if (!client) return { delivered: 0, skipped: 'offboarding-over', pendingExternal: 0 };
    const users = await usersRepo.list(tx, job.tenantId);
    const { subject, body } = messageFor(n, { clientName: client.name, taskTitle: task.title, link: `/offboardings/${offboarding.id}#${task.key}` });
    let delivered = 0;
    let pendingExternal = 0;
    for (const d of deliveriesFor(n, { task, users, client, offboarding })) {
      if (d.channel !== 'in-app') {
        // Email to the client's contact and the new provider arrives with the SMTP channel.
        pendingExternal++;
        continue;
      }
      const [row] = await tx
        .insert(notifications)
        .values({ id: newId(), tenantId: job.tenantId, key: n.key, offboardingId: offboarding.id, taskId: task.id, kind: n.kind, level: n.level, channel: 'in-app', recipient: d.userId, recipientUserId: d.userId, subject, body, fireAt: n.fireAt })
        .onConflictDoNothing()
        .returning({ id: notifications.id });
      if (!row) continue; // already delivered: a retry or a second scheduler
      delivered++;
      await appendAuditEvent(tx, job.tenantId, at, {
        actor: 'system',
        action: 'notification.sent',
        subject: { type: 'notification', id: row.id },
        offboardingId: offboarding.id,
        data: { key: n.key, kind: n.kind, level: n.level, channel: 'in-app', recipient: d.userId, task: task.key },
      });
    }
    return { delivered, skipped: null, pendingExternal };
  });
}

/** A user's in-app inbox, newest first. */
export async function inboxOf(app: App, tenantId: string, userId: string) {
  return app.database.db
    .select()
    .from(notifications)
    .where(and(eq(notifications.tenantId, tenantId), eq(notifications.recipientUserId, userId)))
    .orderBy(desc(notifications.fireAt), desc(notifications.createdAt), notifications.id);
}
