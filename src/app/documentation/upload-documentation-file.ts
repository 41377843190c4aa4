/** Adds a file (a network diagram, a configuration backup, an audit report) to a client's documentation. */
import { z } from 'zod';
import { ITEM_OWNERS } from '../../domain/documentation.ts';
import { documentationRepo } from '../../storage/documentation-repository.ts';
import { type Actor, type App, newId, now, parseInput, transaction } from '../context.ts';
import { type EvidenceContent, EvidenceInput, checkedContent, storeContent } from '../tasks/attach-evidence.ts';
import { audit } from '../tasks/task-changes.ts';
import { assertClient, presentItem } from './items.ts';
import { settleOwnershipRegister } from './settle-ownership-register.ts';

export const DocumentationFileInput = EvidenceInput.extend({
  description: z.string().trim().max(2_000).optional(),
  owner: z.enum(ITEM_OWNERS).optional(),
  mspInternal: z.boolean().optional(),
});

export async function uploadDocumentationFile(
  app: App,
  actor: Actor,
  clientId: string,
  input: z.input<typeof DocumentationFileInput>,
  file: Uint8Array | EvidenceContent,
) {
  const data = parseInput(DocumentationFileInput, input, 'file');
  const content = checkedContent(file);
  const at = now(app);
  return transaction(app, async (tx) => {
    await assertClient(tx, actor, clientId);
    await storeContent(tx, actor.tenantId, content);
    const row = await documentationRepo.insert(tx, {
      id: newId(),
      tenantId: actor.tenantId,
      clientId,
      section: 'files',
      name: data.filename,
      fields: data.description ? { description: data.description } : {},
      owner: data.owner ?? null,
      mspInternal: data.mspInternal ?? false,
      fileSha256: content.sha256,
      fileName: data.filename,
      mediaType: data.mediaType,
      fileSize: content.size,
      createdBy: `${actor.kind}:${actor.id}`,
      updatedBy: `${actor.kind}:${actor.id}`,
      createdAt: at,
      updatedAt: at,
    });
    await audit(tx, actor, at, {
      action: 'documentation.item-added',
      subject: { type: 'documentation-item', id: row.id },
      data: {
        clientId,
        section: 'files',
        name: row.name,
        owner: row.owner,
        mspInternal: row.mspInternal,
        sha256: content.sha256,
        size: content.size,
      },
    });
    await settleOwnershipRegister(tx, app, actor, clientId, at);
    return presentItem(row);
  });
}
