/** Reopens a done or waived task; open tasks that depend on it wait again. */
import { z } from 'zod';
import { transitionTask } from '../../domain/task-state.ts';
import type { TaskStatus } from '../../domain/vocabulary.ts';
import type { TaskRow } from '../../storage/repositories.ts';
import { type Actor, type App, now, parseInput, transaction } from '../context.ts';
import { clientToday, contextOf } from '../offboardings/offboarding-facts.ts';
import { audit, blockDependents, loadTaskForChange, saveTask } from './task-changes.ts';

export const ReopenTaskInput = z.object({ reason: z.string().trim().min(1, 'is required').max(2000) }).strict();

export async function reopenTask(
  app: App,
  actor: Actor,
  taskId: string,
  expectedVersion: number | undefined,
  input: z.input<typeof ReopenTaskInput>,
): Promise<TaskRow> {
  const data = parseInput(ReopenTaskInput, input);
  const at = now(app);
  return transaction(app, async (tx) => {
    const { task, loaded } = await loadTaskForChange(tx, actor, taskId, expectedVersion);
    const next = transitionTask({ status: task.status as TaskStatus }, { type: 'reopen' }, contextOf(task, loaded));
    const saved = await saveTask(
      tx,
      actor,
      task,
      {
        status: next.status,
        waiver: null,
        completedAt: null,
        completedBy: null,
        readyOn: next.status === 'ready' ? clientToday(loaded.facts, at) : null,
      },
      at,
    );
    await audit(tx, actor, at, {
      action: 'task.reopened',
      subject: { type: 'task', id: task.id },
      offboardingId: task.offboardingId,
      data: { key: task.key, reason: data.reason, was: task.status },
    });
    await blockDependents(tx, actor, loaded, saved, at);
    return saved;
  });
}
