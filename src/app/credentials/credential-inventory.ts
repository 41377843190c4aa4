/**
 * The credential inventory: every credential the vault holds for a client, with its disposition.
 * It backs the `credential-inventory` task: a CSV of the inventory (never a secret, only each
 * one's keyed digest) attached as the task's evidence and named by its digest in the completion;
 * the task completes by itself once every credential has a disposition.
 */
import { createHash } from 'node:crypto';
import { stringify } from 'csv-stringify/sync';
import {
  type CredentialRecipient,
  type Disposition,
  type InventorySummary,
  inventoryGap,
  summarizeInventory,
} from '../../domain/credentials.ts';
import { ConflictError } from '../../domain/errors.ts';
import type { Queryable, Tx } from '../../storage/db.ts';
import { credentialsRepo } from '../../storage/credentials-repository.ts';
import { type TaskRow, evidenceRepo } from '../../storage/repositories.ts';
import { type Actor, newId } from '../context.ts';
import { contentOf, fileAsEvidence } from '../tasks/attach-evidence.ts';

export const CREDENTIAL_INVENTORY_TASK = 'credential-inventory';

export async function inventorySummary(q: Queryable, tenantId: string, clientId: string): Promise<InventorySummary> {
  const counts = await credentialsRepo.counts(q, tenantId, clientId);
  return summarizeInventory(
    counts.map((c) => ({
      disposition: c.disposition as Disposition | null,
      recipient: c.recipient as CredentialRecipient | null,
      n: Number(c.n),
    })),
  );
}

/** The inventory as it stands, as CSV (no secret), and its digest. */
export async function readInventory(q: Queryable, tenantId: string, clientId: string) {
  const rows = await credentialsRepo.inventory(q, tenantId, clientId);
  const csv = new TextEncoder().encode(
    stringify(
      rows.map((r) => [
        r.name,
        r.kind,
        r.username ?? '',
        r.url ?? '',
        r.owner ?? '',
        r.disposition ?? '',
        r.recipient ?? '',
        r.secretDigest,
        r.id,
      ]),
      { header: true, columns: ['name', 'kind', 'username', 'url', 'owner', 'disposition', 'recipient', 'secret_digest', 'id'] },
    ),
  );
  const summary = summarizeInventory(
    rows.map((r) => ({ disposition: r.disposition as Disposition | null, recipient: r.recipient as CredentialRecipient | null })),
  );
  return { summary, csv, sha256: createHash('sha256').update(csv).digest('hex') };
}

/**
 * What backs a credential-inventory completion: with credentials in the vault, every one must have
 * a disposition, and the inventory becomes the task's evidence. Without any (an MSP that keeps
 * its passwords elsewhere), the task needs an uploaded file like any other.
 */
export async function inventoryBacking(tx: Tx, actor: Actor, task: TaskRow, clientId: string, at: string) {
  const inventory = await readInventory(tx, actor.tenantId, clientId);
  if (inventory.summary.credentials === 0) return undefined;
  const gap = inventoryGap(inventory.summary);
  if (gap) throw new ConflictError('the credential inventory is not complete', [{ path: 'credentials', message: gap }]);
  const attached = await evidenceRepo.ofTask(tx, actor.tenantId, task.id);
  if (!attached.some((e) => e.sha256 === inventory.sha256)) {
    const file = { filename: `credential-inventory-${inventory.sha256.slice(0, 12)}.csv`, mediaType: 'text/csv' };
    await fileAsEvidence(tx, actor, task, newId(), file, contentOf(inventory.csv), at);
  }
  const { credentials, handOver, rotateThenHandOver, revoke } = inventory.summary;
  return {
    inventory: {
      credentials,
      toClient: handOver.client,
      toNewProvider: handOver.newProvider,
      rotateThenHandOver,
      revoke,
      sha256: inventory.sha256,
    },
  };
}
