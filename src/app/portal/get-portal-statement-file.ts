/**
 * What a party downloads from the portal: a statement's signing certificate, and the file signed
 * with it (the new provider's restore report). The client downloads every statement's; the new
 * provider, once authorized, the authorization's and its own, as the portal view lists them.
 */
import { NotFoundError } from '../../domain/errors.ts';
import { blobPieces, evidenceRepo } from '../../storage/repositories.ts';
import type { AttestationRow } from '../../storage/repositories.ts';
import type { App } from '../context.ts';
import { type PortalActor, letInState } from './portal-access.ts';
import type { StatementAttachment } from './statement-attachment.ts';

/** The statements a party sees in the portal (the view and the downloads agree). */
export function statementsSeenBy<A extends { id: string; party: string }>(
  actor: Pick<PortalActor, 'side'>,
  attestations: readonly A[],
  authorizationId: string | undefined,
): A[] {
  return attestations.filter((a) => actor.side === 'client' || a.party === 'new-provider' || a.id === authorizationId);
}

export const attachmentOf = (a: Pick<AttestationRow, 'details'>): StatementAttachment | undefined =>
  (a.details as { attachment?: StatementAttachment }).attachment;

export async function getPortalStatementFile(app: App, actor: PortalActor, statementId: string, which: 'certificate' | 'attachment') {
  const db = app.database.db;
  const { state, attestations } = await letInState(db, actor);
  const row = statementsSeenBy(actor, attestations, state.authorization?.id).find((a) => a.id === statementId);
  if (!row) throw new NotFoundError('statement', statementId);
  if (which === 'certificate') {
    const blob = row.certificateSha256 ? await blobPieces(db, actor.tenantId, row.certificateSha256) : undefined;
    if (!row.certificateSha256 || !blob) throw new NotFoundError('signing certificate', statementId);
    return {
      filename: `signing-certificate-${row.kind ?? 'statement'}.pdf`,
      mediaType: 'application/pdf',
      sha256: row.certificateSha256,
      size: blob.size,
      pieces: blob.pieces,
    };
  }
  const attachment = attachmentOf(row);
  const file = attachment ? await evidenceRepo.get(db, actor.tenantId, attachment.evidenceId) : undefined;
  const blob = file ? await blobPieces(db, actor.tenantId, file.sha256) : undefined;
  if (!file || !blob) throw new NotFoundError('file signed with the statement', statementId);
  return { filename: file.filename, mediaType: file.mediaType, sha256: file.sha256, size: blob.size, pieces: blob.pieces };
}
