/** Creates an MSP (tenant) with its default playbook and calendar, and optionally its first admin. */
import { readFileSync } from 'node:fs';
import { z } from 'zod';
import { parsePlaybook } from '../../domain/playbook.ts';
import { appendAuditEvent } from '../../storage/audit-repository.ts';
import { calendarsRepo, playbooksRepo, tenantsRepo, usersRepo } from '../../storage/repositories.ts';
import { type App, newId, now, parseInput, transaction } from '../context.ts';
import { sha256Hex } from '../digest.ts';
import { DEFAULT_PLAYBOOK_PATH } from '../files.ts';
import { hashPassword } from './passwords.ts';
import { ensureSigningKey } from '../log/transparency-log.ts';

export const CreateTenantInput = z
  .object({
    name: z.string().trim().min(1, 'must not be empty').max(200),
    admin: z
      .object({
        email: z.email(),
        name: z.string().trim().min(1).max(200),
        password: z.string().min(10, 'must be at least 10 characters').max(200),
      })
      .strict()
      .optional(),
  })
  .strict();

export async function createTenant(
  app: App,
  input: z.input<typeof CreateTenantInput>,
): Promise<{ tenantId: string; adminId?: string; calendarId: string; playbookId: string }> {
  const data = parseInput(CreateTenantInput, input);
  const source = readFileSync(DEFAULT_PLAYBOOK_PATH, 'utf8');
  const playbook = parsePlaybook(source);
  const passwordHash = data.admin ? await hashPassword(data.admin.password) : null;
  const tenantId = newId();
  const calendarId = newId();
  const playbookId = newId();
  const adminId = data.admin ? newId() : undefined;
  const at = now(app);
  await transaction(app, async (tx) => {
    await tenantsRepo.insert(tx, { id: tenantId, name: data.name, settings: { defaultCalendarId: calendarId } });
    await calendarsRepo.insert(tx, { id: calendarId, tenantId, name: 'Monday to Friday', workdays: [1, 2, 3, 4, 5], holidays: [] });
    await playbooksRepo.insert(tx, {
      id: playbookId,
      tenantId,
      name: playbook.name,
      version: playbook.version,
      digest: sha256Hex(source),
      source,
      isDefault: true,
    });
    const system = 'system';
    await appendAuditEvent(tx, tenantId, at, {
      actor: system,
      action: 'tenant.created',
      subject: { type: 'tenant', id: tenantId },
      data: { name: data.name, playbook: { id: playbookId, digest: sha256Hex(source) } },
    });
    if (data.admin && adminId) {
      await usersRepo.insert(tx, { id: adminId, tenantId, email: data.admin.email, name: data.admin.name, role: 'admin', passwordHash });
      await appendAuditEvent(tx, tenantId, at, {
        actor: system,
        action: 'user.created',
        subject: { type: 'user', id: adminId },
        data: { email: data.admin.email, role: 'admin' },
      });
    }
    // The log's signing key is born with the MSP (where the server's secret key is available to seal it).
    await ensureSigningKey(tx, app, tenantId);
  });
  return { tenantId, calendarId, playbookId, ...(adminId ? { adminId } : {}) };
}
