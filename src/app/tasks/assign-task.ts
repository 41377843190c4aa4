/** Assigns or reassigns a task to a member of the staff. */
import { z } from 'zod';
import { InputError } from '../../domain/errors.ts';
import { type TaskRow, usersRepo } from '../../storage/repositories.ts';
import { type Actor, type App, now, parseInput, transaction } from '../context.ts';
import { audit, loadTaskForChange, saveTask } from './task-changes.ts';

export const AssignTaskInput = z.object({ assigneeId: z.string().min(1).max(100) }).strict();

export async function assignTask(
  app: App,
  actor: Actor,
  taskId: string,
  expectedVersion: number | undefined,
  input: z.input<typeof AssignTaskInput>,
): Promise<TaskRow> {
  const data = parseInput(AssignTaskInput, input);
  const at = now(app);
  return transaction(app, async (tx) => {
    const { task } = await loadTaskForChange(tx, actor, taskId, expectedVersion);
    const user = await usersRepo.get(tx, actor.tenantId, data.assigneeId);
    if (!user || user.disabledAt) throw new InputError('invalid input', [{ path: 'assigneeId', message: `no user ${data.assigneeId}` }]);
    const saved = await saveTask(tx, actor, task, { assigneeId: user.id }, at);
    await audit(tx, actor, at, {
      action: 'task.assigned',
      subject: { type: 'task', id: task.id },
      offboardingId: task.offboardingId,
      data: { key: task.key, from: task.assigneeId, to: user.id, toName: user.name },
    });
    return saved;
  });
}
