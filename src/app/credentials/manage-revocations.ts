/**
 * Working the revocation list: listing it (the vault's revoked credentials joined in), adding what
 * the vault does not hold, recording a revocation and how it was verified, and a manager's
 * accounting for one that cannot be. Each change audited on the offboarding, in its transaction.
 */
import { z } from 'zod';
import { revocationInWords } from '../../domain/credentials.ts';
import { InputError } from '../../domain/errors.ts';
import { revocationsRepo } from '../../storage/credentials-repository.ts';
import { evidenceRepo, usersRepo } from '../../storage/repositories.ts';
import { type Actor, type App, actorRef, newId, now, parseInput, transaction } from '../context.ts';
import { audit } from '../tasks/task-changes.ts';
import { NewRevocationInput, assertOffboarding, assertRevocation, itemOf, presentRevocation, saveRevocation } from './revocations.ts';

export async function listRevocations(app: App, actor: Actor, offboardingId: string) {
  const q = app.database.db;
  await assertOffboarding(q, actor, offboardingId);
  return { items: (await revocationsRepo.ofOffboarding(q, actor.tenantId, offboardingId)).map(presentRevocation) };
}

export async function addRevocation(app: App, actor: Actor, offboardingId: string, input: z.input<typeof NewRevocationInput>) {
  const data = parseInput(NewRevocationInput, input, 'revocation');
  const at = now(app);
  const id = newId();
  return transaction(app, async (tx) => {
    await assertOffboarding(tx, actor, offboardingId);
    await revocationsRepo.insert(tx, [
      {
        id,
        tenantId: actor.tenantId,
        offboardingId,
        what: data.what,
        kind: data.kind,
        createdBy: actorRef(actor),
        createdAt: at,
        updatedAt: at,
      },
    ]);
    await audit(tx, actor, at, {
      action: 'revocation.added',
      subject: { type: 'revocation', id },
      offboardingId,
      data: { what: data.what, kind: data.kind },
    });
    return presentRevocation(
      (await revocationsRepo.get(tx, actor.tenantId, id)) as NonNullable<Awaited<ReturnType<typeof revocationsRepo.get>>>,
    );
  });
}

const Instant = z.iso.datetime({ offset: true, message: 'must be a date and time like 2026-03-31T17:05:00Z' });

export const RecordRevocationInput = z
  .object({
    /** When access ended; now when left out. */
    revokedAt: Instant.optional(),
    verification: z
      .discriminatedUnion('method', [
        z.object({ method: z.literal('failed-login'), attemptedAt: Instant, screenshotId: z.string().min(1).max(100) }).strict(),
        z
          .object({
            method: z.literal('provider-answer'),
            answer: z.string().trim().min(1, 'must say what the provider answered').max(2000),
            answeredAt: Instant,
            evidenceId: z.string().min(1).max(100).optional(),
          })
          .strict(),
        z.object({ method: z.literal('cannot-verify'), reason: z.string().trim().min(1, 'must say why').max(2000) }).strict(),
      ])
      .optional(),
  })
  .strict();

/** Records the revocation (once) and how it was verified (a later check replaces an earlier one). */
export async function recordRevocation(app: App, actor: Actor, id: string, input: z.input<typeof RecordRevocationInput>) {
  const data = parseInput(RecordRevocationInput, input, 'revocation');
  const at = now(app);
  return transaction(app, async (tx) => {
    const row = await assertRevocation(tx, actor, id);
    const revokedAt = row.revokedAt ?? data.revokedAt ?? at;
    const file = async (evidenceId: string, path: string) => {
      const e = await evidenceRepo.get(tx, actor.tenantId, evidenceId);
      if (!e || e.offboardingId !== row.offboardingId)
        throw new InputError('invalid revocation', [
          { path, message: 'is not a file attached in this offboarding (upload it to the task first)' },
        ]);
      return { evidenceId: e.id, sha256: e.sha256, filename: e.filename };
    };
    const v = data.verification;
    if (v?.method === 'failed-login' && v.attemptedAt < revokedAt)
      throw new InputError('invalid revocation', [
        { path: 'verification.attemptedAt', message: `is before the revocation (${revokedAt}): a login before it proves nothing` },
      ]);
    const verification =
      v === undefined
        ? undefined
        : v.method === 'failed-login'
          ? { method: v.method, attemptedAt: v.attemptedAt, screenshot: await file(v.screenshotId, 'verification.screenshotId') }
          : v.method === 'provider-answer'
            ? {
                method: v.method,
                answer: v.answer,
                answeredAt: v.answeredAt,
                ...(v.evidenceId ? { evidence: await file(v.evidenceId, 'verification.evidenceId') } : {}),
              }
            : { method: v.method, reason: v.reason };
    const after = await saveRevocation(
      tx,
      row,
      {
        revokedAt,
        revokedBy: row.revokedBy ?? actorRef(actor),
        ...(verification ? { verification, verifiedBy: actorRef(actor) } : {}),
      },
      at,
    );
    await audit(tx, actor, at, {
      action: 'revocation.recorded',
      subject: { type: 'revocation', id },
      offboardingId: row.offboardingId,
      data: {
        what: row.what,
        kind: row.kind,
        ...(row.credentialId ? { credentialId: row.credentialId } : {}),
        revokedAt,
        ...(verification ? { verification } : {}),
        inWords: revocationInWords(itemOf(after)),
      },
    });
    return presentRevocation(after);
  });
}

export const AccountingInput = z.object({ reason: z.string().trim().min(1, 'must say why').max(2000) }).strict();

/** A manager accounts for an item that cannot be revoked or verified, with a reason the record keeps. */
export async function accountForRevocation(app: App, actor: Actor, id: string, input: z.input<typeof AccountingInput>) {
  const data = parseInput(AccountingInput, input, 'accounting');
  const at = now(app);
  return transaction(app, async (tx) => {
    const row = await assertRevocation(tx, actor, id);
    const person = actor.kind === 'user' ? await usersRepo.get(tx, actor.tenantId, actor.id) : undefined;
    const byName = person ? `${person.name}, ${person.role.replaceAll('-', ' ')}` : actorRef(actor);
    const after = await saveRevocation(tx, row, { accounted: { by: actorRef(actor), byName, reason: data.reason, at } }, at);
    await audit(tx, actor, at, {
      action: 'revocation.accounted',
      subject: { type: 'revocation', id },
      offboardingId: row.offboardingId,
      data: {
        what: row.what,
        kind: row.kind,
        ...(row.credentialId ? { credentialId: row.credentialId } : {}),
        reason: data.reason,
        inWords: revocationInWords(itemOf(after)),
      },
    });
    return presentRevocation(after);
  });
}
