/**
 * The hand-over in the portal, for the side receiving credentials: see each secret once on request,
 * or take them all in an encrypted export (age, with a passphrase the recipient chooses or its age
 * public key), and confirm each one changed. Only the client's signers and the new provider's
 * people act here (viewers follow); each act is recorded with the secret's digest, time and
 * address, and audited in the party's name, in the same transaction.
 */
import { Encrypter } from 'age-encryption';
import { stringify } from 'csv-stringify/sync';
import { z } from 'zod';
import { type CredentialRecipient, KIND_WORDS, type CredentialKind, confirmsChange } from '../../domain/credentials.ts';
import { ConflictError, ForbiddenError, InputError, NotFoundError } from '../../domain/errors.ts';
import { appendAuditEvent } from '../../storage/audit-repository.ts';
import { credentialsRepo, handoversRepo } from '../../storage/credentials-repository.ts';
import type { Tx } from '../../storage/db.ts';
import { type App, newId, now, parseInput, transaction } from '../context.ts';
import { isLive } from '../portal/parties.ts';
import { type PortalActor, partyRef } from '../portal/portal-access.ts';
import { listDigest, portalVault, takenBy } from './portal-credentials.ts';
import { existingDataKey, openSecret } from './vault.ts';

type Request = { ip: string; userAgent: string | undefined };

function assertRecipient(actor: PortalActor) {
  if (!actor.canSign) throw new ForbiddenError('you can follow this hand-over, but credentials go only to those who sign for your side');
}

async function liveVault(tx: Tx, actor: PortalActor) {
  const vault = await portalVault(tx, actor);
  if (!isLive(vault.offboarding)) throw new ConflictError(`the offboarding is ${vault.offboarding.status}`);
  return vault;
}

const side = (actor: PortalActor) => actor.side;

/** One credential reaching this party (or confirmed changed by it), as the hand-over record keeps it. */
const handoverRow = (
  actor: PortalActor,
  c: { id: string; secretDigest: string },
  kind: 'reveal' | 'export' | 'changed',
  at: string,
  request: Request,
) => ({
  id: newId(),
  tenantId: actor.tenantId,
  offboardingId: actor.offboardingId,
  credentialId: c.id,
  partyId: actor.partyId,
  side: actor.side,
  kind,
  secretDigest: c.secretDigest,
  at,
  ip: request.ip,
  userAgent: request.userAgent?.slice(0, 500) ?? null,
});

/** Shows one secret to this person, once: a second reveal of the same secret is refused (the export remains). */
export async function revealInPortal(app: App, actor: PortalActor, credentialId: string, request: Request) {
  assertRecipient(actor);
  const at = now(app);
  return transaction(app, async (tx) => {
    const vault = await liveVault(tx, actor);
    const item = vault.items.find((i) => i.credential.id === credentialId);
    if (!item) throw new NotFoundError('credential', credentialId);
    if (item.state !== 'available')
      throw new ConflictError('this credential is being changed before it is handed over', [
        { path: 'id', message: `${item.credential.name} will be yours once the MSP has changed it` },
      ]);
    const c = item.credential;
    const inserted = await handoversRepo.insert(tx, [handoverRow(actor, c, 'reveal', at, request)]);
    if (inserted === 0) {
      const shown = vault.handovers.find((h) => h.kind === 'reveal' && h.credentialId === c.id && h.partyId === actor.partyId);
      throw new ConflictError('each secret is shown once', [
        {
          path: 'id',
          message: `${c.name} was shown to you${shown ? ` on ${shown.at.slice(0, 10)}` : ''}; download the encrypted export to have it again`,
        },
      ]);
    }
    const sealed = await credentialsRepo.getSealed(tx, actor.tenantId, c.id);
    const secret = openSecret(await existingDataKey(tx, app, actor.tenantId, c.clientId), c.id, sealed?.secretSealed ?? '');
    await appendAuditEvent(tx, actor.tenantId, at, {
      actor: partyRef(actor),
      action: 'credential.revealed-in-portal',
      subject: { type: 'credential', id: c.id },
      offboardingId: actor.offboardingId,
      data: { name: c.name, side: actor.side, secretDigest: c.secretDigest, ip: request.ip },
    });
    return { id: c.id, name: c.name, url: c.url, username: c.username, password: secret.password, otpSecret: secret.otpSecret ?? null };
  });
}

/** An age X25519 recipient, as `age-keygen` prints it. */
const AgeRecipient = z
  .string()
  .trim()
  .regex(/^age1[02-9ac-hj-np-z]{58}$/, 'must be an age public key (age1..., as age-keygen prints it)');

export const ExportInput = z
  .object({
    /** A passphrase the recipient chooses here; used once to encrypt, never kept. */
    passphrase: z.string().min(12, 'must be at least 12 characters').max(1000).optional(),
    /** Or the recipient's age public key. */
    recipient: AgeRecipient.optional(),
  })
  .strict()
  .superRefine((d, ctx) => {
    if ((d.passphrase === undefined) === (d.recipient === undefined))
      ctx.addIssue({ code: 'custom', path: ['passphrase'], message: 'give a passphrase or an age public key (recipient), one of the two' });
  });

/**
 * Every credential available to this side, decrypted and written as CSV, encrypted with age for
 * the passphrase or public key given: the file is all that leaves; it is recorded as taken, per
 * credential, with the list's digest.
 */
export async function exportFromPortal(app: App, actor: PortalActor, input: z.input<typeof ExportInput>, request: Request) {
  assertRecipient(actor);
  const data = parseInput(ExportInput, input, 'export');
  const at = now(app);
  const encrypter = new Encrypter();
  if (data.recipient) {
    try {
      encrypter.addRecipient(data.recipient);
    } catch {
      throw new InputError('invalid export', [{ path: 'recipient', message: 'is not an age public key this server can encrypt to' }]);
    }
  } else {
    encrypter.setPassphrase(data.passphrase as string);
    // scrypt 2^16: 0.7 s and 64 MB on this server per export; age's default 2^18 took 2.6 s and 280 MB. A 12+ character passphrase keeps it strong.
    encrypter.setScryptWorkFactor(16);
  }
  const { rows, count, sha256 } = await transaction(app, async (tx) => {
    const vault = await liveVault(tx, actor);
    const available = vault.items.filter((i) => i.state === 'available').map((i) => i.credential);
    if (available.length === 0) throw new ConflictError('there is no credential for you to take yet');
    const key = await existingDataKey(tx, app, actor.tenantId, vault.offboarding.clientId);
    const lines = [];
    for (const c of available) {
      const sealed = await credentialsRepo.getSealed(tx, actor.tenantId, c.id);
      const secret = openSecret(key, c.id, sealed?.secretSealed ?? '');
      lines.push([
        c.name,
        c.url ?? '',
        c.username ?? '',
        secret.password,
        secret.otpSecret ?? '',
        KIND_WORDS[c.kind as CredentialKind] ?? c.kind,
        c.notes ?? '',
      ]);
    }
    await handoversRepo.insert(
      tx,
      available.map((c) => handoverRow(actor, c, 'export', at, request)),
    );
    const digest = listDigest(available);
    await appendAuditEvent(tx, actor.tenantId, at, {
      actor: partyRef(actor),
      action: 'credentials.exported',
      subject: { type: 'offboarding', id: actor.offboardingId },
      offboardingId: actor.offboardingId,
      data: {
        side: actor.side,
        count: available.length,
        credentials: available.map((c) => ({ id: c.id, name: c.name })),
        listSha256: digest,
        encryptedFor: data.recipient ? 'age-recipient' : 'passphrase',
        ip: request.ip,
      },
    });
    return { rows: lines, count: available.length, sha256: digest };
  });
  const csv = stringify(rows, { header: true, columns: ['name', 'url', 'username', 'password', 'totp_seed', 'kind', 'notes'] });
  const encrypted = await encrypter.encrypt(csv);
  return { bytes: encrypted, filename: `credentials-${at.slice(0, 10)}.csv.age`, count, listSha256: sha256 };
}

export const ChangedInput = z
  .object({
    /** The credentials changed; or all: every credential this side took. */
    ids: z.array(z.string().min(1).max(100)).min(1).max(1000).optional(),
    all: z.literal(true).optional(),
  })
  .strict()
  .refine((d) => (d.ids === undefined) !== (d.all === undefined), { path: ['ids'], message: 'name the credentials changed, or say all' });

/** The recipient confirms it changed credentials it took: after this, what the MSP holds is no longer their secret. */
export async function confirmChanged(app: App, actor: PortalActor, input: z.input<typeof ChangedInput>, request: Request) {
  assertRecipient(actor);
  const data = parseInput(ChangedInput, input, 'confirmation');
  const at = now(app);
  return transaction(app, async (tx) => {
    const vault = await liveVault(tx, actor);
    const mine = vault.items
      .map((i) => i.credential)
      .filter(
        (c) => confirmsChange(side(actor), { recipient: c.recipient as CredentialRecipient }) && takenBy(side(actor), c, vault.handovers),
      );
    const wanted = data.all
      ? mine
      : (data.ids ?? []).map((id, i) => {
          const c = mine.find((m) => m.id === id);
          if (!c) throw new InputError('invalid confirmation', [{ path: `ids[${i}]`, message: 'is not a credential you took' }]);
          return c;
        });
    const already = new Set(vault.handovers.filter((h) => h.kind === 'changed').map((h) => `${h.credentialId} ${h.secretDigest}`));
    const fresh = wanted.filter((c) => !already.has(`${c.id} ${c.secretDigest}`));
    await handoversRepo.insert(
      tx,
      fresh.map((c) => handoverRow(actor, c, 'changed', at, request)),
    );
    if (fresh.length > 0)
      await appendAuditEvent(tx, actor.tenantId, at, {
        actor: partyRef(actor),
        action: 'credentials.change-confirmed',
        subject: { type: 'offboarding', id: actor.offboardingId },
        offboardingId: actor.offboardingId,
        data: { side: actor.side, credentials: fresh.map((c) => ({ id: c.id, name: c.name })), ip: request.ip },
      });
    return { confirmed: fresh.length };
  });
}
