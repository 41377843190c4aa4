/** The shape of a client as the API and the use cases take it. */
import { z } from 'zod';
import { isLocalDate, isTimeZone } from '../../domain/calendar.ts';
import { InputError } from '../../domain/errors.ts';
import { ServiceProfileSchema } from '../../domain/offboarding-case.ts';
import { TASK_ROLES } from '../../domain/vocabulary.ts';
import { PSA_PROVIDERS } from '../../domain/psa-trigger.ts';
import type { Queryable } from '../../storage/db.ts';
import { calendarsRepo, usersRepo } from '../../storage/repositories.ts';

const LocalDate = z.string().refine(isLocalDate, 'must be a date YYYY-MM-DD');
const Money = z.number().min(0).max(10_000_000);

export const ContactInput = z
  .object({
    name: z.string().trim().min(1, 'must not be empty').max(200),
    email: z.email(),
    phone: z.string().trim().max(50).optional(),
    role: z.string().trim().max(100).optional(),
    authorizedSigner: z.boolean().default(false),
  })
  .strict();

export const ContractInput = z
  .object({
    start: LocalDate.optional(),
    end: LocalDate.optional(),
    noticePeriodDays: z.number().int().min(0).max(3650).optional(),
    retentionDays: z.number().int().min(0).max(3650).optional(),
    includedOffboardingHours: z.number().min(0).max(1000).optional(),
    hourlyRate: Money.optional(),
    transitionFee: Money.optional(),
    returningClientFee: Money.optional(),
  })
  .strict();

export const ClientInput = z
  .object({
    name: z.string().trim().min(1, 'must not be empty').max(200),
    timezone: z.string().refine(isTimeZone, { error: (i) => `unknown time zone ${JSON.stringify(i.input)}` }),
    calendarId: z.string().min(1).max(100).optional(),
    psaIds: z.partialRecord(z.enum(PSA_PROVIDERS), z.string().min(1).max(100)).optional(),
    contacts: z.array(ContactInput).max(50).default([]),
    services: ServiceProfileSchema.default(() => ServiceProfileSchema.parse({})),
    contract: ContractInput.default({}),
    team: z.partialRecord(z.enum(TASK_ROLES), z.string().min(1).max(100)).optional(),
  })
  .strict();

export type ClientInputData = z.output<typeof ClientInput>;

/** Checks the references a client makes: its calendar and its team members belong to this tenant. */
export async function checkClientReferences(q: Queryable, tenantId: string, data: Partial<ClientInputData>): Promise<void> {
  const issues = [];
  if (data.calendarId && !(await calendarsRepo.get(q, tenantId, data.calendarId)))
    issues.push({ path: 'calendarId', message: `no calendar ${data.calendarId}` });
  for (const [role, userId] of Object.entries(data.team ?? {})) {
    if (userId && !(await usersRepo.get(q, tenantId, userId))) issues.push({ path: `team.${role}`, message: `no user ${userId}` });
  }
  if (issues.length > 0) throw new InputError('invalid client', issues);
}
