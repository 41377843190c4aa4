/** Adds a file (a network diagram, a configuration backup, an audit report) to a client's documentation. */
import { z } from 'zod';
import { ITEM_OWNERS } from '../../domain/documentation.ts';
import { type Actor, type App, now, parseInput, transaction } from '../context.ts';
import { type EvidenceContent, EvidenceInput, checkedContent, storeContent } from '../tasks/attach-evidence.ts';
import { addItem } from './create-item.ts';
import { assertClient } from './items.ts';

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
    const item = {
      section: 'files',
      name: data.filename,
      fields: data.description ? { description: data.description } : {},
      owner: data.owner ?? null,
      mspInternal: data.mspInternal ?? false,
      fileSha256: content.sha256,
      fileName: data.filename,
      mediaType: data.mediaType,
      fileSize: content.size,
    };
    return addItem(tx, app, actor, clientId, item, at);
  });
}
