import fc from 'fast-check';
import { Temporal } from 'temporal-polyfill';
import { describe, expect, it } from 'vitest';
import { BusinessCalendar, calendarFor, isLocalDate, isTimeZone, localDateAt, zonedInstant } from './calendar.ts';

describe('BusinessCalendar', () => {
  const cal = new BusinessCalendar();

  it('treats Monday to Friday as business days by default', () => {
    expect(cal.isBusinessDay('2026-03-02')).toBe(true); // Monday
    expect(cal.isBusinessDay('2026-03-06')).toBe(true); // Friday
    expect(cal.isBusinessDay('2026-03-07')).toBe(false); // Saturday
    expect(cal.isBusinessDay('2026-03-08')).toBe(false); // Sunday
    expect(cal.weekday('2026-03-02')).toBe(1);
  });

  it('skips listed holidays', () => {
    const withHoliday = new BusinessCalendar({ holidays: ['2026-03-04'] });
    expect(withHoliday.isBusinessDay('2026-03-04')).toBe(false);
    expect(withHoliday.addBusinessDays('2026-03-03', 1)).toBe('2026-03-05');
  });

  it('supports a Sunday to Thursday week', () => {
    const sunThu = new BusinessCalendar({ workdays: [7, 1, 2, 3, 4] });
    expect(sunThu.isBusinessDay('2026-03-06')).toBe(false); // Friday
    expect(sunThu.isBusinessDay('2026-03-08')).toBe(true); // Sunday
    expect(sunThu.onOrAfter('2026-03-06')).toBe('2026-03-08');
    expect(sunThu.addBusinessDays('2026-03-12', 1)).toBe('2026-03-15'); // Thursday -> Sunday
  });

  it('moves to the next and previous business day', () => {
    expect(cal.onOrAfter('2026-03-07')).toBe('2026-03-09');
    expect(cal.onOrBefore('2026-03-07')).toBe('2026-03-06');
    expect(cal.onOrAfter('2026-03-09')).toBe('2026-03-09');
    expect(cal.addBusinessDays('2026-03-07', 1)).toBe('2026-03-09');
    expect(cal.addBusinessDays('2026-03-07', -1)).toBe('2026-03-06');
    expect(cal.addBusinessDays('2026-03-06', -5)).toBe('2026-02-27');
  });

  it('counts business days between dates, for overdue counts', () => {
    expect(cal.businessDaysBetween('2026-03-06', '2026-03-09')).toBe(1); // Fri -> Mon
    expect(cal.businessDaysBetween('2026-03-06', '2026-03-07')).toBe(0); // Fri -> Sat
    expect(cal.businessDaysBetween('2026-03-09', '2026-03-06')).toBe(-1);
    expect(cal.daysBetween('2026-02-27', '2026-03-02')).toBe(3); // across February's end
  });

  it('grows its table far into the past and future', () => {
    expect(cal.addBusinessDays('2026-03-02', 2000)).toBe(Temporal.PlainDate.from('2026-03-02').add({ weeks: 400 }).toString());
    expect(cal.addBusinessDays('2026-03-02', -2000)).toBe(Temporal.PlainDate.from('2026-03-02').subtract({ weeks: 400 }).toString());
    expect(cal.addDays('2026-03-02', 5000)).toBe(Temporal.PlainDate.from('2026-03-02').add({ days: 5000 }).toString());
  });

  it('agrees with a day-by-day walk for any dates and weeks (property)', () => {
    const weekdays = fc.uniqueArray(fc.integer({ min: 1, max: 7 }), { minLength: 1, maxLength: 7 });
    const dayOffset = fc.integer({ min: -800, max: 800 });
    fc.assert(
      fc.property(weekdays, dayOffset, fc.integer({ min: -30, max: 30 }), (workdays, offset, n) => {
        const c = new BusinessCalendar({ workdays });
        const start = Temporal.PlainDate.from('2026-06-15').add({ days: offset });
        const isBiz = (d: Temporal.PlainDate) => workdays.includes(d.dayOfWeek);
        // Walk n business days by hand from a business day.
        let d = start;
        while (!isBiz(d)) d = d.add({ days: 1 });
        let walked = d;
        for (let k = 0; k < Math.abs(n);) {
          walked = walked.add({ days: Math.sign(n) });
          if (isBiz(walked)) k++;
        }
        expect(c.addBusinessDays(d.toString(), n)).toBe(walked.toString());
        expect(c.businessDaysBetween(d.toString(), walked.toString())).toBe(n);
      }),
      { numRuns: 300 },
    );
  });
});

describe('dates and time zones', () => {
  it('recognizes real dates only', () => {
    expect(isLocalDate('2026-02-28')).toBe(true);
    expect(isLocalDate('2026-02-29')).toBe(false);
    expect(isLocalDate('2026-2-3')).toBe(false);
    expect(isLocalDate('tomorrow')).toBe(false);
  });

  it('recognizes IANA time zones', () => {
    expect(isTimeZone('America/New_York')).toBe(true);
    expect(isTimeZone('Australia/Sydney')).toBe(true);
    expect(isTimeZone('UTC')).toBe(true);
    expect(isTimeZone('Mars/Olympus_Mons')).toBe(false);
    expect(isTimeZone('')).toBe(false);
  });

  it('places local times on the right instant across DST changes', () => {
    expect(zonedInstant('2026-03-06', '17:00', 'America/New_York')).toBe('2026-03-06T22:00:00Z'); // EST
    expect(zonedInstant('2026-03-09', '17:00', 'America/New_York')).toBe('2026-03-09T21:00:00Z'); // EDT
    expect(zonedInstant('2026-04-03', '17:00', 'Australia/Sydney')).toBe('2026-04-03T06:00:00Z'); // AEDT
    expect(zonedInstant('2026-04-06', '17:00', 'Australia/Sydney')).toBe('2026-04-06T07:00:00Z'); // AEST
  });

  it('finds the local date of an instant', () => {
    expect(localDateAt('2026-03-03T03:00:00Z', 'America/New_York')).toBe('2026-03-02');
    expect(localDateAt('2026-03-02T20:00:00Z', 'Pacific/Auckland')).toBe('2026-03-03');
  });

  it('shares one calendar per spec', () => {
    expect(calendarFor({ workdays: [1, 2, 3, 4, 5] })).toBe(calendarFor({}));
    expect(calendarFor({ holidays: ['2026-01-01'] })).not.toBe(calendarFor({}));
  });
});
