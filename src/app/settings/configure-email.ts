/**
 * An MSP's own SMTP server for its notifications: host, port, TLS and credentials, stored sealed
 * (the password is a secret); without one, the server's SMTP_URL is used. A test message checks
 * the settings before anyone relies on them.
 */
import { and, eq } from 'drizzle-orm';
import { z } from 'zod';
import { ConflictError, NotFoundError } from '../../domain/errors.ts';
import { type Mailer, type MailerSource, type SmtpSettings, createMailer } from '../../integrations/email/mailer.ts';
import { channels } from '../../storage/schema.ts';
import { type Actor, type App, newId, now, parseInput, transaction } from '../context.ts';
import { audit } from '../tasks/task-changes.ts';

export const EmailSettingsInput = z
  .object({
    host: z.string().trim().min(1).max(253),
    port: z.number().int().min(1).max(65535),
    security: z.enum(['tls', 'starttls', 'none']),
    username: z.string().max(200).optional(),
    password: z.string().max(500).optional(),
    from: z.string().trim().min(3).max(300),
  })
  .strict();
type EmailSettings = z.output<typeof EmailSettingsInput>;

/** Stored in the channels table as kind "email": the whole configuration sealed, the host shown. */
const EMAIL = 'email';

export async function configureEmail(app: App, actor: Actor, input: z.input<typeof EmailSettingsInput>): Promise<{ host: string }> {
  const data = parseInput(EmailSettingsInput, input, 'email settings');
  if (!app.secrets) throw new ConflictError('this server has no secret key to store SMTP credentials with');
  const sealed = app.secrets.seal(JSON.stringify(data));
  const host = `${data.host}:${data.port}`;
  await transaction(app, async (tx) => {
    const [existing] = await tx
      .select()
      .from(channels)
      .where(and(eq(channels.tenantId, actor.tenantId), eq(channels.kind, EMAIL)));
    const id = existing?.id ?? newId();
    if (existing) await tx.update(channels).set({ urlSealed: sealed, urlHost: host }).where(eq(channels.id, id));
    else await tx.insert(channels).values({ id, tenantId: actor.tenantId, kind: EMAIL, urlSealed: sealed, urlHost: host });
    // Never the password: what changed, not the secret.
    await audit(tx, actor, now(app), {
      action: 'email.configured',
      subject: { type: 'channel', id },
      data: { host, security: data.security, username: data.username ?? null, from: data.from },
    });
  });
  return { host };
}

export async function removeEmailSettings(app: App, actor: Actor): Promise<void> {
  await transaction(app, async (tx) => {
    const [row] = await tx
      .delete(channels)
      .where(and(eq(channels.tenantId, actor.tenantId), eq(channels.kind, EMAIL)))
      .returning({ id: channels.id });
    if (!row) throw new NotFoundError('email settings', actor.tenantId);
    await audit(tx, actor, now(app), { action: 'email.removed', subject: { type: 'channel', id: row.id }, data: {} });
  });
}

/** Each tenant's own SMTP server when it set one, else the server's; one transport per configuration, reused. */
export function tenantMailers(app: App, fallback: Mailer | undefined): MailerSource {
  const cache = new Map<string, { sealed: string; mailer: Mailer }>();
  return {
    async forTenant(tenantId) {
      const [row] = await app.database.db
        .select()
        .from(channels)
        .where(and(eq(channels.tenantId, tenantId), eq(channels.kind, EMAIL)));
      if (!row || !app.secrets) return fallback;
      const cached = cache.get(tenantId);
      if (cached?.sealed === row.urlSealed) return cached.mailer;
      cached?.mailer.close();
      const settings = JSON.parse(app.secrets.open(row.urlSealed)) as EmailSettings;
      const mailer = createMailer({ smtp: settings satisfies SmtpSettings, from: settings.from });
      cache.set(tenantId, { sealed: row.urlSealed, mailer });
      return mailer;
    },
    close() {
      for (const { mailer } of cache.values()) mailer.close();
      fallback?.close();
    },
  };
}

export type TestResult = { ok: true } | { ok: false; error: string };

/** Sends one test message with the tenant's current settings and says what the server answered. */
export async function sendTestEmail(app: App, actor: Actor, mailers: MailerSource, to: string): Promise<TestResult> {
  const address = parseInput(z.object({ to: z.email() }).strict(), { to }, 'test').to;
  const mailer = await mailers.forTenant(actor.tenantId);
  if (!mailer) throw new ConflictError('no SMTP server is configured: set one in the email settings, or SMTP_URL on the server');
  try {
    await mailer.send({
      to: address,
      subject: 'offboard: test message',
      text: 'This is a test message from offboard. Email notifications will arrive like this one.',
      messageId: `<test-${newId()}@offboard>`,
    });
    return { ok: true };
  } catch (error) {
    return { ok: false, error: error instanceof Error ? error.message : String(error) };
  }
}
