/** One task with the offboarding it belongs to (its guidance comes from the offboarding's playbook). */
import { NotFoundError } from '../../domain/errors.ts';
import { type OffboardingRow, type TaskRow, offboardingsRepo, tasksRepo } from '../../storage/repositories.ts';
import type { Actor, App } from '../context.ts';

export async function getTask(app: App, actor: Actor, id: string): Promise<{ task: TaskRow; offboarding: OffboardingRow }> {
  const db = app.database.db;
  const task = await tasksRepo.get(db, actor.tenantId, id);
  const offboarding = task ? await offboardingsRepo.get(db, actor.tenantId, task.offboardingId) : undefined;
  if (!task || !offboarding) throw new NotFoundError('task', id);
  return { task, offboarding };
}
