/** Removes a credential from the vault (added by mistake, or no longer held), audited with its digest. */
import { credentialsRepo } from '../../storage/credentials-repository.ts';
import { type Actor, type App, now, transaction } from '../context.ts';
import { assertCredential, auditCredential } from './credentials.ts';
import { settleCredentialInventory } from './settle-credential-inventory.ts';

export async function deleteCredential(app: App, actor: Actor, id: string): Promise<void> {
  const at = now(app);
  await transaction(app, async (tx) => {
    const row = await assertCredential(tx, actor, id);
    await credentialsRepo.remove(tx, actor.tenantId, id);
    await auditCredential(tx, actor, at, 'credential.removed', row);
    // The last credential without a disposition gone: the inventory may be complete now.
    await settleCredentialInventory(tx, app, actor, row.clientId, at);
  });
}
