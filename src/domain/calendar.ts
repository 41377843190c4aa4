/**
 * Business-day calendar and local-time helpers. All date arithmetic goes through Temporal
 * (the temporal-polyfill package); the calendar only memoizes the results in a day table so
 * that planning and rehearsing thousands of offboardings stays fast.
 */
import { Temporal } from 'temporal-polyfill';

/** A calendar date in the client's time zone, `YYYY-MM-DD`. Sorts lexicographically. */
export type LocalDate = string;

/** ISO weekday: Monday = 1 ... Sunday = 7. */
export type Weekday = 1 | 2 | 3 | 4 | 5 | 6 | 7;

export type CalendarSpec = {
  workdays?: readonly number[] | undefined;
  holidays?: readonly LocalDate[] | undefined;
};

export const DEFAULT_WORKDAYS: readonly Weekday[] = [1, 2, 3, 4, 5];

const DATE_SHAPE = /^\d{4}-\d{2}-\d{2}$/;

/** True when `value` is a real calendar date written as YYYY-MM-DD. */
export function isLocalDate(value: string): boolean {
  if (!DATE_SHAPE.test(value)) return false;
  try {
    Temporal.PlainDate.from(value, { overflow: 'reject' });
    return true;
  } catch {
    return false;
  }
}

export function isTimeZone(value: string): boolean {
  if (value.trim() === '') return false;
  try {
    Temporal.PlainDate.from('2000-01-01').toZonedDateTime({ timeZone: value });
    return true;
  } catch {
    return false;
  }
}

const TIME_SHAPE = /^([01]\d|2[0-3]):[0-5]\d$/;
export function isLocalTime(value: string): boolean {
  return TIME_SHAPE.test(value);
}

const instantCache = new Map<string, string>();

/** The UTC instant (ISO 8601, `Z`) of a local wall-clock time on a date in a time zone. */
export function zonedInstant(date: LocalDate, time: string, timeZone: string): string {
  const key = `${timeZone}|${date}|${time}`;
  let hit = instantCache.get(key);
  if (hit === undefined) {
    // 'compatible' is the RFC 5545 rule: a time in a DST gap moves forward, an ambiguous one takes the earlier instant.
    hit = Temporal.PlainDate.from(date)
      .toZonedDateTime({ timeZone, plainTime: Temporal.PlainTime.from(time) })
      .toInstant()
      .toString();
    if (instantCache.size > 50_000) instantCache.clear();
    instantCache.set(key, hit);
  }
  return hit;
}

/** The local date in `timeZone` at an instant (ISO 8601 string). */
export function localDateAt(instant: string, timeZone: string): LocalDate {
  return Temporal.Instant.from(instant).toZonedDateTimeISO(timeZone).toPlainDate().toString();
}

/** Compares two instants given as ISO strings (any offset). */
export function compareInstants(a: string, b: string): number {
  return Temporal.Instant.compare(Temporal.Instant.from(a), Temporal.Instant.from(b));
}

// Plans look back little and forward up to a year or so (retention); the table grows on demand.
const WINDOW_BEFORE = 60;
const WINDOW_AFTER = 500;

/**
 * Which days are business days: a weekday in `workdays` that is not a holiday. Instances are
 * immutable in meaning; they keep a growing table of days so every query after the first is
 * a map lookup.
 */
export class BusinessCalendar {
  readonly workdays: ReadonlySet<number>;
  readonly holidays: ReadonlySet<LocalDate>;

  private first: Temporal.PlainDate | undefined;
  private dates: LocalDate[] = [];
  private weekdays: Uint8Array = new Uint8Array(0);
  private index = new Map<LocalDate, number>();
  private business = new Uint8Array(0);
  /** cumulative[i] = number of business days among days 0..i of the table. */
  private cumulative = new Int32Array(0);
  /** businessAt[k] = table index of the (k+1)th business day of the table. */
  private businessAt: number[] = [];

  constructor(spec: CalendarSpec = {}) {
    const workdays = spec.workdays && spec.workdays.length > 0 ? spec.workdays : DEFAULT_WORKDAYS;
    this.workdays = new Set(workdays);
    this.holidays = new Set(spec.holidays ?? []);
  }

  private slot(date: LocalDate): number {
    let i = this.index.get(date);
    if (i === undefined) {
      this.cover(Temporal.PlainDate.from(date));
      i = this.index.get(date);
      if (i === undefined) throw new Error(`calendar table does not cover ${date}`);
    }
    return i;
  }

  /** Rebuilds the table so that it covers the old range and a window around `around`. */
  private cover(around: Temporal.PlainDate): void {
    let start = around.subtract({ days: WINDOW_BEFORE });
    let end = around.add({ days: WINDOW_AFTER });
    if (this.first) {
      const last = this.first.add({ days: this.dates.length - 1 });
      if (Temporal.PlainDate.compare(this.first, start) < 0) start = this.first;
      if (Temporal.PlainDate.compare(last, end) > 0) end = last;
    }
    const length = start.until(end, { largestUnit: 'days' }).days + 1;
    const dates: LocalDate[] = new Array<LocalDate>(length);
    const weekdays = new Uint8Array(length);
    const business = new Uint8Array(length);
    const cumulative = new Int32Array(length);
    const businessAt: number[] = [];
    const index = new Map<LocalDate, number>();
    let day = start;
    let count = 0;
    for (let i = 0; i < length; i++) {
      const text = day.toString();
      dates[i] = text;
      weekdays[i] = day.dayOfWeek;
      index.set(text, i);
      if (this.workdays.has(day.dayOfWeek) && !this.holidays.has(text)) {
        business[i] = 1;
        count++;
        businessAt.push(i);
      }
      cumulative[i] = count;
      day = day.add({ days: 1 });
    }
    this.first = start;
    this.dates = dates;
    this.weekdays = weekdays;
    this.business = business;
    this.cumulative = cumulative;
    this.businessAt = businessAt;
    this.index = index;
  }

  private at(i: number): LocalDate {
    if (i < 0 || i >= this.dates.length) {
      // Grow towards the index asked for, then look it up by date.
      const anchor = this.dates[i < 0 ? 0 : this.dates.length - 1];
      if (anchor === undefined) throw new Error('calendar table is empty');
      const target = Temporal.PlainDate.from(anchor).add({ days: i < 0 ? i : i - (this.dates.length - 1) });
      this.cover(target);
      return target.toString();
    }
    return this.dates[i] as LocalDate;
  }

  isBusinessDay(date: LocalDate): boolean {
    const i = this.slot(date); // first: it may rebuild the table
    return this.business[i] === 1;
  }

  weekday(date: LocalDate): Weekday {
    const i = this.slot(date); // first: it may rebuild the table
    return this.weekdays[i] as Weekday;
  }

  /** `date` plus `days` calendar days (negative goes back). */
  addDays(date: LocalDate, days: number): LocalDate {
    const i = this.slot(date);
    return this.at(i + days);
  }

  /** The first business day on or after `date`. */
  onOrAfter(date: LocalDate): LocalDate {
    return this.addBusinessDays(date, this.isBusinessDay(date) ? 0 : 1);
  }

  /** The last business day on or before `date`. */
  onOrBefore(date: LocalDate): LocalDate {
    return this.addBusinessDays(date, this.isBusinessDay(date) ? 0 : -1);
  }

  /**
   * Moves `n` business days from `date`. From a business day, 0 is the day itself; from any
   * other day, +1 is the next business day and -1 the previous one.
   */
  addBusinessDays(date: LocalDate, n: number): LocalDate {
    if (this.workdays.size === 0) throw new Error('a calendar needs at least one workday');
    for (;;) {
      const i = this.slot(date);
      const before = this.cumulative[i] as number; // business days on or before `date` in the table
      let ordinal: number;
      if (this.business[i] === 1) ordinal = before + n;
      else ordinal = n < 0 ? before + n + 1 : before + Math.max(n, 1);
      // The kth business day of the table (k from 1) sits at businessAt[k - 1].
      const target = ordinal >= 1 ? this.businessAt[ordinal - 1] : undefined;
      if (target !== undefined) return this.dates[target] as LocalDate;
      // Past the table's edge: grow it in that direction and look again.
      this.at(ordinal < 1 ? -WINDOW_BEFORE : this.dates.length + WINDOW_BEFORE);
    }
  }

  /** Table slots of two dates, both valid after any growth the lookups caused. */
  private slots(a: LocalDate, b: LocalDate): [number, number] {
    this.slot(a);
    const ib = this.slot(b);
    return [this.index.get(a) as number, ib];
  }

  /**
   * Business days after `from` up to and including `to` (negative when `to` is earlier).
   * From a due date to today, this is how many business days a task is overdue.
   */
  businessDaysBetween(from: LocalDate, to: LocalDate): number {
    const [a, b] = this.slots(from, to);
    return (this.cumulative[b] as number) - (this.cumulative[a] as number);
  }

  /** Calendar days from `from` to `to`. */
  daysBetween(from: LocalDate, to: LocalDate): number {
    const [a, b] = this.slots(from, to);
    return b - a;
  }
}

const calendars = new Map<string, BusinessCalendar>();

/** One shared calendar per distinct spec, so repeated plans reuse its day table. */
export function calendarFor(spec: CalendarSpec = {}): BusinessCalendar {
  const workdays = [...new Set(spec.workdays && spec.workdays.length > 0 ? spec.workdays : DEFAULT_WORKDAYS)].sort();
  const holidays = [...new Set(spec.holidays ?? [])].sort();
  const key = `${workdays.join(',')}|${holidays.join(',')}`;
  let calendar = calendars.get(key);
  if (!calendar) {
    if (calendars.size > 1000) calendars.clear();
    calendar = new BusinessCalendar({ workdays, holidays });
    calendars.set(key, calendar);
  }
  return calendar;
}
