/** Steps shared by the task use cases; each runs inside the caller's transaction. */
import type { AuditEventInput } from '../../domain/audit.ts';
import { ConflictError, ForbiddenError, NotFoundError } from '../../domain/errors.ts';
import { permits, taskRefusal } from '../../domain/policies.ts';
import { transitionOffboarding } from '../../domain/offboarding-state.ts';
import { transitionTask } from '../../domain/task-state.ts';
import { isClosedStatus, type TaskStatus } from '../../domain/vocabulary.ts';
import { appendAuditEvent } from '../../storage/audit-repository.ts';
import type { Tx } from '../../storage/db.ts';
import { type TaskRow, offboardingsRepo, tasksRepo } from '../../storage/repositories.ts';
import { type Actor, type App, actorRef } from '../context.ts';
import { signCheckpoint } from '../log/transparency-log.ts';
import { type LoadedOffboarding, clientToday, contextOf, loadOffboarding, openTasks } from '../offboardings/offboarding-facts.ts';

export const STALE = 'the task was changed by someone else; reload it and try again';

/**
 * Loads a task with its offboarding, refusing (in this order) someone the task's rule does not
 * let work it, a stale version, and an offboarding that is over.
 */
export async function loadTaskForChange(
  tx: Tx,
  actor: Actor,
  taskId: string,
  expectedVersion: number | undefined,
  options: { work?: boolean } = {},
) {
  const task = await tasksRepo.get(tx, actor.tenantId, taskId);
  if (!task) throw new NotFoundError('task', taskId);
  if (options.work && !permits('tasks.work', actor, task)) {
    throw new ForbiddenError(taskRefusal(task.role));
  }
  if (expectedVersion !== undefined && expectedVersion !== task.version)
    throw new ConflictError(STALE, [{ path: 'version', message: `is ${task.version}, not ${expectedVersion}` }]);
  const loaded = await loadOffboarding(tx, actor.tenantId, task.offboardingId);
  if (loaded.offboarding.status === 'closed' || loaded.offboarding.status === 'cancelled') {
    throw new ConflictError(`the offboarding is ${loaded.offboarding.status}`);
  }
  return { task, loaded };
}

/** Loads a task for someone who means to work it (start, complete, attach evidence). */
export const loadTaskForWork = (tx: Tx, actor: Actor, taskId: string, expectedVersion: number | undefined) =>
  loadTaskForChange(tx, actor, taskId, expectedVersion, { work: true });

/** Compare-and-set on the version read, so of two concurrent changes exactly one wins. */
export async function saveTask(tx: Tx, actor: Actor, task: TaskRow, changes: Partial<TaskRow>, at: string): Promise<TaskRow> {
  const saved = await tasksRepo.update(tx, actor.tenantId, task.id, task.version, changes, at);
  if (!saved) throw new ConflictError(STALE);
  return saved;
}

export async function audit(tx: Tx, actor: Actor, at: string, event: Omit<AuditEventInput, 'actor'>) {
  return appendAuditEvent(tx, actor.tenantId, at, { actor: actorRef(actor), ...event });
}

/** After a task is done or waived: dependents whose dependencies are all closed become ready. */
export async function unblockDependents(tx: Tx, actor: Actor, loaded: LoadedOffboarding, closed: TaskRow, at: string): Promise<string[]> {
  const tasks = loaded.tasks.map((t) => (t.id === closed.id ? closed : t));
  const today = clientToday(loaded.facts, at);
  const unblocked: string[] = [];
  for (const t of tasks) {
    if (t.status !== 'pending' || !t.dependsOn.includes(closed.key)) continue;
    const ctx = contextOf(t, { tasks, attestations: loaded.attestations });
    if (ctx.openDependencies.length > 0) continue;
    const next = transitionTask({ status: 'pending' }, { type: 'dependencies-done' }, ctx);
    await saveTask(tx, actor, t, { status: next.status, readyOn: today }, at);
    await audit(tx, actor, at, {
      action: 'task.ready',
      subject: { type: 'task', id: t.id },
      offboardingId: loaded.offboarding.id,
      data: { key: t.key, after: closed.key },
    });
    unblocked.push(t.key);
  }
  return unblocked;
}

/** After a task is reopened: open dependents go back to pending. */
export async function blockDependents(tx: Tx, actor: Actor, loaded: LoadedOffboarding, reopened: TaskRow, at: string): Promise<string[]> {
  const blocked: string[] = [];
  for (const t of loaded.tasks) {
    if ((t.status !== 'ready' && t.status !== 'in-progress') || !t.dependsOn.includes(reopened.key)) continue;
    const next = transitionTask(
      { status: t.status },
      { type: 'dependency-reopened' },
      { openDependencies: [reopened.key], unmetGates: [] },
    );
    await saveTask(tx, actor, t, { status: next.status, readyOn: null }, at);
    await audit(tx, actor, at, {
      action: 'task.blocked',
      subject: { type: 'task', id: t.id },
      offboardingId: loaded.offboarding.id,
      data: { key: t.key, waitingOn: reopened.key },
    });
    blocked.push(t.key);
  }
  return blocked;
}

/** When the last task due by the end date closes, the offboarding moves on to closing. */
export async function advanceOffboarding(tx: Tx, actor: Actor, loaded: LoadedOffboarding, changed: TaskRow, at: string): Promise<void> {
  const o = loaded.offboarding;
  if (o.status !== 'active') return;
  const tasks = loaded.tasks.map((t) => (t.id === changed.id ? changed : t));
  const open = openTasks(tasks);
  if (open.beforeEnd.length > 0 || !isClosedStatus(changed.status as TaskStatus)) return;
  const next = transitionOffboarding(
    { status: 'active' },
    { type: 'begin-closing' },
    { openTasksBeforeEnd: open.beforeEnd, openTasks: open.all },
  );
  const saved = await offboardingsRepo.update(tx, actor.tenantId, o.id, o.version, { status: next.status }, at);
  if (!saved) throw new ConflictError('the offboarding was changed by someone else; try again');
  await audit(tx, actor, at, {
    action: 'offboarding.closing',
    subject: { type: 'offboarding', id: o.id },
    offboardingId: o.id,
    data: { remaining: open.all },
  });
}

/** When a task closes the last open task of its phase: the phase is audited as completed and a checkpoint is signed. */
export async function completePhase(
  tx: Tx,
  app: App,
  actor: Actor,
  loaded: LoadedOffboarding,
  changed: TaskRow,
  at: string,
): Promise<void> {
  if (!isClosedStatus(changed.status as TaskStatus)) return;
  const phase = loaded.tasks.map((t) => (t.id === changed.id ? changed : t)).filter((t) => t.phase === changed.phase);
  if (!phase.every((t) => isClosedStatus(t.status as TaskStatus))) return;
  const o = loaded.offboarding;
  await audit(tx, actor, at, {
    action: 'phase.completed',
    subject: { type: 'offboarding', id: o.id },
    offboardingId: o.id,
    data: { phase: changed.phase, tasks: phase.map((t) => t.key) },
  });
  await signCheckpoint(tx, app, actor.tenantId, 'phase-completed', at);
}
