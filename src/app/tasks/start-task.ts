/** Someone starts working on a ready task. */
import { transitionTask } from '../../domain/task-state.ts';
import type { TaskStatus } from '../../domain/vocabulary.ts';
import type { TaskRow } from '../../storage/repositories.ts';
import { type Actor, type App, now, transaction } from '../context.ts';
import { contextOf } from '../offboardings/offboarding-facts.ts';
import { audit, loadTaskForWork, saveTask } from './task-changes.ts';

export async function startTask(app: App, actor: Actor, taskId: string, expectedVersion: number | undefined): Promise<TaskRow> {
  const at = now(app);
  return transaction(app, async (tx) => {
    const { task, loaded } = await loadTaskForWork(tx, actor, taskId, expectedVersion);
    const next = transitionTask({ status: task.status as TaskStatus }, { type: 'start' }, contextOf(task, loaded));
    const saved = await saveTask(tx, actor, task, { status: next.status }, at);
    await audit(tx, actor, at, {
      action: 'task.started',
      subject: { type: 'task', id: task.id },
      offboardingId: task.offboardingId,
      data: { key: task.key },
    });
    return saved;
  });
}
