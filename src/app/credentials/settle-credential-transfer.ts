/** Completes `credential-transfer` on the recipients' acknowledgements (see credential-transfer.ts). */
import type { Tx } from '../../storage/db.ts';
import { type OffboardingRow, tasksRepo } from '../../storage/repositories.ts';
import type { Actor, App } from '../context.ts';
import { gateStateOf, unmetGatesOf } from '../offboardings/offboarding-facts.ts';
import { completeTaskIn } from '../tasks/complete-task.ts';
import { CREDENTIAL_TRANSFER_TASK, acknowledgements } from './credential-transfer.ts';
import { offboardingVault } from './portal-credentials.ts';

const receiptActor = (tenantId: string): Actor => ({ tenantId, kind: 'system', id: 'credentials-receipt', role: 'admin' });

/** After a statement: completes the transfer task when every receiving side has acknowledged what it took, and the gates allow. */
export async function settleCredentialTransfer(tx: Tx, app: App, offboarding: OffboardingRow, at: string): Promise<void> {
  const vault = await offboardingVault(tx, offboarding.tenantId, offboarding.id);
  const { sides, missing } = acknowledgements(vault);
  if (sides.length === 0 || missing) return;
  const task = (await tasksRepo.ofOffboarding(tx, offboarding.tenantId, offboarding.id)).find(
    (t) => t.key === CREDENTIAL_TRANSFER_TASK && (t.status === 'ready' || t.status === 'in-progress'),
  );
  if (!task || unmetGatesOf(task, gateStateOf(vault.attestations)).length > 0) return;
  await completeTaskIn(tx, app, receiptActor(offboarding.tenantId), task.id, undefined, { note: undefined, checked: undefined }, at);
}
