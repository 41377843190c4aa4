/**
 * At close, the client's contact receives the signed checkpoint of the log, carrying the
 * offboarding's head (its event count and last event there), so the MSP can never later show a
 * history that does not extend this one, nor a bundle without the offboarding's last events.
 * Recorded as a pending email delivery in the closing transaction (the audit event says it was
 * queued; the delivery's own event says whether the mail server took it). The checkpoint is in
 * the text and attached as a file, exactly as signed.
 */
import { closingCheckpointMessage } from '../../domain/messages.ts';
import type { Tx } from '../../storage/db.ts';
import type { CheckpointRow } from '../../storage/log-repository.ts';
import { type ClientRow, tenantsRepo } from '../../storage/repositories.ts';
import { notifications } from '../../storage/schema.ts';
import { appendAuditEvent } from '../../storage/audit-repository.ts';
import { type App, newId } from '../context.ts';
import { sha256Hex } from '../digest.ts';
import { currentVerifierKey, signOffboardingHead } from './transparency-log.ts';

export const clientCheckpointFilename = (size: number): string => `offboarding-checkpoint-${size}.txt`;

export const CLIENT_CHECKPOINT_KIND = 'client-checkpoint';

export async function sendClientCheckpoint(
  tx: Tx,
  app: App,
  tenantId: string,
  offboardingId: string,
  client: ClientRow,
  checkpoint: CheckpointRow,
  at: string,
): Promise<void> {
  const verifierKey = await currentVerifierKey(tx, app, tenantId);
  if (!verifierKey) return;
  const tenant = await tenantsRepo.get(tx, tenantId);
  const { note } = await signOffboardingHead(tx, app, tenantId, offboardingId, checkpoint);
  const filename = clientCheckpointFilename(checkpoint.size);
  const { subject, body } = closingCheckpointMessage({
    clientName: client.name,
    mspName: tenant?.name ?? 'Your IT provider',
    checkpoint: note,
    size: checkpoint.size,
    verifierKey,
    filename,
  });
  const attachments = [{ filename, contentType: 'text/plain; charset=utf-8', content: note }];
  const signers = client.contacts.filter((c) => c.authorizedSigner);
  for (const contact of signers.length > 0 ? signers : client.contacts.slice(0, 1)) {
    const [row] = await tx
      .insert(notifications)
      .values({
        id: newId(),
        tenantId,
        key: `${offboardingId}:${CLIENT_CHECKPOINT_KIND}`,
        offboardingId,
        taskId: null,
        kind: CLIENT_CHECKPOINT_KIND,
        level: 0,
        channel: 'email',
        recipient: contact.email,
        subject,
        body,
        attachments,
        fireAt: at,
        status: 'pending',
      })
      .onConflictDoNothing()
      .returning({ id: notifications.id });
    if (!row) continue;
    await appendAuditEvent(tx, tenantId, at, {
      actor: 'system',
      action: 'checkpoint.queued-for-client',
      subject: { type: 'notification', id: row.id },
      offboardingId,
      data: { size: checkpoint.size, checkpointSha256: sha256Hex(note), recipient: contact.email, verifierKey },
    });
  }
}
