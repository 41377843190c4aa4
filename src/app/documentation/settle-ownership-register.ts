/**
 * When the last owner is filled in, the `ownership-register` task of the client's running
 * offboardings completes by itself, as offboard, backed by the register (see ownership-register.ts).
 */
import { registerGap, summarizeRegister } from '../../domain/documentation.ts';
import type { Tx } from '../../storage/db.ts';
import { tasksRepo } from '../../storage/repositories.ts';
import type { Actor, App } from '../context.ts';
import { completeTaskIn } from '../tasks/complete-task.ts';
import { OWNERSHIP_REGISTER_TASK, countedRegister } from './ownership-register.ts';

/** Who completes the task when the register fills up: offboard itself, on the register's evidence. */
const registerActor = (tenantId: string): Actor => ({ tenantId, kind: 'system', id: 'ownership-register', role: 'admin' });

/** After owners change: completes the register task of every running offboarding of the client, once the register is complete. */
export async function settleOwnershipRegister(tx: Tx, app: App, actor: Actor, clientId: string, at: string): Promise<string[]> {
  const summary = summarizeRegister(await countedRegister(tx, actor.tenantId, clientId));
  if (registerGap(summary) !== undefined) return [];
  const workable = await tasksRepo.workableOfClient(tx, actor.tenantId, clientId, OWNERSHIP_REGISTER_TASK);
  for (const id of workable)
    await completeTaskIn(tx, app, registerActor(actor.tenantId), id, undefined, { note: undefined, checked: undefined }, at);
  return workable;
}
