/**
 * Passwords after sign-up: a person changes their own (proving the current one; their other
 * sessions end), and an admin resets someone's to a temporary one shown once (all of that
 * person's sessions end). Audited without the passwords.
 */
import { randomBytes } from 'node:crypto';
import { and, eq, ne } from 'drizzle-orm';
import { z } from 'zod';
import { ConflictError, ForbiddenError, InputError, NotFoundError } from '../../domain/errors.ts';
import { usersRepo } from '../../storage/repositories.ts';
import { sessions, users } from '../../storage/schema.ts';
import { type Actor, type App, now, parseInput, transaction } from '../context.ts';
import { audit } from '../tasks/task-changes.ts';
import { forgetUser } from './auth-cache.ts';
import { hashPassword, verifyPassword } from './passwords.ts';
import { tokenHash } from './sign-in.ts';

const NewPassword = z.string().min(10, 'must be at least 10 characters').max(200);

export const ChangePasswordInput = z.object({ currentPassword: z.string().min(1).max(200), newPassword: NewPassword }).strict();

export async function changeOwnPassword(
  app: App,
  actor: Actor,
  sessionToken: string | undefined,
  input: z.input<typeof ChangePasswordInput>,
): Promise<void> {
  const data = parseInput(ChangePasswordInput, input, 'password');
  if (actor.kind !== 'user') throw new ForbiddenError('only a signed-in person changes their own password (an API token has none)');
  const user = await usersRepo.get(app.database.db, actor.tenantId, actor.id);
  if (!user?.passwordHash || !(await verifyPassword(data.currentPassword, user.passwordHash)))
    throw new InputError('invalid password', [{ path: 'currentPassword', message: 'is not your current password' }]);
  if (data.newPassword === data.currentPassword)
    throw new InputError('invalid password', [{ path: 'newPassword', message: 'must differ from the current one' }]);
  const passwordHash = await hashPassword(data.newPassword);
  const at = now(app);
  await transaction(app, async (tx) => {
    await tx.update(users).set({ passwordHash }).where(eq(users.id, actor.id));
    // Anyone else signed in as this person (a forgotten laptop) is signed out; this browser stays.
    const keep = sessionToken ? ne(sessions.tokenHash, tokenHash(sessionToken)) : undefined;
    await tx.delete(sessions).where(keep ? and(eq(sessions.userId, actor.id), keep) : eq(sessions.userId, actor.id));
    await audit(tx, actor, at, { action: 'user.password-changed', subject: { type: 'user', id: actor.id }, data: { by: 'themselves' } });
  });
  forgetUser(app, actor.id);
}

/** A temporary password: 16 random characters from an alphabet without look-alikes, to read out or paste. */
function temporaryPassword(): string {
  const alphabet = 'abcdefghjkmnpqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ23456789';
  return Array.from(randomBytes(16), (b) => alphabet[b % alphabet.length]).join('');
}

export async function resetPassword(app: App, actor: Actor, userId: string): Promise<{ temporaryPassword: string }> {
  const password = temporaryPassword();
  const passwordHash = await hashPassword(password);
  const at = now(app);
  await transaction(app, async (tx) => {
    const user = await usersRepo.get(tx, actor.tenantId, userId);
    if (!user) throw new NotFoundError('user', userId);
    if (user.disabledAt) throw new ConflictError('this person is disabled: enable them first');
    await tx.update(users).set({ passwordHash }).where(eq(users.id, userId));
    await tx.delete(sessions).where(eq(sessions.userId, userId));
    await audit(tx, actor, at, { action: 'user.password-changed', subject: { type: 'user', id: userId }, data: { by: 'admin-reset' } });
  });
  forgetUser(app, userId);
  return { temporaryPassword: password };
}
