/** Changes one documentation item: its name, fields, owner or MSP-internal flag, compare-and-set on its version. */
import type { z } from 'zod';
import type { DocumentationSection } from '../../domain/documentation.ts';
import { ConflictError, NotFoundError } from '../../domain/errors.ts';
import { documentationRepo } from '../../storage/documentation-repository.ts';
import { type Actor, type App, now, parseInput, transaction } from '../context.ts';
import { audit } from '../tasks/task-changes.ts';
import { ItemChanges, assertFields, presentItem } from './items.ts';
import { settleOwnershipRegister } from './settle-ownership-register.ts';

export const STALE_ITEM = 'the item was changed by someone else; reload it and try again';

export async function updateDocumentationItem(
  app: App,
  actor: Actor,
  id: string,
  expectedVersion: number | undefined,
  input: z.input<typeof ItemChanges>,
) {
  const data = parseInput(ItemChanges, input, 'documentation item');
  const at = now(app);
  return transaction(app, async (tx) => {
    const item = await documentationRepo.get(tx, actor.tenantId, id);
    if (!item) throw new NotFoundError('documentation item', id);
    if (expectedVersion !== undefined && expectedVersion !== item.version)
      throw new ConflictError(STALE_ITEM, [{ path: 'version', message: `is ${item.version}, not ${expectedVersion}` }]);
    const fields = data.fields === undefined ? undefined : assertFields(item.section as DocumentationSection, data.fields);
    const saved = await documentationRepo.update(
      tx,
      actor.tenantId,
      id,
      item.version,
      {
        ...(data.name !== undefined ? { name: data.name } : {}),
        ...(fields !== undefined ? { fields } : {}),
        ...(data.owner !== undefined ? { owner: data.owner } : {}),
        ...(data.mspInternal !== undefined ? { mspInternal: data.mspInternal } : {}),
        updatedBy: `${actor.kind}:${actor.id}`,
      },
      at,
    );
    if (!saved) throw new ConflictError(STALE_ITEM);
    await audit(tx, actor, at, {
      action: 'documentation.item-changed',
      subject: { type: 'documentation-item', id },
      data: {
        clientId: item.clientId,
        section: item.section,
        name: saved.name,
        changed: Object.keys(data),
        ...(data.owner !== undefined ? { owner: { from: item.owner, to: saved.owner } } : {}),
        ...(data.mspInternal !== undefined ? { mspInternal: saved.mspInternal } : {}),
      },
    });
    if (data.owner !== undefined) await settleOwnershipRegister(tx, app, actor, item.clientId, at);
    return presentItem(saved);
  });
}
