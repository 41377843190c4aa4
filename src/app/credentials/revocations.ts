/**
 * The revocation list of an offboarding: every vault credential whose disposition is revoke (kept
 * in step with the vault), and what staff add by hand (MFA registrations, delegated admin, VPN
 * access, API keys). Each item says when it was revoked, how that was verified, or a manager's
 * accounting. It backs `access-revocation` and `mfa-cleanup`.
 */
import { z } from 'zod';
import {
  type CredentialKind,
  REVOCATION_KINDS,
  type RevocationCheck,
  type RevocationItem,
  type RevocationKind,
  revocationGap,
  revocationInWords,
  revocationKindOf,
  revocationSettled,
  revocationTaskOf,
} from '../../domain/credentials.ts';
import { ConflictError, NotFoundError } from '../../domain/errors.ts';
import type { Queryable, Tx } from '../../storage/db.ts';
import { type RevocationRow, credentialsRepo, revocationsRepo } from '../../storage/credentials-repository.ts';
import { type OffboardingRow, type TaskRow, offboardingsRepo } from '../../storage/repositories.ts';
import { type Actor, newId } from '../context.ts';
import { isoInstant } from '../present.ts';

export const NewRevocationInput = z
  .object({
    what: z
      .string()
      .trim()
      .min(1, 'must not be empty')
      .max(300)
      .refine((s) => !s.includes('\u0000'), 'must not contain a NUL character'),
    kind: z.enum(REVOCATION_KINDS),
  })
  .strict();

export const itemOf = (row: RevocationRow): RevocationItem & { what: string } => ({
  what: row.what,
  kind: row.kind as RevocationKind,
  revokedAt: row.revokedAt ? isoInstant(row.revokedAt) : null,
  check: (row.verification as RevocationCheck | null) ?? null,
  accounted: row.accounted ? { by: row.accounted.byName, reason: row.accounted.reason } : null,
});

export function presentRevocation(row: RevocationRow) {
  const item = itemOf(row);
  return {
    id: row.id,
    offboardingId: row.offboardingId,
    credentialId: row.credentialId,
    what: row.what,
    kind: item.kind,
    task: revocationTaskOf(item.kind),
    revokedAt: item.revokedAt,
    verification: item.check,
    accounted: row.accounted ? { by: row.accounted.byName, reason: row.accounted.reason, at: isoInstant(row.accounted.at) } : null,
    settled: revocationSettled(item),
    inWords: revocationInWords(item),
    version: row.version,
  };
}

/** Adds an item for every vault credential of the client to be revoked (once each: the database keeps it so). */
export async function syncRevocations(tx: Tx, offboarding: OffboardingRow, by: string, at: string): Promise<void> {
  const toRevoke = (await credentialsRepo.inventory(tx, offboarding.tenantId, offboarding.clientId)).filter(
    (c) => c.disposition === 'revoke',
  );
  await revocationsRepo.insert(
    tx,
    toRevoke.map((c) => ({
      id: newId(),
      tenantId: offboarding.tenantId,
      offboardingId: offboarding.id,
      credentialId: c.id,
      what: `${c.name}${c.username ? ` (${c.username})` : ''}`,
      kind: revocationKindOf(c.kind as CredentialKind),
      createdBy: by,
      createdAt: at,
      updatedAt: at,
    })),
  );
}

export async function assertOffboarding(q: Queryable, actor: Actor, id: string): Promise<OffboardingRow> {
  const o = await offboardingsRepo.get(q, actor.tenantId, id);
  if (!o) throw new NotFoundError('offboarding', id);
  return o;
}

export async function assertRevocation(q: Queryable, actor: Actor, id: string): Promise<RevocationRow> {
  const row = await revocationsRepo.get(q, actor.tenantId, id);
  if (!row) throw new NotFoundError('revocation', id);
  return row;
}

/**
 * What backs a revocation task: every item of it revoked and verified, or accounted for. Without
 * items (an MSP that tracks them elsewhere) the task needs evidence like any other.
 */
export async function revocationBacking(tx: Tx, actor: Actor, task: TaskRow, at: string) {
  const offboarding = await offboardingsRepo.get(tx, actor.tenantId, task.offboardingId);
  if (!offboarding) return undefined;
  await syncRevocations(tx, offboarding, 'system:revocations', at);
  const rows = (await revocationsRepo.ofOffboarding(tx, actor.tenantId, task.offboardingId)).filter(
    (r) => revocationTaskOf(r.kind as RevocationKind) === task.key,
  );
  if (rows.length === 0) return undefined;
  const items = rows.map(itemOf);
  const gap = revocationGap(items);
  if (gap) throw new ConflictError('not everything is revoked and verified', [{ path: 'revocations', message: gap }]);
  return { revocations: items.map((i) => revocationInWords(i)) };
}

/** Changes an item with compare-and-set; a concurrent change is a conflict to retry. */
export async function saveRevocation(tx: Tx, row: RevocationRow, changes: Partial<RevocationRow>, at: string): Promise<RevocationRow> {
  const after = await revocationsRepo.update(tx, row.tenantId, row.id, row.version, changes, at);
  if (!after) throw new ConflictError('the item was changed by someone else: reload it and try again');
  return after;
}
