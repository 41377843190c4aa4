/** Adds a staff member with a role and, optionally, a manager (the escalation chain). */
import { z } from 'zod';
import { ConflictError, InputError } from '../../domain/errors.ts';
import { STAFF_ROLES } from '../../domain/vocabulary.ts';
import { appendAuditEvent } from '../../storage/audit-repository.ts';
import { usersRepo } from '../../storage/repositories.ts';
import { type Actor, type App, actorRef, newId, now, parseInput, transaction } from '../context.ts';
import { hashPassword } from './passwords.ts';

export const CreateUserInput = z
  .object({
    email: z.email(),
    name: z.string().trim().min(1, 'must not be empty').max(200),
    role: z.enum(STAFF_ROLES),
    managerId: z.string().min(1).max(100).optional(),
    password: z.string().min(10, 'must be at least 10 characters').max(200).optional(),
  })
  .strict();

export async function createUser(app: App, actor: Actor, input: z.input<typeof CreateUserInput>): Promise<{ id: string }> {
  const data = parseInput(CreateUserInput, input);
  const passwordHash = data.password ? await hashPassword(data.password) : null;
  const id = newId();
  await transaction(app, async (tx) => {
    if (data.managerId && !(await usersRepo.get(tx, actor.tenantId, data.managerId))) {
      throw new InputError('invalid input', [{ path: 'managerId', message: `no user ${data.managerId}` }]);
    }
    if (await usersRepo.byTenantEmail(tx, actor.tenantId, data.email))
      throw new ConflictError('a user with this email exists', [{ path: 'email', message: 'is taken' }]);
    await usersRepo.insert(tx, {
      id,
      tenantId: actor.tenantId,
      email: data.email,
      name: data.name,
      role: data.role,
      managerId: data.managerId ?? null,
      passwordHash,
    });
    await appendAuditEvent(tx, actor.tenantId, now(app), {
      actor: actorRef(actor),
      action: 'user.created',
      subject: { type: 'user', id },
      data: { email: data.email, role: data.role, managerId: data.managerId ?? null },
    });
  });
  return { id };
}
