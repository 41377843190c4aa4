/**
 * The `credential-transfer` task is backed by the recipients' own acknowledgements: each side
 * that receives credentials (the client always, the new provider when any go to it) signs in the
 * portal that it received the list it took, and the hand-over record (who took what, how, when,
 * from where; digests, never secrets) becomes the task's evidence. It completes by itself on the
 * last acknowledgement, once its gates allow (settle-credential-transfer.ts).
 */
import { createHash } from 'node:crypto';
import { stringify } from 'csv-stringify/sync';
import type { CredentialRecipient } from '../../domain/credentials.ts';
import { ConflictError } from '../../domain/errors.ts';
import type { Tx } from '../../storage/db.ts';
import { type TaskRow, evidenceRepo } from '../../storage/repositories.ts';
import { type Actor, newId } from '../context.ts';
import { isoInstant } from '../present.ts';
import { contentOf, fileAsEvidence } from '../tasks/attach-evidence.ts';
import { type OffboardingVault, itemsFor, offboardingVault, receivedAll, receivingSides } from './portal-credentials.ts';

export const CREDENTIAL_TRANSFER_TASK = 'credential-transfer';

const SIDE_WORDS: Record<CredentialRecipient, string> = { client: 'the client', 'new-provider': 'the new provider' };

/** Each receiving side's acknowledgement covering what it has now, or the first side still missing one. */
export function acknowledgements(vault: OffboardingVault) {
  const sides = receivingSides(vault.credentials);
  const found = sides.map((side) => ({
    side,
    receipt: receivedAll(side, itemsFor(side, vault.credentials, vault.attestations), vault.attestations),
  }));
  return { sides, found, missing: found.find((f) => !f.receipt)?.side };
}

/** The hand-over record as CSV: every credential taken or confirmed changed, by whom, how, when and from where. */
function handoverRecord(vault: OffboardingVault): Uint8Array {
  const names = new Map(vault.credentials.map((c) => [c.id, c.name]));
  return new TextEncoder().encode(
    stringify(
      vault.handovers.map((h) => [
        names.get(h.credentialId) ?? h.credentialId,
        h.side,
        h.kind,
        h.at,
        h.ip ?? '',
        h.secretDigest,
        h.partyId,
      ]),
      { header: true, columns: ['credential', 'side', 'what', 'at', 'ip', 'secret_digest', 'party'] },
    ),
  );
}

export async function transferBacking(tx: Tx, actor: Actor, task: TaskRow, at: string) {
  const vault = await offboardingVault(tx, actor.tenantId, task.offboardingId);
  const { sides, found, missing } = acknowledgements(vault);
  if (sides.length === 0) return undefined;
  if (missing)
    throw new ConflictError('the credentials have not all been acknowledged as received', [
      {
        path: 'credentials',
        message: `${SIDE_WORDS[missing]} has not acknowledged receipt of every credential handed to it (they take them and acknowledge in the portal)`,
      },
    ]);
  const record = handoverRecord(vault);
  const sha256 = createHash('sha256').update(record).digest('hex');
  const attached = await evidenceRepo.ofTask(tx, actor.tenantId, task.id);
  if (!attached.some((e) => e.sha256 === sha256))
    await fileAsEvidence(
      tx,
      actor,
      task,
      newId(),
      { filename: `credential-handover-${sha256.slice(0, 12)}.csv`, mediaType: 'text/csv' },
      contentOf(record),
      at,
    );
  const words = Object.fromEntries(
    found.map(({ side, receipt }) => {
      const c = (receipt?.details as { credentials?: { count: number; sha256: string } }).credentials;
      return [
        side === 'client' ? 'client' : 'newProvider',
        { by: receipt?.signerName, at: receipt ? isoInstant(receipt.signedAt) : null, count: c?.count, sha256: c?.sha256 },
      ];
    }),
  );
  return { credentialsReceived: { ...words, recordSha256: sha256 } };
}
