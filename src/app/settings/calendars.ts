/**
 * Business calendars: which weekdays are worked and which dates are holidays. A client plans in
 * its own calendar or the MSP's default; offboardings keep the calendar they were planned with.
 */
import { and, eq } from 'drizzle-orm';
import { z } from 'zod';
import { isLocalDate } from '../../domain/calendar.ts';
import { NotFoundError } from '../../domain/errors.ts';
import { tenantsRepo } from '../../storage/repositories.ts';
import { calendars } from '../../storage/schema.ts';
import { type Actor, type App, newId, now, parseInput, transaction } from '../context.ts';
import { audit } from '../tasks/task-changes.ts';

export const CalendarInput = z
  .object({
    name: z.string().trim().min(1, 'must not be empty').max(100),
    workdays: z
      .array(z.number().int().min(1, 'must be 1 (Monday) to 7 (Sunday)').max(7, 'must be 1 (Monday) to 7 (Sunday)'))
      .min(1, 'must name at least one day')
      .refine((d) => new Set(d).size === d.length, 'must not repeat a day'),
    holidays: z.array(z.string().refine(isLocalDate, 'must be a date YYYY-MM-DD')).max(500).default([]),
  })
  .strict();

export async function listCalendars(app: App, actor: Actor) {
  const rows = await app.database.db.select().from(calendars).where(eq(calendars.tenantId, actor.tenantId)).orderBy(calendars.name);
  const defaultId = (await tenantsRepo.get(app.database.db, actor.tenantId))?.settings.defaultCalendarId;
  return rows.map((c) => ({
    id: c.id,
    name: c.name,
    workdays: c.workdays,
    holidays: [...c.holidays].sort(),
    isDefault: c.id === defaultId,
  }));
}

export async function saveCalendar(
  app: App,
  actor: Actor,
  id: string | undefined,
  input: z.input<typeof CalendarInput>,
): Promise<{ id: string }> {
  const data = parseInput(CalendarInput, input, 'calendar');
  const holidays = [...new Set(data.holidays)].sort();
  return transaction(app, async (tx) => {
    const calendarId = id ?? newId();
    if (id) {
      const [row] = await tx
        .update(calendars)
        .set({ name: data.name, workdays: data.workdays, holidays })
        .where(and(eq(calendars.tenantId, actor.tenantId), eq(calendars.id, id)))
        .returning({ id: calendars.id });
      if (!row) throw new NotFoundError('calendar', id);
    } else
      await tx.insert(calendars).values({ id: calendarId, tenantId: actor.tenantId, name: data.name, workdays: data.workdays, holidays });
    await audit(tx, actor, now(app), {
      action: id ? 'calendar.changed' : 'calendar.created',
      subject: { type: 'calendar', id: calendarId },
      data: { name: data.name, workdays: data.workdays, holidays },
    });
    return { id: calendarId };
  });
}
