/**
 * Delivers one notification: resolves its recipient roles to people and channels, and writes
 * each delivery once per key, channel and recipient however often the job runs. In-app
 * deliveries are done at once, with their audit event; email and team-chat deliveries are
 * recorded pending and sent by their own jobs. A task finished since scheduling gets nothing.
 */
import { and, desc, eq, inArray } from 'drizzle-orm';
import { type App, newId, transaction } from '../app/context.ts';
import { deliveriesFor } from '../app/notifications/notification-recipients.ts';
import { isClosedStatus, type TaskStatus } from '../domain/vocabulary.ts';
import { ANNOUNCEMENT_KINDS, announcementFor, digestMessage, messageFor } from '../domain/messages.ts';
import { appendAuditEvent } from '../storage/audit-repository.ts';
import { sha256Hex } from '../app/digest.ts';
import { notificationSettingsOf } from '../app/notifications/notification-settings.ts';
import { currentVerifierKey } from '../app/log/transparency-log.ts';
import { type Mailer, type MailerSource, isPermanentMailError } from '../integrations/email/mailer.ts';
import { type ChatKind, chatPayload, postWebhook } from '../integrations/chat/webhooks.ts';
import { type UserRow, clientsRepo, offboardingsRepo, tasksRepo, tenantsRepo, usersRepo } from '../storage/repositories.ts';
import type { Tx } from '../storage/db.ts';
import type { OffboardingFacts } from '../domain/offboarding-case.ts';
import { type Preferences, type StaffNotificationKind, routeFor } from '../domain/notification-preferences.ts';
import { channels as chatChannels, clients, notifications, offboardings as offboardingsTable } from '../storage/schema.ts';
import type { PgBoss } from 'pg-boss';
import { type AnnounceJob, type NotifyJob, QUEUES, type SendChatJob, type SendDigestJob, type SendEmailJob, jobIdFor } from './jobs.ts';
import { jobsIn } from './queue.ts';

export type DeliveryResult = { delivered: number; skipped: 'task-closed' | 'offboarding-over' | null; pendingExternal: number };

export type DeliveryChannels = { mail?: MailerSource | undefined; chat?: boolean | undefined; boss?: PgBoss | undefined };

/** The channels as they stand for one tenant: email only where some SMTP server would send it. */
type TenantChannels = { email: boolean; chat?: boolean | undefined; boss?: PgBoss | undefined };

async function forTenant(channels: DeliveryChannels, tenantId: string): Promise<TenantChannels> {
  return {
    email: channels.mail ? (await channels.mail.forTenant(tenantId)) !== undefined : false,
    chat: channels.chat,
    boss: channels.boss,
  };
}

/** The team-chat kinds among the tenant's channels (the table also holds its SMTP settings). */
const CHAT_KINDS_OF_CHANNEL = ['slack', 'teams'] as const;

/** What a team channel hears about: escalations and new offboardings, not every reminder. */
const CHAT_KINDS = new Set(['escalation', 'gate-escalation', 'internal-notification']);

type DeliveryBase = Omit<typeof notifications.$inferInsert, 'id' | 'channel' | 'recipient'> & {
  tenantId: string;
  key: string;
  kind: string;
};

/**
 * Writes one notification's deliveries inside its transaction, each at most once per key,
 * channel and recipient: in-app at once (audited), email and chat recorded pending and handed to
 * their queue, staff email held for the daily digest when the person asked for one.
 */
function deliveryWriter(tx: Tx, channels: TenantChannels, base: DeliveryBase, at: string, tenantPreferences: Preferences | undefined) {
  let delivered = 0;
  let pendingExternal = 0;
  const record = async (channel: string, recipient: string, extra: Partial<typeof notifications.$inferInsert>) => {
    const [row] = await tx
      .insert(notifications)
      .values({ id: newId(), ...base, channel, recipient, ...extra })
      .onConflictDoNothing()
      .returning({ id: notifications.id });
    return row?.id;
  };
  const queue = async (
    name: typeof QUEUES.sendEmail | typeof QUEUES.sendChat,
    channel: string,
    recipient: string,
    extra: Partial<typeof notifications.$inferInsert> = {},
  ) => {
    const deliveryId = await record(channel, recipient, { status: 'pending', ...extra });
    if (!deliveryId || !channels.boss) return undefined;
    const payload: SendEmailJob | SendChatJob = { tenantId: base.tenantId, deliveryId };
    await channels.boss.send(name, payload, { db: jobsIn(tx), id: jobIdFor(`${channel}:${deliveryId}`) });
    delivered++;
    return deliveryId;
  };
  /** The new email delivery's id; undefined when it was made before, or there is no SMTP to send it with. */
  const email = async (address: string, extra: Partial<typeof notifications.$inferInsert> = {}) => {
    if (channels.email && channels.boss) return queue(QUEUES.sendEmail, 'email', address, extra);
    pendingExternal++;
    return undefined;
  };
  return {
    external: async (address: string) => {
      await email(address);
    },
    async staff(user: UserRow, kind: StaffNotificationKind, auditData: Record<string, unknown>) {
      const route = routeFor(kind, tenantPreferences, user.preferences);
      if (route.inApp) {
        const id = await record('in-app', user.id, { recipientUserId: user.id, deliveredAt: at });
        if (id) {
          delivered++;
          await appendAuditEvent(tx, base.tenantId, at, {
            actor: 'system',
            action: 'notification.sent',
            subject: { type: 'notification', id },
            offboardingId: base.offboardingId ?? undefined,
            data: { key: base.key, kind: base.kind, level: base.level ?? 0, channel: 'in-app', recipient: user.id, ...auditData },
          });
        }
      }
      if (route.email === 'now') await email(user.email, { recipientUserId: user.id });
      else if (route.email === 'digest' && (await record('email', user.email, { status: 'held', recipientUserId: user.id }))) delivered++;
    },
    async chat(tenantId: string) {
      if (!channels.chat || !channels.boss || !CHAT_KINDS.has(base.kind)) return;
      const chats = await tx
        .select()
        .from(chatChannels)
        .where(and(eq(chatChannels.tenantId, tenantId), inArray(chatChannels.kind, [...CHAT_KINDS_OF_CHANNEL])));
      for (const channel of chats) await queue(QUEUES.sendChat, channel.kind, channel.id);
    },
    /** A daily digest to one person: email now, whatever their per-kind choices. */
    digest: (user: UserRow) => email(user.email, { recipientUserId: user.id }),
    result: () => ({ delivered, pendingExternal }),
  };
}

const preferencesOf = (tenant: { settings: Record<string, unknown> } | undefined) =>
  notificationSettingsOf(tenant?.settings ?? {}).preferences;

export async function deliverNotification(app: App, job: NotifyJob, channels: DeliveryChannels = {}): Promise<DeliveryResult> {
  const n = job.notification;
  const at = app.clock().toISOString();
  // Resolved before the transaction: the embedded database runs one transaction at a time, and waits for it.
  const tenantChannels = await forTenant(channels, job.tenantId);
  return transaction(app, async (tx) => {
    const task = await tasksRepo.get(tx, job.tenantId, job.taskId);
    const offboarding = await offboardingsRepo.get(tx, job.tenantId, n.offboardingId);
    if (!task || !offboarding || (offboarding.status !== 'active' && offboarding.status !== 'closing'))
      return { delivered: 0, skipped: 'offboarding-over', pendingExternal: 0 };
    if (isClosedStatus(task.status as TaskStatus)) return { delivered: 0, skipped: 'task-closed', pendingExternal: 0 };
    const client = await clientsRepo.get(tx, job.tenantId, offboarding.clientId);
    if (!client) return { delivered: 0, skipped: 'offboarding-over', pendingExternal: 0 };
    const users = await usersRepo.list(tx, job.tenantId);
    const verifierKey = n.kind === 'gate-reminder' ? await currentVerifierKey(tx, app, job.tenantId) : undefined;
    const { subject, body } = messageFor(n, {
      clientName: client.name,
      taskTitle: task.title,
      link: `/offboardings/${offboarding.id}#${task.key}`,
      verifierKey,
    });
    const base = {
      tenantId: job.tenantId,
      key: n.key,
      offboardingId: offboarding.id,
      taskId: task.id,
      kind: n.kind,
      level: n.level,
      subject,
      body,
      fireAt: n.fireAt,
    };
    const writer = deliveryWriter(tx, tenantChannels, base, at, preferencesOf(await tenantsRepo.get(tx, job.tenantId)));
    const byId = new Map(users.map((u) => [u.id, u] as const));
    for (const d of deliveriesFor(n, { task, users, client, offboarding })) {
      if (d.channel === 'email') await writer.external(d.address);
      else {
        const user = byId.get(d.userId);
        if (user) await writer.staff(user, n.kind, { task: task.key });
      }
    }
    await writer.chat(job.tenantId);
    return { ...writer.result(), skipped: null };
  });
}

/**
 * The messages an offboarding opens with: the acknowledgement to the client's authorized
 * contact (the account manager gets a copy in the app), and the notice to everyone on the MSP's
 * side who has a part in it, with the team channels. Marks the offboarding announced.
 */
export async function deliverAnnouncement(
  app: App,
  job: AnnounceJob,
  channels: DeliveryChannels = {},
): Promise<{ delivered: number; pendingExternal: number } | 'not-needed'> {
  const at = app.clock().toISOString();
  const tenantChannels = await forTenant(channels, job.tenantId);
  return transaction(app, async (tx) => {
    const offboarding = await offboardingsRepo.get(tx, job.tenantId, job.offboardingId);
    if (!offboarding || offboarding.announcedAt) return 'not-needed';
    // Marked first: a concurrent second run waits on this row, then finds it announced.
    await tx.update(offboardingsTable).set({ announcedAt: at }).where(eq(offboardingsTable.id, offboarding.id));
    if (offboarding.status !== 'active') return 'not-needed';
    const [client, users, tasks, tenant] = [
      await clientsRepo.get(tx, job.tenantId, offboarding.clientId),
      await usersRepo.list(tx, job.tenantId),
      await tasksRepo.ofOffboarding(tx, job.tenantId, offboarding.id),
      await tenantsRepo.get(tx, job.tenantId),
    ];
    if (!client) return 'not-needed';
    const facts = offboarding.facts as OffboardingFacts;
    const active = users.filter((u) => !u.disabledAt);
    const byId = new Map(active.map((u) => [u.id, u] as const));
    const accountManager = byId.get(client.team['account-manager'] ?? '') ?? active.find((u) => u.role === 'account-manager');
    const ordered = [...tasks].sort((a, b) => a.dueAt.localeCompare(b.dueAt) || a.key.localeCompare(b.key));
    const ctx = {
      clientName: client.name,
      mspName: tenant?.name ?? 'Your IT provider',
      accountManager: accountManager ? { name: accountManager.name, email: accountManager.email } : undefined,
      noticeDate: offboarding.noticeDate,
      endDate: offboarding.endDate,
      revocationDate: offboarding.revocationDate ?? offboarding.endDate,
      newProvider: offboarding.newProvider?.name,
      needsAuthorization: tasks.some((t) => t.key === 'client-authorization') || facts.newProvider !== undefined,
      tasks: tasks.length,
      firstDue: ordered
        .slice(0, 5)
        .map((t) => ({ title: t.title, due: t.due, assignee: byId.get(t.assigneeId ?? '')?.name ?? `unassigned ${t.role}` })),
      link: `/offboardings/${offboarding.id}`,
      verifierKey: await currentVerifierKey(tx, app, job.tenantId),
    };
    const preferences = preferencesOf(tenant);
    let delivered = 0;
    let pendingExternal = 0;
    for (const kind of ANNOUNCEMENT_KINDS) {
      const { subject, body } = announcementFor(kind, ctx);
      const writer = deliveryWriter(
        tx,
        tenantChannels,
        {
          tenantId: job.tenantId,
          key: `${offboarding.id}:announce:${kind}`,
          offboardingId: offboarding.id,
          taskId: null,
          kind,
          level: 0,
          subject,
          body,
          fireAt: at,
        },
        at,
        preferences,
      );
      if (kind === 'termination-acknowledgement') {
        const signers = client.contacts.filter((c) => c.authorizedSigner);
        for (const contact of signers.length > 0 ? signers : client.contacts.slice(0, 1)) await writer.external(contact.email);
        if (accountManager) await writer.staff(accountManager, kind, {});
      } else {
        const team = new Set([...Object.values(client.team), ...tasks.map((t) => t.assigneeId).filter((id): id is string => id !== null)]);
        if (accountManager) {
          team.add(accountManager.id);
          if (accountManager.managerId) team.add(accountManager.managerId);
        }
        for (const id of team) {
          const user = byId.get(id);
          if (user) await writer.staff(user, kind, {});
        }
        await writer.chat(job.tenantId);
      }
      delivered += writer.result().delivered;
      pendingExternal += writer.result().pendingExternal;
    }
    return { delivered, pendingExternal };
  });
}

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

/** A user's in-app inbox, newest first. */
export async function inboxOf(app: App, tenantId: string, userId: string) {
  return app.database.db
    .select()
    .from(notifications)
    .where(and(eq(notifications.tenantId, tenantId), eq(notifications.recipientUserId, userId), eq(notifications.channel, 'in-app')))
    .orderBy(desc(notifications.fireAt), desc(notifications.createdAt), notifications.id);
}

export type SendResult = 'sent' | 'already-done' | 'failed';

/**
 * Sends one pending email delivery. Success marks it sent, with its audit event; a permanent
 * refusal (SMTP 5xx) or the last retry marks it failed with the reason and stops; anything
 * else throws, and pg-boss retries with backoff.
 */
export async function sendEmailDelivery(
  app: App,
  mailer: Mailer | undefined,
  job: SendEmailJob,
  attempt: { retryCount: number; retryLimit: number },
): Promise<SendResult> {
  const [row] = await app.database.db
    .select()
    .from(notifications)
    .where(and(eq(notifications.tenantId, job.tenantId), eq(notifications.id, job.deliveryId)));
  if (!row || row.status !== 'pending') return 'already-done';
  const record = (status: 'sent' | 'failed', error: string | null) => recordDelivery(app, row, status, error);
  if (!mailer) {
    // The SMTP settings were removed after this was queued.
    await record('failed', 'no SMTP server is configured');
    return 'failed';
  }
  try {
    await mailer.send({
      to: row.recipient,
      subject: row.subject,
      text: row.body,
      messageId: `<${row.id}@offboard>`,
      attachments: row.attachments ?? undefined,
    });
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    if (isPermanentMailError(error) || attempt.retryCount >= attempt.retryLimit) {
      await record('failed', reason);
      return 'failed';
    }
    await app.database.db
      .update(notifications)
      .set({ attempts: row.attempts + 1, error: reason })
      .where(eq(notifications.id, row.id));
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
      offboardingId: row.offboardingId ?? undefined,
      data: {
        key: row.key,
        kind: row.kind,
        level: row.level,
        channel: row.channel,
        recipient: row.recipient,
        subjectSha256: sha256Hex(row.subject),
        ...(error ? { error } : {}),
      },
    });
  });
}
