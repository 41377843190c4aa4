/** Adds an item to a client's documentation by hand. */
import type { z } from 'zod';
import { documentationRepo } from '../../storage/documentation-repository.ts';
import { type Actor, type App, newId, now, parseInput, transaction } from '../context.ts';
import { audit } from '../tasks/task-changes.ts';
import { NewItemInput, assertClient, presentItem, sectionFields } from './items.ts';
import { settleOwnershipRegister } from './settle-ownership-register.ts';

export async function createDocumentationItem(app: App, actor: Actor, clientId: string, input: z.input<typeof NewItemInput>) {
  const data = parseInput(NewItemInput, input, 'documentation item');
  const at = now(app);
  return transaction(app, async (tx) => {
    await assertClient(tx, actor, clientId);
    const row = await documentationRepo.insert(tx, {
      id: newId(),
      tenantId: actor.tenantId,
      clientId,
      section: data.section,
      name: data.name,
      fields: sectionFields(data.section, data.fields),
      owner: data.owner ?? null,
      mspInternal: data.mspInternal ?? false,
      createdBy: `${actor.kind}:${actor.id}`,
      updatedBy: `${actor.kind}:${actor.id}`,
      createdAt: at,
      updatedAt: at,
    });
    await audit(tx, actor, at, {
      action: 'documentation.item-added',
      subject: { type: 'documentation-item', id: row.id },
      data: { clientId, section: row.section, name: row.name, owner: row.owner, mspInternal: row.mspInternal },
    });
    await settleOwnershipRegister(tx, app, actor, clientId, at);
    return presentItem(row);
  });
}
