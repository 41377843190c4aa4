/** The MSP log's signed checkpoints, oldest first. */
import { type CheckpointRow, logRepo } from '../../storage/log-repository.ts';
import type { Actor, App } from '../context.ts';

export function listCheckpoints(app: App, actor: Actor): Promise<CheckpointRow[]> {
  return logRepo.checkpoints(app.database.db, actor.tenantId);
}
