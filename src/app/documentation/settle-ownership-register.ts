/**
 * When the last owner is filled in, the `ownership-register` task of the client's running
 * offboardings completes by itself, as offboard, backed by the register (see ownership-register.ts).
 */
import { and, eq, inArray } from 'drizzle-orm';
import { type DocumentationSection, type ItemOwner, registerComplete, summarizeRegister } from '../../domain/documentation.ts';
import type { Tx } from '../../storage/db.ts';
import { documentationRepo } from '../../storage/documentation-repository.ts';
import { offboardings, tasks } from '../../storage/schema.ts';
import type { Actor, App } from '../context.ts';
import { completeTaskIn } from '../tasks/complete-task.ts';
import { OWNERSHIP_REGISTER_TASK } from './ownership-register.ts';

/** Who completes the task when the register fills up: offboard itself, on the register's evidence. */
const registerActor = (tenantId: string): Actor => ({ tenantId, kind: 'system', id: 'ownership-register', role: 'admin' });

/** After owners change: completes the register task of every running offboarding of the client, once the register is complete. */
export async function settleOwnershipRegister(tx: Tx, app: App, actor: Actor, clientId: string, at: string): Promise<string[]> {
  const summary = summarizeRegister(
    (await documentationRepo.counts(tx, actor.tenantId, clientId)).map((c) => ({
      section: c.section as DocumentationSection,
      owner: c.owner as ItemOwner | null,
      mspInternal: c.mspInternal,
      n: Number(c.n),
    })),
  );
  if (!registerComplete(summary)) return [];
  const open = await tx
    .select({ id: tasks.id })
    .from(tasks)
    .innerJoin(offboardings, eq(offboardings.id, tasks.offboardingId))
    .where(
      and(
        eq(tasks.tenantId, actor.tenantId),
        eq(offboardings.clientId, clientId),
        inArray(offboardings.status, ['planned', 'active', 'closing']),
        eq(tasks.key, OWNERSHIP_REGISTER_TASK),
        inArray(tasks.status, ['ready', 'in-progress']),
      ),
    );
  const completed: string[] = [];
  for (const { id } of open) {
    await completeTaskIn(tx, app, registerActor(actor.tenantId), id, undefined, { note: undefined, checked: undefined }, at);
    completed.push(id);
  }
  return completed;
}
