/** Waives a task that does not apply, with a reason; the approver is the person waiving it. */
import { z } from 'zod';
import { transitionTask } from '../../domain/task-state.ts';
import type { TaskStatus } from '../../domain/vocabulary.ts';
import type { TaskRow } from '../../storage/repositories.ts';
import { type Actor, type App, now, parseInput, transaction } from '../context.ts';
import { contextOf } from '../offboardings/offboarding-facts.ts';
import { advanceOffboarding, audit, completePhase, loadTaskForChange, saveTask, unblockDependents } from './task-changes.ts';

export const WaiveTaskInput = z.object({ reason: z.string().trim().min(1, 'is required').max(2000) }).strict();

export async function waiveTask(
  app: App,
  actor: Actor,
  taskId: string,
  expectedVersion: number | undefined,
  input: z.input<typeof WaiveTaskInput>,
): Promise<{ task: TaskRow; unblocked: string[] }> {
  const data = parseInput(WaiveTaskInput, input);
  const at = now(app);
  return transaction(app, async (tx) => {
    const { task, loaded } = await loadTaskForChange(tx, actor, taskId, expectedVersion);
    const next = transitionTask(
      { status: task.status as TaskStatus },
      { type: 'waive', reason: data.reason, approver: actor.id },
      contextOf(task, loaded),
    );
    const saved = await saveTask(tx, actor, task, { status: next.status, waiver: { reason: data.reason, approverId: actor.id } }, at);
    await audit(tx, actor, at, {
      action: 'task.waived',
      subject: { type: 'task', id: task.id },
      offboardingId: task.offboardingId,
      data: { key: task.key, title: task.title, reason: data.reason, approver: actor.id },
    });
    const unblocked = await unblockDependents(tx, actor, loaded, saved, at);
    await advanceOffboarding(tx, actor, loaded, saved, at);
    await completePhase(tx, app, actor, loaded, saved, at);
    return { task: saved, unblocked };
  });
}
