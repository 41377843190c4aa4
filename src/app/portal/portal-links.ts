/**
 * Portal links: a single-use token, emailed, exchanged for a portal session. Only its SHA-256 is
 * stored; the email's body holds a placeholder and the token travels sealed with the server's key
 * until the mail server takes it, then that sealed copy is erased. Written in the caller's
 * transaction with its audit event; sent by the email queue.
 */
import { randomBytes } from 'node:crypto';
import { type PortalLinkContext, portalLinkMessage } from '../../domain/messages.ts';
import { appendAuditEvent } from '../../storage/audit-repository.ts';
import type { Tx } from '../../storage/db.ts';
import type { PartyRow } from '../../storage/repositories.ts';
import { type MailAttachment, notifications, portalLinks } from '../../storage/schema.ts';
import { tokenHash } from '../accounts/sign-in.ts';
import { type App, newId } from '../context.ts';
import { QUEUES, type SendEmailJob, jobIdFor, jobsIn } from '../jobs.ts';

export const PORTAL_LINK_DAYS = 14;
export const PORTAL_SESSION_HOURS = 12;
export const PORTAL_LINK_KIND = 'portal-link';
/** The email that brings a signer their signing certificate. */
export const SIGNING_CERTIFICATE_KIND = 'signing-certificate';

/** The address people open this server at (OFFBOARD_PUBLIC_URL, else where it listens; the default port without a server). */
export const publicUrlOf = (app: App): string => (app.publicUrl ?? 'http://127.0.0.1:3000').replace(/\/+$/, '');

/** Where the emailed link points: the token rides in the fragment, which browsers never send to a server or in a Referer. */
export const portalLinkUrl = (publicUrl: string, token: string): string => `${publicUrl.replace(/\/+$/, '')}/portal/open#${token}`;

/** An email a use case writes about one offboarding: to one address, sent once per key. */
export type WrittenEmail = {
  id?: string | undefined;
  tenantId: string;
  offboardingId: string;
  kind: string;
  key: string;
  recipient: string;
  subject: string;
  body: string;
  at: string;
  /** A secret (a portal link's token, a signing code) sealed with the server key, put into the body when sent. */
  sealed?: string | undefined;
  attachments?: MailAttachment[] | undefined;
};

/** An email written by a use case, pending: handed to the queue now when this process has one, else by the next tick. */
export async function queueWrittenEmail(tx: Tx, app: App, email: WrittenEmail): Promise<boolean> {
  const id = email.id ?? newId();
  const [inserted] = await tx
    .insert(notifications)
    .values({
      id,
      tenantId: email.tenantId,
      key: email.key,
      offboardingId: email.offboardingId,
      taskId: null,
      kind: email.kind,
      level: 0,
      channel: 'email',
      recipient: email.recipient,
      subject: email.subject,
      body: email.body,
      sealedLink: email.sealed ?? null,
      attachments: email.attachments ?? null,
      fireAt: email.at,
      status: 'pending',
    })
    .onConflictDoNothing()
    .returning({ id: notifications.id });
  if (!inserted) return false;
  if (app.jobs) {
    const job: SendEmailJob = { tenantId: email.tenantId, deliveryId: id };
    await app.jobs.send(QUEUES.sendEmail, job, { db: jobsIn(tx), id: jobIdFor(`email:${id}`) });
  }
  return true;
}

export async function issuePortalLink(
  tx: Tx,
  app: App,
  party: PartyRow,
  words: Omit<PortalLinkContext, 'partyName' | 'side' | 'expiresOn' | 'reason'>,
  reason: PortalLinkContext['reason'],
  actor: string,
  at: string,
): Promise<{ expiresAt: string }> {
  if (!app.secrets) throw new Error('portal links need the server key (secret.key) to seal the link until it is sent');
  const token = randomBytes(32).toString('base64url');
  const hash = tokenHash(token);
  const expiresAt = new Date(Date.parse(at) + PORTAL_LINK_DAYS * 86_400_000).toISOString();
  await tx.insert(portalLinks).values({ tokenHash: hash, tenantId: party.tenantId, partyId: party.id, createdAt: at, expiresAt });
  const { subject, body } = portalLinkMessage({
    ...words,
    partyName: party.name,
    side: party.side as PortalLinkContext['side'],
    reason,
    expiresOn: expiresAt.slice(0, 10),
  });
  const deliveryId = newId();
  await queueWrittenEmail(tx, app, {
    id: deliveryId,
    tenantId: party.tenantId,
    // One delivery per link: the link's hash (never the token) keeps the key unique.
    key: `${party.offboardingId}:${PORTAL_LINK_KIND}:${party.id}:${hash.slice(0, 16)}`,
    offboardingId: party.offboardingId,
    kind: PORTAL_LINK_KIND,
    recipient: party.email,
    subject,
    body,
    sealed: app.secrets.seal(token),
    at,
  });
  await appendAuditEvent(tx, party.tenantId, at, {
    actor,
    action: reason === 'invitation' ? 'party.invited' : 'portal.link-sent',
    subject: { type: 'party', id: party.id },
    offboardingId: party.offboardingId,
    data: { side: party.side, name: party.name, email: party.email, expiresAt, linkSha256: hash, deliveryId },
  });
  return { expiresAt };
}
