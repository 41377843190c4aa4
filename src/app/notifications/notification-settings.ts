/**
 * How people hear about things: a person's own channel per kind and digest choice, and the
 * MSP's defaults for everyone (with the time zone and hour of the daily digest).
 */
import { eq, sql } from 'drizzle-orm';
import { z } from 'zod';
import { isLocalTime, isTimeZone } from '../../domain/calendar.ts';
import { NotFoundError } from '../../domain/errors.ts';
import { type Preferences, PreferencesSchema } from '../../domain/notification-preferences.ts';
import { tenantsRepo, usersRepo } from '../../storage/repositories.ts';
import { tenants, users } from '../../storage/schema.ts';
import { type Actor, type App, now, parseInput, transaction } from '../context.ts';
import { audit } from '../tasks/task-changes.ts';

export const TenantNotificationSettingsInput = z
  .object({
    preferences: PreferencesSchema.optional(),
    /** The MSP's time zone: when the daily digest goes out, and new clients from a PSA start in it. */
    timezone: z
      .string()
      .refine(isTimeZone, { error: (i) => `unknown time zone ${JSON.stringify(i.input)}` })
      .optional(),
    digestAt: z.string().refine(isLocalTime, 'must be a time HH:MM').optional(),
  })
  .strict();
export type TenantNotificationSettings = { preferences: Preferences; timezone: string; digestAt: string };

export async function myPreferences(app: App, actor: Actor): Promise<Preferences> {
  const user = await usersRepo.get(app.database.db, actor.tenantId, actor.id);
  if (!user) throw new NotFoundError('user', actor.id);
  return user.preferences;
}

export async function setMyPreferences(app: App, actor: Actor, input: unknown): Promise<Preferences> {
  const preferences = parseInput(PreferencesSchema, input, 'preferences');
  await transaction(app, async (tx) => {
    const [row] = await tx.update(users).set({ preferences }).where(eq(users.id, actor.id)).returning({ id: users.id });
    if (!row || actor.kind !== 'user') throw new NotFoundError('user', actor.id);
    await audit(tx, actor, now(app), {
      action: 'user.preferences-changed',
      subject: { type: 'user', id: actor.id },
      data: { preferences },
    });
  });
  return preferences;
}

export async function tenantNotificationSettings(app: App, tenantId: string): Promise<TenantNotificationSettings> {
  return notificationSettingsOf((await tenantsRepo.get(app.database.db, tenantId))?.settings ?? {});
}

/** A tenant's settings as the notifier reads them, with the defaults filled in. */
export function notificationSettingsOf(settings: Record<string, unknown>): TenantNotificationSettings {
  return {
    preferences: settings.notificationPreferences ?? {},
    timezone: typeof settings.defaultTimezone === 'string' ? settings.defaultTimezone : 'UTC',
    digestAt: typeof settings.digestAt === 'string' ? settings.digestAt : '08:00',
  };
}

export async function setTenantNotificationSettings(app: App, actor: Actor, input: unknown): Promise<TenantNotificationSettings> {
  const data = parseInput(TenantNotificationSettingsInput, input, 'notification settings');
  const patch = {
    ...(data.preferences ? { notificationPreferences: data.preferences } : {}),
    ...(data.timezone ? { defaultTimezone: data.timezone } : {}),
    ...(data.digestAt ? { digestAt: data.digestAt } : {}),
  };
  await transaction(app, async (tx) => {
    // Merged in SQL, so a concurrent change to another setting is not overwritten.
    await tx
      .update(tenants)
      .set({ settings: sql`${tenants.settings} || ${JSON.stringify(patch)}::jsonb` })
      .where(eq(tenants.id, actor.tenantId));
    await audit(tx, actor, now(app), {
      action: 'tenant.notification-settings-changed',
      subject: { type: 'tenant', id: actor.tenantId },
      data: patch,
    });
  });
  return tenantNotificationSettings(app, actor.tenantId);
}
