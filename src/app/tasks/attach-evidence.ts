/**
 * Attaches a file as evidence to a task: stored once per content (SHA-256), in pieces (never
 * whole in memory), audited by digest.
 */
import { createHash } from 'node:crypto';
import { z } from 'zod';
import { ConflictError, InputError } from '../../domain/errors.ts';
import type { Tx } from '../../storage/db.ts';
import { BLOB_CHUNK_BYTES, type TaskRow, blobsRepo } from '../../storage/repositories.ts';
import { evidence } from '../../storage/schema.ts';
import { type Actor, type App, newId, now, parseInput, transaction } from '../context.ts';
import { audit, loadTaskForWork } from './task-changes.ts';

/** The largest evidence file: OFFBOARD_MAX_UPLOAD_MB (default 25). */
export const MAX_EVIDENCE_BYTES = (Number(process.env.OFFBOARD_MAX_UPLOAD_MB) || 25) * 1024 * 1024;

/** A file's content as it arrives: its size and digest (measured while it was received) and its bytes in order. */
export type EvidenceContent = { size: number; sha256: string; pieces: () => AsyncIterable<Uint8Array> | Iterable<Uint8Array> };

/** Bytes already in memory (small files, tests, the demo) as content. */
export function contentOf(bytes: Uint8Array): EvidenceContent {
  return {
    size: bytes.byteLength,
    sha256: createHash('sha256').update(bytes).digest('hex'),
    pieces: () => [bytes],
  };
}

/** Re-cuts pieces of any size into BLOB_CHUNK_BYTES pieces (the last shorter). */
async function* rechunk(pieces: AsyncIterable<Uint8Array> | Iterable<Uint8Array>): AsyncIterable<Uint8Array> {
  let buffer = new Uint8Array(BLOB_CHUNK_BYTES);
  let filled = 0;
  for await (const piece of pieces) {
    for (let at = 0; at < piece.length;) {
      const take = Math.min(piece.length - at, BLOB_CHUNK_BYTES - filled);
      buffer.set(piece.subarray(at, at + take), filled);
      filled += take;
      at += take;
      if (filled === BLOB_CHUNK_BYTES) {
        yield buffer;
        buffer = new Uint8Array(BLOB_CHUNK_BYTES);
        filled = 0;
      }
    }
  }
  if (filled > 0) yield buffer.subarray(0, filled);
}

/** A file as received, refused when empty or over the size limit (the field is `file`). */
export function checkedContent(file: Uint8Array | EvidenceContent): EvidenceContent {
  const content = file instanceof Uint8Array ? contentOf(file) : file;
  if (content.size === 0) throw new InputError('invalid file', [{ path: 'file', message: 'is empty' }]);
  if (content.size > MAX_EVIDENCE_BYTES)
    throw new InputError('invalid file', [{ path: 'file', message: `is larger than ${MAX_EVIDENCE_BYTES / 1024 / 1024} MB` }]);
  return content;
}

/** Stores a file's bytes once per content for the tenant, piece by piece, checked against the digest it is stored under. */
export async function storeContent(tx: Tx, tenantId: string, content: EvidenceContent): Promise<void> {
  const { sha256 } = content;
  if (!(await blobsRepo.insert(tx, { tenantId, sha256, size: content.size }))) return;
  const digest = createHash('sha256');
  let n = 0;
  let size = 0;
  for await (const bytes of rechunk(content.pieces())) {
    digest.update(bytes);
    size += bytes.length;
    await blobsRepo.insertChunk(tx, { tenantId, sha256, n: n++, bytes });
  }
  if (digest.digest('hex') !== sha256 || size !== content.size) throw new Error('the file changed while it was stored');
}

/** Stores a file and files it as a task's evidence, audited by digest, in the caller's transaction. */
export async function fileAsEvidence(
  tx: Tx,
  actor: Actor,
  task: Pick<TaskRow, 'id' | 'key' | 'offboardingId'>,
  id: string,
  file: { filename: string; mediaType: string },
  content: EvidenceContent,
  at: string,
): Promise<void> {
  await storeContent(tx, actor.tenantId, content);
  await tx.insert(evidence).values({
    id,
    tenantId: actor.tenantId,
    offboardingId: task.offboardingId,
    taskId: task.id,
    sha256: content.sha256,
    filename: file.filename,
    mediaType: file.mediaType,
    size: content.size,
    createdBy: actor.id,
  });
  await audit(tx, actor, at, {
    action: 'evidence.attached',
    subject: { type: 'evidence', id },
    offboardingId: task.offboardingId,
    data: { task: task.key, filename: file.filename, mediaType: file.mediaType, size: content.size, sha256: content.sha256 },
  });
}

export const EvidenceInput = z
  .object({
    filename: z
      .string()
      .trim()
      .min(1, 'must not be empty')
      .max(255)
      .refine((n) => !/[/\\\0]/.test(n), 'must be a file name, not a path'),
    mediaType: z
      .string()
      .regex(/^[\w.+-]+\/[\w.+-]+$/, 'must be a media type like image/png')
      .max(100),
  })
  .strict();

export async function attachEvidence(
  app: App,
  actor: Actor,
  taskId: string,
  input: z.input<typeof EvidenceInput>,
  file: Uint8Array | EvidenceContent,
) {
  const data = parseInput(EvidenceInput, input, 'evidence');
  const content = checkedContent(file);
  const { sha256 } = content;
  const id = newId();
  const at = now(app);
  await transaction(app, async (tx) => {
    const { task } = await loadTaskForWork(tx, actor, taskId, undefined);
    if (task.status === 'waived') throw new ConflictError('the task is waived');
    await fileAsEvidence(tx, actor, task, id, data, content, at);
  });
  return { id, sha256, size: content.size, filename: data.filename, mediaType: data.mediaType };
}
