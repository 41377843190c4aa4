/** Marks a task done, with a note and checklist; refused while its dependencies or gates are open. */
import { z } from 'zod';
import { InputError } from '../../domain/errors.ts';
import { transitionTask } from '../../domain/task-state.ts';
import type { AuthorizationScope, Gate, TaskStatus } from '../../domain/vocabulary.ts';
import { type TaskRow, evidenceRepo } from '../../storage/repositories.ts';
import type { Tx } from '../../storage/db.ts';
import { OWNERSHIP_REGISTER_TASK, registerBacking } from '../documentation/ownership-register.ts';
import { packageBacking } from '../documentation/settle-documentation-package.ts';
import { DOCUMENTATION_PACKAGE_TASK } from '../documentation/package-delivery.ts';
import { CREDENTIAL_INVENTORY_TASK, inventoryBacking } from '../credentials/credential-inventory.ts';
import { CREDENTIAL_TRANSFER_TASK, transferBacking } from '../credentials/credential-transfer.ts';
import { revocationBacking } from '../credentials/revocations.ts';
import { type Actor, type App, now, parseInput, transaction } from '../context.ts';
import { clientToday, contextOf, gateStateOf } from '../offboardings/offboarding-facts.ts';
import { ACCESS_CUTOVER_TASK, MFA_CLEANUP_TASK, accessMayEndOn, missingEvidence } from '../../domain/gates.ts';
import { advanceOffboarding, audit, completePhase, loadTaskForWork, saveTask, unblockDependents } from './task-changes.ts';

/** Tasks that end the MSP's access: backed by the revocation list, and never done before the agreed cut-over. */
const REVOCATION_TASKS = new Set([ACCESS_CUTOVER_TASK, MFA_CLEANUP_TASK]);

export const CompleteTaskInput = z
  .object({
    note: z.string().trim().max(10_000).optional(),
    /** Checklist items ticked off, by their text. */
    checked: z.array(z.string().max(500)).max(100).optional(),
  })
  .strict();

export async function completeTask(
  app: App,
  actor: Actor,
  taskId: string,
  expectedVersion: number | undefined,
  input: z.input<typeof CompleteTaskInput>,
): Promise<{ task: TaskRow; unblocked: string[] }> {
  const data = parseInput(CompleteTaskInput, input);
  const at = now(app);
  return transaction(app, (tx) => completeTaskIn(tx, app, actor, taskId, expectedVersion, data, at));
}

/** Completes a task inside the caller's transaction (a use case that completes one as a consequence). */
export async function completeTaskIn(
  tx: Tx,
  app: App,
  actor: Actor,
  taskId: string,
  expectedVersion: number | undefined,
  data: z.output<typeof CompleteTaskInput>,
  at: string,
): Promise<{ task: TaskRow; unblocked: string[] }> {
  const { task, loaded } = await loadTaskForWork(tx, actor, taskId, expectedVersion);
  const items = new Set(task.checklist.map((c) => c.item));
  const unknown = (data.checked ?? []).map((c, i) => ({ c, i })).filter(({ c }) => !items.has(c));
  if (unknown.length > 0)
    throw new InputError(
      'invalid input',
      unknown.map(({ c, i }) => ({ path: `checked[${i}]`, message: `"${c}" is not on this task's checklist` })),
    );
  const o = loaded.offboarding;
  const notBefore = REVOCATION_TASKS.has(task.key)
    ? { date: accessMayEndOn(o.revocationDate ?? o.endDate, gateStateOf(loaded.attestations)), today: clientToday(loaded.facts, at) }
    : undefined;
  // The ownership register, when the client's documentation is in the product, backs its own task.
  const register =
    task.key === OWNERSHIP_REGISTER_TASK ? await registerBacking(tx, actor, task, loaded.offboarding.clientId, at) : undefined;
  const inventory =
    task.key === CREDENTIAL_INVENTORY_TASK ? await inventoryBacking(tx, actor, task, loaded.offboarding.clientId, at) : undefined;
  const transferred = task.key === CREDENTIAL_TRANSFER_TASK ? await transferBacking(tx, actor, task, at) : undefined;
  const revoked = REVOCATION_TASKS.has(task.key) ? await revocationBacking(tx, actor, task, at) : undefined;
  const delivered = task.key === DOCUMENTATION_PACKAGE_TASK ? await packageBacking(tx, actor, task, at) : undefined;
  const filesAttached = await evidenceRepo.countOfTask(tx, actor.tenantId, task.id);
  const missing = missingEvidence({
    gates: task.gates as Gate[],
    authorizationScope: task.authorizationScope as AuthorizationScope | null,
    evidence: task.evidence,
    evidenceWaived: task.evidenceWaiver !== null,
    filesAttached,
  });
  const next = transitionTask(
    { status: task.status as TaskStatus },
    { type: 'complete' },
    { ...contextOf(task, loaded), notBefore, missingEvidence: missing },
  );
  const checked = new Set(data.checked ?? []);
  const checklist = task.checklist.map((c) => ({ item: c.item, done: c.done || checked.has(c.item) }));
  const saved = await saveTask(
    tx,
    actor,
    task,
    { status: next.status, note: data.note ?? task.note, checklist, completedAt: at, completedBy: actor.id },
    at,
  );
  await audit(tx, actor, at, {
    action: 'task.completed',
    subject: { type: 'task', id: task.id },
    offboardingId: task.offboardingId,
    data: {
      key: task.key,
      title: task.title,
      due: task.due,
      checklist: checklist.filter((c) => c.done).map((c) => c.item),
      // The gates it passed: verify names the statement on file for each.
      gates: task.gates,
      evidenceFiles: filesAttached,
      ...(task.evidenceWaiver ? { evidenceWaived: task.evidenceWaiver.reason } : {}),
      ...register,
      ...inventory,
      ...transferred,
      ...revoked,
      ...delivered,
    },
  });
  const unblocked = await unblockDependents(tx, actor, loaded, saved, at);
  await advanceOffboarding(tx, actor, loaded, saved, at);
  await completePhase(tx, app, actor, loaded, saved, at);
  return { task: saved, unblocked };
}
