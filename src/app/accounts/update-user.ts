/**
 * An admin changes a person: role, manager (the escalation chain), or disables them. Disabled
 * people cannot sign in, get no new assignments or notifications, their sessions end and the
 * API tokens they made are revoked: at once in this process, in others within the 5-second
 * sign-in cache.
 */
import { eq } from 'drizzle-orm';
import { z } from 'zod';
import { ConflictError, InputError, NotFoundError } from '../../domain/errors.ts';
import { STAFF_ROLES } from '../../domain/vocabulary.ts';
import { usersRepo } from '../../storage/repositories.ts';
import { sessions, users } from '../../storage/schema.ts';
import { type Actor, type App, now, parseInput, transaction } from '../context.ts';
import { audit } from '../tasks/task-changes.ts';
import { revokeTokensMadeBy } from './api-tokens.ts';
import { forgetUser } from './auth-cache.ts';

export const UpdateUserInput = z
  .object({
    role: z.enum(STAFF_ROLES).optional(),
    /** null: reports to no one (the top of the chain: leadership when a manager). */
    managerId: z.string().min(1).max(100).nullable().optional(),
    disabled: z.boolean().optional(),
  })
  .strict()
  .refine((d) => Object.keys(d).length > 0, 'must change something');

export async function updateUser(app: App, actor: Actor, userId: string, input: z.input<typeof UpdateUserInput>) {
  const data = parseInput(UpdateUserInput, input, 'user');
  const at = now(app);
  return transaction(app, async (tx) => {
    const user = await usersRepo.get(tx, actor.tenantId, userId);
    if (!user) throw new NotFoundError('user', userId);
    if (userId === actor.id && (data.disabled || (data.role && data.role !== 'admin'))) {
      throw new ConflictError('you cannot disable yourself or give up your own admin role', [
        { path: data.disabled ? 'disabled' : 'role', message: 'ask another admin' },
      ]);
    }
    const demoted =
      user.role === 'admin' && !user.disabledAt && (data.disabled === true || (data.role !== undefined && data.role !== 'admin'));
    if (demoted && !(await usersRepo.list(tx, actor.tenantId)).some((u) => u.id !== userId && u.role === 'admin' && !u.disabledAt)) {
      throw new ConflictError('this is the last admin: make someone else admin first', [
        { path: data.disabled ? 'disabled' : 'role', message: 'the MSP needs an admin' },
      ]);
    }
    if (data.managerId) {
      // The new manager must exist here, and must not be this person or report to them (a loop in the chain).
      const all = new Map((await usersRepo.list(tx, actor.tenantId)).map((u) => [u.id, u] as const));
      if (!all.has(data.managerId)) throw new InputError('invalid user', [{ path: 'managerId', message: `no user ${data.managerId}` }]);
      for (let at: string | null | undefined = data.managerId, hops = 0; at && hops <= all.size; at = all.get(at)?.managerId, hops++) {
        if (at === userId) throw new InputError('invalid user', [{ path: 'managerId', message: 'would make a loop in the manager chain' }]);
      }
    }
    const changes = {
      ...(data.role ? { role: data.role } : {}),
      ...(data.managerId !== undefined ? { managerId: data.managerId } : {}),
      ...(data.disabled !== undefined ? { disabledAt: data.disabled ? (user.disabledAt ?? at) : null } : {}),
    };
    const [saved] = await tx.update(users).set(changes).where(eq(users.id, userId)).returning();
    const revokedTokens = data.disabled ? await revokeTokensMadeBy(tx, actor.tenantId, userId, at) : [];
    if (data.disabled) await tx.delete(sessions).where(eq(sessions.userId, userId));
    await audit(tx, actor, at, {
      action: 'user.changed',
      subject: { type: 'user', id: userId },
      data: {
        role: data.role ?? null,
        managerId: data.managerId ?? null,
        disabled: data.disabled ?? null,
        ...(revokedTokens.length > 0 ? { revokedTokens } : {}),
      },
    });
    // Their sessions and tokens are looked up afresh here at once; other processes follow within AUTH_CACHE_MS.
    forgetUser(app, userId);
    return saved as NonNullable<typeof saved>;
  });
}
