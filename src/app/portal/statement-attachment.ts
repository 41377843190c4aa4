/**
 * The file a party signs a statement with: the new provider's restore report with its backup
 * attestation, the evidence of replacement coverage. Uploaded first (in the portal by the signer,
 * or attached by staff with the paper scan), named in the statement by file name and SHA-256, and
 * once signed filed as evidence of the task the statement opens, so the task, the record and the
 * evidence bundle all show the same bytes.
 */
import { z } from 'zod';
import { InputError } from '../../domain/errors.ts';
import { STATEMENT_KINDS, type StatementKind } from '../../domain/statements.ts';
import type { Gate } from '../../domain/vocabulary.ts';
import { appendAuditEvent } from '../../storage/audit-repository.ts';
import type { Queryable, Tx } from '../../storage/db.ts';
import { evidenceRepo } from '../../storage/repositories.ts';
import { evidence } from '../../storage/schema.ts';
import { and, eq, isNull } from 'drizzle-orm';
import type { LoadedOffboarding } from '../offboardings/offboarding-facts.ts';

export type StatementAttachment = { evidenceId: string; filename: string; sha256: string };

export const AttachmentId = z.string().trim().min(1).max(100);

/**
 * The file with this id, when it belongs to this offboarding (and, from the portal, was uploaded
 * by this party); otherwise an input error naming `attachmentId`.
 */
export async function findAttachment(
  q: Queryable,
  where: { tenantId: string; offboardingId: string; uploadedBy?: string },
  id: string | undefined,
): Promise<StatementAttachment | undefined> {
  if (id === undefined) return undefined;
  const row = await evidenceRepo.get(q, where.tenantId, id);
  if (!row || row.offboardingId !== where.offboardingId || (where.uploadedBy !== undefined && row.createdBy !== where.uploadedBy))
    throw new InputError('invalid statement', [
      {
        path: 'attachmentId',
        message: where.uploadedBy ? 'is not a file you uploaded to this hand-over' : 'is not a file of this offboarding',
      },
    ]);
  return { evidenceId: row.id, filename: row.filename, sha256: row.sha256 };
}

/**
 * Files a signed statement's attachment as evidence of the open task that waits for the gate the
 * statement opens (backup-transition for a verified backup), in the signer's name, unless it is
 * already some task's evidence.
 */
export async function fileAttachment(
  tx: Tx,
  loaded: LoadedOffboarding,
  attachment: StatementAttachment,
  kind: StatementKind,
  by: string,
  at: string,
): Promise<void> {
  const gate = STATEMENT_KINDS[kind].opens;
  const task = gate ? loaded.tasks.find((t) => (t.gates as Gate[]).includes(gate)) : undefined;
  if (!task) return;
  const moved = await tx
    .update(evidence)
    .set({ taskId: task.id })
    .where(and(eq(evidence.tenantId, task.tenantId), eq(evidence.id, attachment.evidenceId), isNull(evidence.taskId)))
    .returning({ mediaType: evidence.mediaType, size: evidence.size });
  const row = moved[0];
  if (!row) return;
  await appendAuditEvent(tx, task.tenantId, at, {
    actor: by,
    action: 'evidence.attached',
    subject: { type: 'evidence', id: attachment.evidenceId },
    offboardingId: task.offboardingId,
    data: {
      task: task.key,
      filename: attachment.filename,
      mediaType: row.mediaType,
      size: row.size,
      sha256: attachment.sha256,
      with: kind,
    },
  });
}
