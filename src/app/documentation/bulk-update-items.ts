/** Sets the owner or the MSP-internal flag of many items of one client at once: filling the ownership register. */
import { z } from 'zod';
import { ITEM_OWNERS } from '../../domain/documentation.ts';
import { InputError } from '../../domain/errors.ts';
import { documentationRepo } from '../../storage/documentation-repository.ts';
import { type Actor, type App, now, parseInput, transaction } from '../context.ts';
import { audit } from '../tasks/task-changes.ts';
import { assertClient } from './items.ts';
import { settleOwnershipRegister } from './settle-ownership-register.ts';

export const BulkItemChanges = z
  .object({
    ids: z.array(z.string().min(1).max(100)).min(1, 'must name at least one item').max(10_000),
    owner: z.enum(ITEM_OWNERS).nullable().optional(),
    mspInternal: z.boolean().optional(),
  })
  .strict()
  .refine((d) => d.owner !== undefined || d.mspInternal !== undefined, { message: 'must set owner or mspInternal', path: ['owner'] });

export async function bulkUpdateDocumentation(app: App, actor: Actor, clientId: string, input: z.input<typeof BulkItemChanges>) {
  const data = parseInput(BulkItemChanges, input, 'bulk change');
  const ids = [...new Set(data.ids)];
  const at = now(app);
  return transaction(app, async (tx) => {
    await assertClient(tx, actor, clientId);
    const found = new Set((await documentationRepo.ofIds(tx, actor.tenantId, clientId, ids)).map((r) => r.id));
    const missing = data.ids.map((id, i) => ({ id, i })).filter(({ id }) => !found.has(id));
    if (missing.length > 0)
      throw new InputError(
        'invalid bulk change',
        missing.slice(0, 20).map(({ id, i }) => ({ path: `ids[${i}]`, message: `${id} is not an item of this client` })),
      );
    const changed = await documentationRepo.updateMany(
      tx,
      actor.tenantId,
      clientId,
      ids,
      {
        ...(data.owner !== undefined ? { owner: data.owner } : {}),
        ...(data.mspInternal !== undefined ? { mspInternal: data.mspInternal } : {}),
        updatedBy: `${actor.kind}:${actor.id}`,
      },
      at,
    );
    await audit(tx, actor, at, {
      action: 'documentation.items-changed',
      subject: { type: 'client', id: clientId },
      data: {
        items: changed.length,
        ...(data.owner !== undefined ? { owner: data.owner } : {}),
        ...(data.mspInternal !== undefined ? { mspInternal: data.mspInternal } : {}),
      },
    });
    const completed = data.owner !== undefined ? await settleOwnershipRegister(tx, app, actor, clientId, at) : [];
    return { changed: changed.length, tasksCompleted: completed.length };
  });
}
