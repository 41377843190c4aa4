/** Removes an item from a client's documentation (a file's bytes stay: evidence or a package may name them). */
import { NotFoundError } from '../../domain/errors.ts';
import { documentationRepo } from '../../storage/documentation-repository.ts';
import { type Actor, type App, now, transaction } from '../context.ts';
import { audit } from '../tasks/task-changes.ts';
import { settleOwnershipRegister } from './settle-ownership-register.ts';

export async function deleteDocumentationItem(app: App, actor: Actor, id: string): Promise<void> {
  const at = now(app);
  await transaction(app, async (tx) => {
    const item = await documentationRepo.get(tx, actor.tenantId, id);
    if (!item || !(await documentationRepo.remove(tx, actor.tenantId, id))) throw new NotFoundError('documentation item', id);
    await audit(tx, actor, at, {
      action: 'documentation.item-removed',
      subject: { type: 'documentation-item', id },
      data: { clientId: item.clientId, section: item.section, name: item.name, source: item.source, externalId: item.externalId },
    });
    // The last item without an owner may be the one removed.
    if (item.owner === null) await settleOwnershipRegister(tx, app, actor, item.clientId, at);
  });
}
