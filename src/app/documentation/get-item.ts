/** One documentation item, and a file item's bytes. */
import { NotFoundError } from '../../domain/errors.ts';
import { documentationRepo } from '../../storage/documentation-repository.ts';
import { blobPieces } from '../../storage/repositories.ts';
import type { Actor, App } from '../context.ts';
import { presentItem } from './items.ts';

export async function getDocumentationItem(app: App, actor: Actor, id: string) {
  const item = await documentationRepo.get(app.database.db, actor.tenantId, id);
  if (!item) throw new NotFoundError('documentation item', id);
  return presentItem(item);
}

export async function getDocumentationFile(app: App, actor: Actor, id: string) {
  const item = await documentationRepo.get(app.database.db, actor.tenantId, id);
  if (!item?.fileSha256) throw new NotFoundError('documentation file', id);
  const stored = await blobPieces(app.database.db, actor.tenantId, item.fileSha256);
  if (!stored) throw new NotFoundError('documentation file', id);
  return {
    pieces: stored.pieces,
    size: stored.size,
    sha256: item.fileSha256,
    filename: item.fileName ?? 'file',
    mediaType: item.mediaType ?? 'application/octet-stream',
  };
}
