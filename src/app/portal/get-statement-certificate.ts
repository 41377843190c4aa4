/** A statement's signing certificate (PDF), for staff: read piece by piece from the blob store. */
import { NotFoundError } from '../../domain/errors.ts';
import { attestationsRepo, blobPieces } from '../../storage/repositories.ts';
import type { Actor, App } from '../context.ts';

export async function getStatementCertificate(app: App, actor: Actor, statementId: string) {
  const db = app.database.db;
  const row = await attestationsRepo.get(db, actor.tenantId, statementId);
  const blob = row?.certificateSha256 ? await blobPieces(db, actor.tenantId, row.certificateSha256) : undefined;
  if (!row?.certificateSha256 || !blob) throw new NotFoundError('signing certificate', statementId);
  return {
    filename: `signing-certificate-${row.kind ?? 'statement'}.pdf`,
    sha256: row.certificateSha256,
    size: blob.size,
    pieces: blob.pieces,
  };
}
