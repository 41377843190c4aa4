/** Attaches a file as evidence to a task: stored once per content (SHA-256), audited by digest. */
import { z } from 'zod';
import { ConflictError, InputError } from '../domain/errors.ts';
import { blobs, evidence } from '../storage/schema.ts';
import { type Actor, type App, newId, now, parseInput, transaction } from './context.ts';
import { sha256Hex } from './digest.ts';
import { audit, loadTaskForWork } from './task-changes.ts';

export const MAX_EVIDENCE_BYTES = 25 * 1024 * 1024;

export const EvidenceInput = z
  .object({
    filename: z.string().trim().min(1, 'must not be empty').max(255).refine((n) => !/[/\\\0]/.test(n), 'must be a file name, not a path'),
    mediaType: z.string().regex(/^[\w.+-]+\/[\w.+-]+$/, 'must be a media type like image/png').max(100),
  })
  .strict();

export async function attachEvidence(app: App, actor: Actor, taskId: string, input: z.input<typeof EvidenceInput>, content: Uint8Array) {
  const data = parseInput(EvidenceInput, input, 'evidence');
  if (content.byteLength === 0) throw new InputError('invalid evidence', [{ path: 'file', message: 'is empty' }]);
  if (content.byteLength > MAX_EVIDENCE_BYTES) throw new InputError('invalid evidence', [{ path: 'file', message: `is larger than ${MAX_EVIDENCE_BYTES / 1024 / 1024} MB` }]);
  const sha256 = sha256Hex(content);
  const id = newId();
  const at = now(app);
  await transaction(app, async (tx) => {
    const { task } = await loadTaskForWork(tx, actor, taskId, undefined);
    if (task.status === 'waived') throw new ConflictError('the task is waived');
    await tx.insert(blobs).values({ tenantId: actor.tenantId, sha256, size: content.byteLength, content }).onConflictDoNothing();
    await tx.insert(evidence).values({ id, tenantId: actor.tenantId, offboardingId: task.offboardingId, taskId: task.id, sha256, filename: data.filename, mediaType: data.mediaType, size: content.byteLength, createdBy: actor.id });
    await audit(tx, actor, at, {
      action: 'evidence.attached',
      subject: { type: 'evidence', id },
      offboardingId: task.offboardingId,
      data: { task: task.key, filename: data.filename, mediaType: data.mediaType, size: content.byteLength, sha256 },
    });
  });
  return { id, sha256, size: content.byteLength, filename: data.filename, mediaType: data.mediaType };
}
