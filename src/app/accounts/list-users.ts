/** The MSP's people, by name. */
import { type UserRow, usersRepo } from '../../storage/repositories.ts';
import type { Actor, App } from '../context.ts';

export function listUsers(app: App, actor: Actor): Promise<UserRow[]> {
  return usersRepo.list(app.database.db, actor.tenantId);
}
