/** The open tasks assigned to the signed-in person, with their offboarding's facts. */
import { tasksRepo } from '../../storage/repositories.ts';
import type { Actor, App } from '../context.ts';

export function myOpenTasks(app: App, actor: Actor) {
  return tasksRepo.openForAssignee(app.database.db, actor.tenantId, actor.id);
}
