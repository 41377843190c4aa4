import { and, eq } from 'drizzle-orm';
import { type Mailer, isPermanentMailError } from '../../integrations/email/mailer.ts';
import { notifications } from '../../storage/schema.ts';
import type { App } from '../context.ts';
import type { SendEmailJob } from '../jobs.ts';
import { PORTAL_LINK_PLACEHOLDER, SIGNING_CODE_PLACEHOLDER } from '../../domain/messages.ts';
import { portalLinkUrl, publicUrlOf } from '../portal/portal-links.ts';
import { recordDelivery } from './record-delivery.ts';

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
      text: withPortalLink(app, row.body, row.sealedLink),
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

/** A portal link's token, or a signing code, exists in clear only in the email itself: opened here, never stored so. */
function withPortalLink(app: App, body: string, sealedLink: string | null): string {
  if (sealedLink === null) return body;
  if (!app.secrets) throw new Error('a portal link cannot be sent without the server key that sealed it');
  const secret = app.secrets.open(sealedLink);
  if (body.includes(SIGNING_CODE_PLACEHOLDER)) return body.replace(SIGNING_CODE_PLACEHOLDER, secret);
  return body.replace(PORTAL_LINK_PLACEHOLDER, portalLinkUrl(publicUrlOf(app), secret));
}
