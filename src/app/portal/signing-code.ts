/**
 * The optional second factor for signing (issue 12): when the MSP asks for it, a signer types a
 * six-digit code emailed to the address their link proved. One code per portal session at a time,
 * 10 minutes, five tries; stored only as its SHA-256 with the session, and in the outbox only
 * sealed with the server key until the mail server takes it.
 */
import { randomInt, timingSafeEqual } from 'node:crypto';
import { and, eq, isNotNull, sql } from 'drizzle-orm';
import { ConflictError, InputError } from '../../domain/errors.ts';
import { signingCodeMessage } from '../../domain/messages.ts';
import type { Queryable, Tx } from '../../storage/db.ts';
import { offboardingsRepo, tenantsRepo } from '../../storage/repositories.ts';
import { portalSessions } from '../../storage/schema.ts';
import { AuthError, countAttempt } from '../accounts/sign-in.ts';
import { type App, newId, now, transaction } from '../context.ts';
import { sha256Hex } from '../digest.ts';
import { linkWords } from './parties.ts';
import { type PortalActor, partyRef } from './portal-access.ts';
import { queueWrittenEmail } from './portal-links.ts';
import { appendAuditEvent } from '../../storage/audit-repository.ts';

export const SIGNING_CODE_KIND = 'signing-code';
export const SIGNING_CODE_MINUTES = 10;
export const SIGNING_CODE_TRIES = 5;
/** Codes a party may ask for in 15 minutes. */
export const SIGNING_CODES_PER_PARTY = 5;

/** Whether this MSP asks signers for an emailed code (Settings, portal). */
export async function signingCodeRequired(q: Queryable, tenantId: string): Promise<boolean> {
  const tenant = await tenantsRepo.get(q, tenantId);
  const portal = tenant?.settings.portal as { signingCode?: unknown } | undefined;
  return portal?.signingCode === true;
}

const codeHash = (sessionHash: string, code: string) => sha256Hex(`${sessionHash}:${code}`);

/** Emails a fresh code to the signer's address; an earlier one of this session stops working. */
export async function requestSigningCode(app: App, actor: PortalActor): Promise<{ sentTo: string; expiresAt: string }> {
  const at = now(app);
  if (!app.secrets) throw new ConflictError('this server cannot send codes without its key');
  if ((await countAttempt(app.database.db, [`portal-code:${actor.partyId}`], at)) > SIGNING_CODES_PER_PARTY)
    throw new AuthError('rate-limited', 'too many codes asked for; try again in 15 minutes');
  const code = String(randomInt(0, 1_000_000)).padStart(6, '0');
  const expiresAt = new Date(Date.parse(at) + SIGNING_CODE_MINUTES * 60_000).toISOString();
  const secrets = app.secrets;
  await transaction(app, async (tx) => {
    const offboarding = await offboardingsRepo.get(tx, actor.tenantId, actor.offboardingId);
    if (!offboarding) throw new ConflictError('the hand-over is gone');
    await tx
      .update(portalSessions)
      .set({ codeHash: codeHash(actor.sessionHash, code), codeSentAt: at, codeExpiresAt: expiresAt, codeAttempts: 0 })
      .where(eq(portalSessions.tokenHash, actor.sessionHash));
    const words = await linkWords(tx, offboarding);
    const mail = signingCodeMessage({ mspName: words.mspName, clientName: words.clientName, minutes: SIGNING_CODE_MINUTES });
    const id = newId();
    await queueWrittenEmail(tx, app, {
      id,
      tenantId: actor.tenantId,
      key: `${actor.offboardingId}:${SIGNING_CODE_KIND}:${id}`,
      offboardingId: actor.offboardingId,
      kind: SIGNING_CODE_KIND,
      recipient: actor.email,
      subject: mail.subject,
      body: mail.body,
      sealed: secrets.seal(code),
      at,
    });
    await appendAuditEvent(tx, actor.tenantId, at, {
      actor: partyRef(actor),
      action: 'portal.signing-code-sent',
      subject: { type: 'party', id: actor.partyId },
      offboardingId: actor.offboardingId,
      data: { email: actor.email, expiresAt },
    });
  });
  return { sentTo: actor.email, expiresAt };
}

/**
 * Checks a typed code against this session's, counting the try in its own statement (a wrong
 * code is remembered even though the signing it came with is refused). Returns the code's
 * digest, which the signing transaction uses up.
 */
export async function checkSigningCode(app: App, actor: PortalActor, code: string | undefined): Promise<{ hash: string; sentAt: string }> {
  if (code === undefined)
    throw new InputError('invalid signature', [{ path: 'code', message: 'is required: ask for a code by email first' }]);
  const [row] = await app.database.db
    .update(portalSessions)
    .set({ codeAttempts: sql`${portalSessions.codeAttempts} + 1` })
    .where(and(eq(portalSessions.tokenHash, actor.sessionHash), isNotNull(portalSessions.codeHash)))
    .returning({
      hash: portalSessions.codeHash,
      sentAt: portalSessions.codeSentAt,
      expiresAt: portalSessions.codeExpiresAt,
      attempts: portalSessions.codeAttempts,
    });
  const wrong = (message: string) => new InputError('invalid signature', [{ path: 'code', message }]);
  if (!row?.hash || !row.expiresAt || !row.sentAt) throw wrong('is required: ask for a code by email first');
  if (row.attempts > SIGNING_CODE_TRIES) throw wrong('was tried too often: ask for a new code');
  if (Date.parse(row.expiresAt) <= app.clock().getTime()) throw wrong('has expired: ask for a new code');
  const typed = Buffer.from(codeHash(actor.sessionHash, code));
  if (!timingSafeEqual(typed, Buffer.from(row.hash))) throw wrong('is not the code we sent');
  return { hash: row.hash, sentAt: row.sentAt };
}

/** Uses the checked code up in the signing transaction: a code signs once. */
export async function useSigningCode(tx: Tx, actor: PortalActor, hash: string): Promise<void> {
  const used = await tx
    .update(portalSessions)
    .set({ codeHash: null })
    .where(and(eq(portalSessions.tokenHash, actor.sessionHash), eq(portalSessions.codeHash, hash)))
    .returning({ at: portalSessions.codeSentAt });
  if (used.length === 0) throw new InputError('invalid signature', [{ path: 'code', message: 'was used already: ask for a new code' }]);
}
