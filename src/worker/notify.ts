/**
 * Delivers one notification: resolves its recipient roles to people and channels, and writes
 * each delivery once per key, channel and recipient however often the job runs. In-app
 * deliveries are done at once, with their audit event; email and team-chat deliveries are
 * recorded pending and sent by their own jobs. A task finished since scheduling gets nothing.
 */
import { and, desc, eq } from 'drizzle-orm';
import { type App, newId, transaction } from '../app/context.ts';
import { deliveriesFor } from '../app/notification-recipients.ts';
import { isClosedStatus, type TaskStatus } from '../domain/vocabulary.ts';
import { messageFor } from '../domain/messages.ts';
import { appendAuditEvent } from '../storage/audit-repository.ts';
import { sha256Hex } from '../app/digest.ts';
import { type Mailer, isPermanentMailError } from '../integrations/email/mailer.ts';
import { type ChatKind, chatPayload, postWebhook } from '../integrations/chat/webhooks.ts';
import { clientsRepo, offboardingsRepo, tasksRepo, usersRepo } from '../storage/repositories.ts';
import { channels as chatChannels, clients, notifications, offboardings as offboardingsTable } from '../storage/schema.ts';
import type { PgBoss } from 'pg-boss';
import { type NotifyJob, QUEUES, type SendChatJob, type SendEmailJob, jobIdFor } from './jobs.ts';
import { jobsIn } from './queue.ts';

export type DeliveryResult = { delivered: number; skipped: 'task-closed' | 'offboarding-over' | null; pendingExternal: number };

export type DeliveryChannels = { email: boolean; chat?: boolean | undefined; boss?: PgBoss | undefined };

/** What a team channel hears about: escalations, not every reminder. */
const CHAT_KINDS = new Set(['escalation', 'gate-escalation']);

export async function deliverNotification(app: App, job: NotifyJob, channels: DeliveryChannels = { email: false }): Promise<DeliveryResult> {
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
    const base = { tenantId: job.tenantId, key: n.key, offboardingId: offboarding.id, taskId: task.id, kind: n.kind, level: n.level, subject, body, fireAt: n.fireAt };
    /** Writes one delivery unless this key already reached this recipient on this channel; its id, or undefined. */
    const record = async (channel: string, recipient: string, extra: Partial<typeof notifications.$inferInsert>) => {
      const [row] = await tx
        .insert(notifications)
        .values({ id: newId(), ...base, channel, recipient, ...extra })
        .onConflictDoNothing()
        .returning({ id: notifications.id });
      return row?.id;
    };
    /** Email and chat are recorded pending and handed to their queue in this transaction: sent once, retried with backoff. */
    const queue = async (name: typeof QUEUES.sendEmail | typeof QUEUES.sendChat, channel: string, recipient: string) => {
      const deliveryId = await record(channel, recipient, { status: 'pending' });
      if (!deliveryId || !channels.boss) return false;
      const payload: SendEmailJob | SendChatJob = { tenantId: job.tenantId, deliveryId };
      await channels.boss.send(name, payload, { db: jobsIn(tx), id: jobIdFor(`${channel}:${deliveryId}`) });
      return true;
    };

    let delivered = 0;
    let pendingExternal = 0;
    for (const d of deliveriesFor(n, { task, users, client, offboarding })) {
      if (d.channel === 'email') {
        if (!channels.email || !channels.boss) pendingExternal++; // no SMTP configured: nothing to send it with
        else if (await queue(QUEUES.sendEmail, 'email', d.address)) delivered++;
        continue;
      }
      const id = await record('in-app', d.userId, { recipientUserId: d.userId, deliveredAt: at });
      if (!id) continue; // already delivered: a retry or a second scheduler
      delivered++;
      await appendAuditEvent(tx, job.tenantId, at, {
        actor: 'system',
        action: 'notification.sent',
        subject: { type: 'notification', id },
        offboardingId: offboarding.id,
        data: { key: n.key, kind: n.kind, level: n.level, channel: 'in-app', recipient: d.userId, task: task.key },
      });
    }
    if (channels.chat && channels.boss && CHAT_KINDS.has(n.kind)) {
      for (const channel of await tx.select().from(chatChannels).where(eq(chatChannels.tenantId, job.tenantId))) {
        if (await queue(QUEUES.sendChat, channel.kind, channel.id)) delivered++;
      }
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

export type SendResult = 'sent' | 'already-done' | 'failed';

/**
 * Sends one pending email delivery. Success marks it sent, with its audit event; a permanent
 * refusal (SMTP 5xx) or the last retry marks it failed with the reason and stops; anything
 * else throws, and pg-boss retries with backoff.
 */
export async function sendEmailDelivery(app: App, mailer: Mailer, job: SendEmailJob, attempt: { retryCount: number; retryLimit: number }): Promise<SendResult> {
  const [row] = await app.database.db
    .select()
    .from(notifications)
    .where(and(eq(notifications.tenantId, job.tenantId), eq(notifications.id, job.deliveryId)));
  if (!row || row.status !== 'pending') return 'already-done';
  const record = (status: 'sent' | 'failed', error: string | null) => recordDelivery(app, row, status, error);
  try {
    await mailer.send({ to: row.recipient, subject: row.subject, text: row.body, messageId: `<${row.id}@offboard>` });
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    if (isPermanentMailError(error) || attempt.retryCount >= attempt.retryLimit) {
      await record('failed', reason);
      return 'failed';
    }
    await app.database.db.update(notifications).set({ attempts: row.attempts + 1, error: reason }).where(eq(notifications.id, row.id));
    throw error;
  }
  await record('sent', null);
  return 'sent';
}

/**
 * Posts one pending chat delivery to its Slack or Teams webhook. 2xx: sent. A 4xx (Slack's
 * no_service, channel_is_archived...) or the last retry: failed, with the answer as the reason.
 * Otherwise it throws, and pg-boss retries with backoff.
 */
export async function sendChatDelivery(app: App, job: SendChatJob, attempt: { retryCount: number; retryLimit: number }): Promise<SendResult> {
  const db = app.database.db;
  const [row] = await db.select().from(notifications).where(and(eq(notifications.tenantId, job.tenantId), eq(notifications.id, job.deliveryId)));
  if (!row || row.status !== 'pending') return 'already-done';
  const [channel] = await db.select().from(chatChannels).where(and(eq(chatChannels.tenantId, job.tenantId), eq(chatChannels.id, row.recipient)));
  const finish = (status: 'sent' | 'failed', error: string | null) => recordDelivery(app, row, status, error);
  if (!channel || !app.secrets) {
    await finish('failed', channel ? 'no secret key to open the webhook URL with' : 'the channel was removed');
    return 'failed';
  }
  const [context] = await db
    .select({ client: clients.name })
    .from(offboardingsTable)
    .innerJoin(clients, eq(clients.id, offboardingsTable.clientId))
    .where(eq(offboardingsTable.id, row.offboardingId));
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
  await db.update(notifications).set({ attempts: row.attempts + 1, error: result.reason }).where(eq(notifications.id, row.id));
  throw new Error(`webhook answered ${result.reason}`);
}

type DeliveryRow = typeof notifications.$inferSelect;

/** Marks a pending delivery sent or failed, with its audit event, in one transaction. */
async function recordDelivery(app: App, row: DeliveryRow, status: 'sent' | 'failed', error: string | null): Promise<void> {
  const at = app.clock().toISOString();
  await transaction(app, async (tx) => {
    await tx
      .update(notifications)
      .set({ status, error, attempts: row.attempts + 1, deliveredAt: status === 'sent' ? at : null })
      .where(and(eq(notifications.id, row.id), eq(notifications.status, 'pending')));
    await appendAuditEvent(tx, row.tenantId, at, {
      actor: 'system',
      action: status === 'sent' ? 'notification.sent' : 'notification.failed',
      subject: { type: 'notification', id: row.id },
      offboardingId: row.offboardingId,
      data: { key: row.key, kind: row.kind, level: row.level, channel: row.channel, recipient: row.recipient, subjectSha256: sha256Hex(row.subject), ...(error ? { error } : {}) },
    });
  });
}
