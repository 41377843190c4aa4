/**
 * Destroys a client's data key (retention's end, or a client's request): every secret sealed with
 * it, in the database and in any dump or backup of it, can never be opened again. The credentials'
 * descriptions and digests stay, so the record still says what was held and what happened to it.
 */
import { ConflictError } from '../../domain/errors.ts';
import { dataKeysRepo } from '../../storage/credentials-repository.ts';
import { type Actor, type App, actorRef, now, transaction } from '../context.ts';
import { assertClient } from '../documentation/items.ts';
import { audit } from '../tasks/task-changes.ts';

export async function destroyDataKey(app: App, actor: Actor, clientId: string, reason: string): Promise<void> {
  const at = now(app);
  await transaction(app, async (tx) => {
    await assertClient(tx, actor, clientId);
    if (!(await dataKeysRepo.destroy(tx, actor.tenantId, clientId, actorRef(actor), at)))
      throw new ConflictError('this client has no data key to destroy', [{ path: 'clientId', message: 'has no live data key' }]);
    await audit(tx, actor, at, { action: 'vault.key-destroyed', subject: { type: 'client', id: clientId }, data: { reason } });
  });
}
