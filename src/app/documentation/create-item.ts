/** Adds an item to a client's documentation by hand. */
import type { z } from 'zod';
import type { Tx } from '../../storage/db.ts';
import { documentationRepo } from '../../storage/documentation-repository.ts';
import { type Actor, type App, newId, now, parseInput, transaction } from '../context.ts';
import { audit } from '../tasks/task-changes.ts';
import { NewItemInput, assertClient, presentItem, sectionFields } from './items.ts';
import { settleOwnershipRegister } from './settle-ownership-register.ts';

type NewItem = Omit<Parameters<typeof documentationRepo.insert>[1], 'id' | 'tenantId' | 'clientId' | 'createdBy' | 'updatedBy'>;

/** Adds one item in the caller's transaction (the client checked), audited, and settles the register: a typed-in item or a file. */
export async function addItem(tx: Tx, app: App, actor: Actor, clientId: string, item: NewItem, at: string) {
  const by = `${actor.kind}:${actor.id}`;
  const row = await documentationRepo.insert(tx, {
    ...item,
    id: newId(),
    tenantId: actor.tenantId,
    clientId,
    createdBy: by,
    updatedBy: by,
    createdAt: at,
    updatedAt: at,
  });
  await audit(tx, actor, at, {
    action: 'documentation.item-added',
    subject: { type: 'documentation-item', id: row.id },
    data: {
      clientId,
      section: row.section,
      name: row.name,
      owner: row.owner,
      mspInternal: row.mspInternal,
      ...(row.fileSha256 ? { sha256: row.fileSha256, size: row.fileSize } : {}),
    },
  });
  await settleOwnershipRegister(tx, app, actor, clientId, at);
  return presentItem(row);
}

export async function createDocumentationItem(app: App, actor: Actor, clientId: string, input: z.input<typeof NewItemInput>) {
  const data = parseInput(NewItemInput, input, 'documentation item');
  const at = now(app);
  return transaction(app, async (tx) => {
    await assertClient(tx, actor, clientId);
    const item = {
      section: data.section,
      name: data.name,
      fields: sectionFields(data.section, data.fields),
      owner: data.owner ?? null,
      mspInternal: data.mspInternal ?? false,
    };
    return addItem(tx, app, actor, clientId, item, at);
  });
}
