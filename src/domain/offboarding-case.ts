/** The facts of one offboarding that planning needs: the client, the type, the dates. */
import { z } from 'zod';
import { type CalendarSpec, isLocalDate, isTimeZone, type LocalDate } from './calendar.ts';
import { InputError } from './errors.ts';
import { parseYamlDocument, zodIssues } from './parse.ts';
import { FIREWALL_OWNERSHIP, OFFBOARDING_TYPES, SERVICES, type OffboardingType, type ServiceProfile } from './vocabulary.ts';

export const LocalDateSchema = z
  .string({ error: (i) => (i.input === undefined ? 'is required' : 'must be a date YYYY-MM-DD') })
  .refine(isLocalDate, { error: (i) => `must be a real date YYYY-MM-DD, got ${JSON.stringify(i.input)}` });

const serviceFlags = Object.fromEntries(SERVICES.map((s) => [s, z.boolean().default(false)])) as {
  [S in (typeof SERVICES)[number]]: z.ZodDefault<z.ZodBoolean>;
};

export const ServiceProfileSchema = z.object({ ...serviceFlags, firewall: z.enum(FIREWALL_OWNERSHIP).default('none') }).strict();

export const OffboardingCaseSchema = z
  .object({
    client: z
      .object({
        name: z.string().trim().min(1, 'must not be empty'),
        timezone: z.string().refine(isTimeZone, { error: (i) => `unknown time zone ${JSON.stringify(i.input)}` }),
        services: ServiceProfileSchema.default(() => ServiceProfileSchema.parse({})),
      })
      .strict(),
    type: z.enum(OFFBOARDING_TYPES),
    noticeDate: LocalDateSchema,
    endDate: LocalDateSchema,
    revocationDate: LocalDateSchema.optional(),
    retentionDays: z.number().int().min(0).max(3650).optional(),
    newProvider: z
      .object({ name: z.string().trim().min(1, 'must not be empty'), contact: z.string().trim().min(1, 'must not be empty') })
      .strict()
      .optional(),
    calendar: z
      .object({
        workdays: z
          .array(z.number().int().min(1, 'must be 1 (Monday) to 7 (Sunday)').max(7, 'must be 1 (Monday) to 7 (Sunday)'))
          .min(1, 'must name at least one day')
          .refine((d) => new Set(d).size === d.length, 'must not repeat a day')
          .optional(),
        holidays: z.array(LocalDateSchema).optional(),
      })
      .strict()
      .optional(),
  })
  .strict()
  .superRefine((c, ctx) => {
    if (isLocalDate(c.noticeDate) && isLocalDate(c.endDate) && c.endDate < c.noticeDate) {
      ctx.addIssue({ code: 'custom', path: ['endDate'], message: `must be on or after noticeDate (${c.noticeDate})` });
    }
    if (c.revocationDate && isLocalDate(c.revocationDate) && isLocalDate(c.noticeDate) && c.revocationDate < c.noticeDate) {
      ctx.addIssue({ code: 'custom', path: ['revocationDate'], message: `must be on or after noticeDate (${c.noticeDate})` });
    }
  });

export type OffboardingCaseInput = z.input<typeof OffboardingCaseSchema>;

/** Validated facts with defaults filled in. */
export type OffboardingFacts = {
  client: { name: string; timezone: string; services: ServiceProfile };
  type: OffboardingType;
  noticeDate: LocalDate;
  endDate: LocalDate;
  revocationDate?: LocalDate | undefined;
  retentionDays?: number | undefined;
  newProvider?: { name: string; contact: string } | undefined;
  calendar?: CalendarSpec | undefined;
};

export function validateCase(data: unknown, locate?: (path: string) => string | undefined): OffboardingFacts {
  const result = OffboardingCaseSchema.safeParse(data, { reportInput: true });
  if (!result.success) {
    const issues = zodIssues(result.error).map((i) => {
      const where = locate?.(i.path);
      return where ? { ...i, message: `${i.message} (${where})` } : i;
    });
    throw new InputError('the offboarding case is invalid', issues);
  }
  return result.data;
}

export function parseCase(text: string): OffboardingFacts {
  const { data, locate } = parseYamlDocument(text, (issues) => new InputError('the offboarding case is not valid YAML or JSON', issues));
  return validateCase(data, locate);
}
