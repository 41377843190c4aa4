/**
 * What a PSA event means for offboarding: whether the company's new status is one the MSP
 * mapped to "offboarding", and the dates an offboarding opened by it starts with.
 */
import { Temporal } from 'temporal-polyfill';
import type { LocalDate } from './calendar.ts';

export const PSA_PROVIDERS = ['connectwise', 'autotask', 'halopsa', 'generic'] as const;
export type PsaProvider = (typeof PSA_PROVIDERS)[number];

/** One company event as every PSA adapter reports it, whatever its wire format. */
export type PsaCompanyEvent = {
  /** The sender's id for this delivery (ConnectWise MessageId, Autotask Guid:Id:SequenceNumber, Halo id, webhook-id). */
  eventId: string;
  action: 'added' | 'updated' | 'deleted';
  company: { id: string; name?: string | undefined };
  /** The company's status as the PSA names it (ConnectWise status name or id), when the event carries one. */
  status?: { id?: string | undefined; name?: string | undefined } | undefined;
  /** The PSA's own active flag, when the event carries one (Autotask IsActive, Halo inactive). */
  inactive?: boolean | undefined;
  /** When it happened at the PSA (ISO 8601), when the event says. */
  occurredAt?: string | undefined;
};

/** A tenant's mapping for one PSA connection. */
export type PsaMapping = {
  /** Status names or ids that mean "offboarding" (compared without case). */
  statuses: string[];
  /** Whether the PSA's "inactive" flag means "offboarding". */
  inactiveMeansOffboarding: boolean;
};

export const DEFAULT_MAPPINGS: Record<PsaProvider, PsaMapping> = {
  connectwise: { statuses: ['Inactive'], inactiveMeansOffboarding: false },
  autotask: { statuses: [], inactiveMeansOffboarding: true },
  halopsa: { statuses: [], inactiveMeansOffboarding: true },
  generic: { statuses: ['offboarding'], inactiveMeansOffboarding: false },
};

export function meansOffboarding(event: PsaCompanyEvent, mapping: PsaMapping): boolean {
  if (event.action === 'deleted') return false;
  if (mapping.inactiveMeansOffboarding && event.inactive === true) return true;
  const wanted = new Set(mapping.statuses.map((s) => s.trim().toLowerCase()));
  const { id, name } = event.status ?? {};
  return (name !== undefined && wanted.has(name.trim().toLowerCase())) || (id !== undefined && wanted.has(id.trim().toLowerCase()));
}

export const DEFAULT_NOTICE_PERIOD_DAYS = 30;

/**
 * The notice date is the day the PSA changed (in the client's time zone); the contract end is
 * the contract's end date when it is not before that, else the notice period after it. People
 * adjust both afterwards; the trigger only has to open the offboarding on time.
 */
export function triggerDates(
  noticeDate: LocalDate,
  contract: { end?: string | undefined; noticePeriodDays?: number | undefined },
): { noticeDate: LocalDate; endDate: LocalDate } {
  if (contract.end && Temporal.PlainDate.compare(contract.end, noticeDate) >= 0) return { noticeDate, endDate: contract.end };
  const endDate = Temporal.PlainDate.from(noticeDate)
    .add({ days: contract.noticePeriodDays ?? DEFAULT_NOTICE_PERIOD_DAYS })
    .toString();
  return { noticeDate, endDate };
}
