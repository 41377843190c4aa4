/**
 * When the last credential gets its disposition, the `credential-inventory` task of the client's
 * running offboardings completes by itself, as offboard, backed by the inventory (see credential-inventory.ts).
 */
import { inventoryGap } from '../../domain/credentials.ts';
import type { Tx } from '../../storage/db.ts';
import { tasksRepo } from '../../storage/repositories.ts';
import type { Actor, App } from '../context.ts';
import { completeTaskIn } from '../tasks/complete-task.ts';
import { CREDENTIAL_INVENTORY_TASK, inventorySummary } from './credential-inventory.ts';

/** Who completes the task when the inventory is complete: offboard itself, on the inventory's evidence. */
const inventoryActor = (tenantId: string): Actor => ({ tenantId, kind: 'system', id: 'credential-inventory', role: 'admin' });

/** After dispositions change: completes the inventory task of every running offboarding of the client, once it is complete. */
export async function settleCredentialInventory(tx: Tx, app: App, actor: Actor, clientId: string, at: string): Promise<string[]> {
  if (inventoryGap(await inventorySummary(tx, actor.tenantId, clientId)) !== undefined) return [];
  const workable = await tasksRepo.workableOfClient(tx, actor.tenantId, clientId, CREDENTIAL_INVENTORY_TASK);
  for (const id of workable)
    await completeTaskIn(tx, app, inventoryActor(actor.tenantId), id, undefined, { note: undefined, checked: undefined }, at);
  return workable;
}
