/**
 * How a notification's deliveries are written: once per key, channel and recipient however often
 * a job runs; in-app at once (audited), email and team chat recorded pending and handed to their
 * queue in the same transaction, staff email held for a daily digest when the person asked for one.
 * The transports themselves are in src/integrations (SMTP, Slack/Teams webhooks).
 */
import { and, eq, inArray } from 'drizzle-orm';
import type { PgBoss } from 'pg-boss';
import { type Preferences, type StaffNotificationKind, routeFor } from '../../domain/notification-preferences.ts';
import type { MailerSource } from '../../integrations/email/mailer.ts';
import { appendAuditEvent } from '../../storage/audit-repository.ts';
import type { Tx } from '../../storage/db.ts';
import type { UserRow } from '../../storage/repositories.ts';
import { channels as chatChannels, notifications } from '../../storage/schema.ts';
import { newId } from '../context.ts';
import { QUEUES, type SendChatJob, type SendEmailJob, jobIdFor, jobsIn } from '../jobs.ts';
import { notificationSettingsOf } from './notification-settings.ts';

export type DeliveryChannels = { mail?: MailerSource | undefined; chat?: boolean | undefined; boss?: PgBoss | undefined };

/** The channels as they stand for one tenant: email only where some SMTP server would send it. */
export type TenantChannels = { email: boolean; chat?: boolean | undefined; boss?: PgBoss | undefined };

export async function forTenant(channels: DeliveryChannels, tenantId: string): Promise<TenantChannels> {
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

export type DeliveryBase = Omit<typeof notifications.$inferInsert, 'id' | 'channel' | 'recipient'> & {
  tenantId: string;
  key: string;
  kind: string;
};

/**
 * Writes one notification's deliveries inside its transaction, each at most once per key,
 * channel and recipient: in-app at once (audited), email and chat recorded pending and handed to
 * their queue, staff email held for the daily digest when the person asked for one.
 */
export function deliveryWriter(
  tx: Tx,
  channels: TenantChannels,
  base: DeliveryBase,
  at: string,
  tenantPreferences: Preferences | undefined,
) {
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
            data: {
              key: base.key,
              kind: base.kind,
              level: base.level ?? 0,
              channel: 'in-app',
              recipient: user.id,
              recipientName: user.name,
              ...auditData,
            },
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

export const preferencesOf = (tenant: { settings: Record<string, unknown> } | undefined) =>
  notificationSettingsOf(tenant?.settings ?? {}).preferences;
