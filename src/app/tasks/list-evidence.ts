/** A task's evidence files (their digests and names, not their bytes). */
import { NotFoundError } from '../../domain/errors.ts';
import { evidenceRepo, tasksRepo } from '../../storage/repositories.ts';
import type { Actor, App } from '../context.ts';

export async function listEvidence(app: App, actor: Actor, taskId: string) {
  const db = app.database.db;
  if (!(await tasksRepo.get(db, actor.tenantId, taskId))) throw new NotFoundError('task', taskId);
  return evidenceRepo.ofTask(db, actor.tenantId, taskId);
}
