/** One person of the MSP, by id. */
import { NotFoundError } from '../../domain/errors.ts';
import { type UserRow, usersRepo } from '../../storage/repositories.ts';
import type { Actor, App } from '../context.ts';

export async function getUser(app: App, actor: Actor, id: string): Promise<UserRow> {
  const user = await usersRepo.get(app.database.db, actor.tenantId, id);
  if (!user) throw new NotFoundError('user', id);
  return user;
}
