/** Ticks (or unticks) one checklist item of an open task: saved at once and audited, so a reload keeps it. */
import { z } from 'zod';
import { ConflictError, InputError } from '../../domain/errors.ts';
import type { TaskRow } from '../../storage/repositories.ts';
import { type Actor, type App, now, parseInput, transaction } from '../context.ts';
import { audit, loadTaskForWork, saveTask } from './task-changes.ts';

export const TickChecklistInput = z
  .object({
    item: z.string().min(1).max(500).describe('The checklist item, by its text'),
    done: z.boolean(),
  })
  .strict();

export async function tickChecklistItem(
  app: App,
  actor: Actor,
  taskId: string,
  expectedVersion: number | undefined,
  input: z.input<typeof TickChecklistInput>,
): Promise<TaskRow> {
  const data = parseInput(TickChecklistInput, input);
  const at = now(app);
  return transaction(app, async (tx) => {
    const { task } = await loadTaskForWork(tx, actor, taskId, expectedVersion);
    if (!task.checklist.some((c) => c.item === data.item))
      throw new InputError('invalid input', [{ path: 'item', message: `"${data.item}" is not on this task's checklist` }]);
    if (task.status === 'done' || task.status === 'waived')
      throw new ConflictError(`the task is ${task.status}: reopen it to change its checklist`);
    const checklist = task.checklist.map((c) => (c.item === data.item ? { item: c.item, done: data.done } : c));
    const saved = await saveTask(tx, actor, task, { checklist }, at);
    await audit(tx, actor, at, {
      action: data.done ? 'task.checklist-ticked' : 'task.checklist-unticked',
      subject: { type: 'task', id: task.id },
      offboardingId: task.offboardingId,
      data: { key: task.key, item: data.item },
    });
    return saved;
  });
}
