/** Who is asking: the actor, with the name and email of the person behind a session. */
import { type Action, permissionsOf } from '../../domain/policies.ts';
import { usersRepo } from '../../storage/repositories.ts';
import type { Actor, App } from '../context.ts';

export type Me = {
  id: string;
  tenantId: string;
  kind: Actor['kind'];
  role: Actor['role'];
  name?: string;
  email?: string;
  /** What the role may do, from the permission table the routes check. */
  permissions: Action[];
};

export async function whoAmI(app: App, actor: Actor): Promise<Me> {
  const user = actor.kind === 'user' ? await usersRepo.get(app.database.db, actor.tenantId, actor.id) : undefined;
  return {
    id: actor.id,
    tenantId: actor.tenantId,
    kind: actor.kind,
    role: actor.role,
    permissions: permissionsOf(actor.role),
    ...(user ? { name: user.name, email: user.email } : {}),
  };
}
