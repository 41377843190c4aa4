/** An evidence file: its record, and its bytes piece by piece (never whole in memory). */
import { NotFoundError } from '../../domain/errors.ts';
import { blobPieces, evidenceRepo } from '../../storage/repositories.ts';
import type { Actor, App } from '../context.ts';

export async function getEvidenceFile(app: App, actor: Actor, id: string) {
  const db = app.database.db;
  const row = await evidenceRepo.get(db, actor.tenantId, id);
  const blob = row ? await blobPieces(db, actor.tenantId, row.sha256) : undefined;
  if (!row || !blob) throw new NotFoundError('evidence', id);
  return { evidence: row, size: blob.size, pieces: blob.pieces };
}
