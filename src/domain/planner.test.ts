import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { buildCase, buildCaseInput, buildPlaybook, defaultPlaybook } from '../../test/factories.ts';
import { BusinessCalendar } from './calendar.ts';
import { InputError } from './errors.ts';
import { validateCase } from './offboarding-case.ts';
import { plan, planToJson, replan } from './planner.ts';
import { FIREWALL_OWNERSHIP, OFFBOARDING_TYPES } from './vocabulary.ts';

const dueOf = (p: ReturnType<typeof plan>, key: string) => {
  const t = p.tasks.find((x) => x.key === key);
  if (!t) throw new Error(`${key} is not in the plan`);
  return t.due;
};

describe('planner: day N', () => {
  const p = plan(defaultPlaybook, buildCase());

  it('counts the notice date as day 1 when it is a business day', () => {
    expect(p.firstDay).toBe('2026-03-02');
    expect(dueOf(p, 'acknowledge-termination')).toBe('2026-03-02'); // day 1
    expect(dueOf(p, 'contract-review')).toBe('2026-03-03'); // day 2
    expect(dueOf(p, 'client-authorization')).toBe('2026-03-04'); // day 3
    expect(dueOf(p, 'credential-inventory')).toBe('2026-03-05'); // day 4
  });

  it('skips weekends', () => {
    expect(dueOf(p, 'documentation-package')).toBe('2026-03-06'); // day 5, Friday
    expect(dueOf(p, 'credential-transfer')).toBe('2026-03-10'); // day 7, Tuesday after the weekend
    expect(dueOf(p, 'automation-removal')).toBe('2026-03-13'); // day 10
    expect(dueOf(p, 'license-reconciliation')).toBe('2026-03-19'); // day 14
  });

  it('starts on the next business day when notice comes on a weekend', () => {
    const q = plan(defaultPlaybook, buildCase({ noticeDate: '2026-03-07' })); // Saturday
    expect(q.firstDay).toBe('2026-03-09');
    expect(dueOf(q, 'acknowledge-termination')).toBe('2026-03-09');
    expect(dueOf(q, 'contract-review')).toBe('2026-03-10');
  });

  it('skips holidays, including a holiday on the notice date', () => {
    const q = plan(defaultPlaybook, buildCase({ calendar: { holidays: ['2026-03-02', '2026-03-04'] } }));
    expect(q.firstDay).toBe('2026-03-03');
    expect(dueOf(q, 'contract-review')).toBe('2026-03-05'); // day 2 skips the 4th
  });

  it('follows a Sunday to Thursday week', () => {
    const q = plan(
      defaultPlaybook,
      buildCase({ noticeDate: '2026-03-06', client: { timezone: 'Asia/Jerusalem' }, calendar: { workdays: [7, 1, 2, 3, 4] } }),
    );
    expect(q.firstDay).toBe('2026-03-08'); // Friday notice: day 1 is Sunday
    expect(dueOf(q, 'documentation-package')).toBe('2026-03-12'); // day 5, Thursday
    expect(dueOf(q, 'credential-inventory')).toBe('2026-03-11');
    expect(dueOf(q, 'credential-transfer')).toBe('2026-03-16'); // day 7, Monday
    const cal = new BusinessCalendar({ workdays: [7, 1, 2, 3, 4] });
    for (const t of q.tasks) expect(cal.isBusinessDay(t.due), t.key).toBe(true);
  });
});

describe('planner: latest, on, after, retention', () => {
  it('moves `on end` back to the last business day when the end falls on a weekend', () => {
    const q = plan(defaultPlaybook, buildCase({ endDate: '2026-03-29' })); // Sunday
    expect(q.lastDay).toBe('2026-03-27');
    expect(dueOf(q, 'billing-removal')).toBe('2026-03-27');
    expect(dueOf(q, 'access-revocation')).toBe('2026-03-27'); // revocation defaults to the end date
  });

  it('puts `on revocation` tasks on the agreed cut-over date', () => {
    const q = plan(defaultPlaybook, buildCase({ revocationDate: '2026-03-27' }));
    expect(dueOf(q, 'access-revocation')).toBe('2026-03-27');
    expect(dueOf(q, 'mfa-cleanup')).toBe('2026-03-27');
    expect(dueOf(q, 'delegated-admin-removal')).toBe('2026-03-27');
  });

  it('applies `latest: end-1`', () => {
    const q = plan(defaultPlaybook, buildCase({ endDate: '2026-03-20' })); // day 15 is the end
    expect(dueOf(q, 'm365-transition')).toBe('2026-03-19'); // day 14 = end-1
    const r = plan(defaultPlaybook, buildCase({ endDate: '2026-03-17' }));
    expect(dueOf(r, 'm365-transition')).toBe('2026-03-16'); // clamped to one business day before the end
    expect(dueOf(r, 'dns-transfer')).toBe('2026-03-17'); // clamped to the end
  });

  it('moves `after end+Nd` forward to a business day', () => {
    const q = plan(defaultPlaybook, buildCase({ endDate: '2026-04-02' })); // +30 days is Saturday 2026-05-02
    expect(dueOf(q, 'billing-check')).toBe('2026-05-04');
    expect(dueOf(plan(defaultPlaybook, buildCase()), 'billing-check')).toBe('2026-04-30');
  });

  it('puts retention deletion at end + retention days (default 180), moved forward', () => {
    expect(dueOf(plan(defaultPlaybook, buildCase()), 'retention-deletion')).toBe('2026-09-28'); // 2026-09-27 is a Sunday
    expect(dueOf(plan(defaultPlaybook, buildCase({ retentionDays: 90 })), 'retention-deletion')).toBe('2026-06-29');
  });

  it('compresses the plan on short notice and says so', () => {
    const q = plan(defaultPlaybook, buildCase({ noticeDate: '2026-03-02', endDate: '2026-03-06' }));
    expect(dueOf(q, 'credential-transfer')).toBe('2026-03-06');
    expect(dueOf(q, 'dns-transfer')).toBe('2026-03-06');
    expect(dueOf(q, 'm365-transition')).toBe('2026-03-05');
    expect(dueOf(q, 'acknowledge-termination')).toBe('2026-03-02');
    const compressed = q.warnings.find((w) => w.code === 'compressed');
    expect(compressed?.tasks).toContain('dns-transfer');
    expect(compressed?.tasks).not.toContain('acknowledge-termination');
    expect(q.warnings.some((w) => w.code === 'infeasible')).toBe(false);
  });

  it('keeps an agreed revocation date after the end date, and warns `revocation-after-end` naming its tasks', () => {
    const q = plan(defaultPlaybook, buildCase({ revocationDate: '2026-04-10' }));
    expect(dueOf(q, 'access-revocation')).toBe('2026-04-10');
    expect(dueOf(q, 'mfa-cleanup')).toBe('2026-04-10');
    const w = q.warnings.find((x) => x.code === 'revocation-after-end');
    expect(w?.tasks).toEqual(['access-revocation', 'mfa-cleanup', 'delegated-admin-removal']);
    expect(w?.message).toContain('2026-04-10');
    // What depends on them follows as usual: the completion report moves off the end date and says why.
    const moved = q.warnings.filter((x) => x.code === 'anchor-moved');
    expect(moved.map((x) => x.tasks.at(-1))).toEqual(['completion-report', 'client-archive']);
    expect(moved[0]?.tasks).toEqual(['access-revocation', 'completion-report']);
    expect(dueOf(q, 'completion-report')).toBe('2026-04-10');
  });

  it('moves a revocation date on a weekend after the end date back to the business day before, not to the end', () => {
    const q = plan(defaultPlaybook, buildCase({ revocationDate: '2026-04-11' }));
    expect(dueOf(q, 'access-revocation')).toBe('2026-04-10');
  });

  it('pushes a task to its dependency and warns when that moves it off its agreed date', () => {
    const q = plan(defaultPlaybook, buildCase({ revocationDate: '2026-03-05' }));
    expect(dueOf(q, 'credential-transfer')).toBe('2026-03-10');
    expect(dueOf(q, 'access-revocation')).toBe('2026-03-10');
    const w = q.warnings.find((x) => x.code === 'anchor-moved' && x.tasks.at(-1) === 'access-revocation');
    expect(w?.tasks).toEqual(['credential-transfer', 'access-revocation']);
    expect(w?.message).toContain('2026-03-05');
  });

  it('reports `infeasible` with the dependency chain when a task ends up after its latest', () => {
    const pb = buildPlaybook([
      { key: 'survey', phase: 6, when: 'day 14' },
      { key: 'report', phase: 1, when: 'day 2', dependsOn: ['survey'] },
      { key: 'sign-off', phase: 2, when: 'day 3', dependsOn: ['report'] },
      { key: 'unrelated', phase: 1, when: 'day 1' },
    ]);
    const q = plan(pb, buildCase({ endDate: '2026-03-13' }));
    expect(dueOf(q, 'survey')).toBe('2026-03-19'); // phase 6 has no latest
    expect(dueOf(q, 'report')).toBe('2026-03-19');
    const infeasible = q.warnings.filter((w) => w.code === 'infeasible');
    expect(infeasible.map((w) => w.tasks)).toEqual([
      ['survey', 'report'],
      ['survey', 'report', 'sign-off'],
    ]);
    expect(infeasible[0]?.message).toContain('report is due 2026-03-19, after its latest date 2026-03-13');
  });
});

describe('planner: conditions and dependencies', () => {
  it('drops tasks whose condition does not hold, and dependencies on them', () => {
    const q = plan(
      defaultPlaybook,
      buildCase({
        type: 'insourced',
        newProvider: undefined,
        client: { services: { dns: false, m365: false, backup: false, edr: false, rmm: false, cloud: false, firewall: 'none' } },
      }),
    );
    const keys = q.tasks.map((t) => t.key);
    for (const k of [
      'client-authorization',
      'preservation-requirements',
      'delegated-admin-removal',
      'rmm-agent-removal',
      'backup-transition',
      'dns-transfer',
      'm365-transition',
      'network-equipment',
      'cloud-transfer',
    ]) {
      expect(keys).not.toContain(k);
    }
    const transfer = q.tasks.find((t) => t.key === 'credential-transfer');
    expect(transfer?.dependsOn).toEqual(['credential-inventory']);
    expect(transfer?.gates).toEqual([]); // no new provider receives credentials
    expect(q.tasks.find((t) => t.key === 'completion-report')?.dependsOn).toEqual(['access-revocation', 'mfa-cleanup']);
  });

  it('includes business-closure and acquisition tasks by type', () => {
    const closure = plan(defaultPlaybook, buildCase({ type: 'business-closure', newProvider: undefined }));
    expect(closure.tasks.map((t) => t.key)).toContain('preservation-requirements');
    expect(closure.tasks.map((t) => t.key)).not.toContain('client-authorization');
    const acquisition = plan(defaultPlaybook, buildCase({ type: 'acquisition', newProvider: undefined }));
    expect(acquisition.tasks.map((t) => t.key)).toContain('client-authorization');
  });

  it('gates credential transfer on authorization only when a new provider receives them', () => {
    const q = plan(defaultPlaybook, buildCase());
    expect(q.tasks.find((t) => t.key === 'credential-transfer')?.gates).toEqual(['authorization']);
    expect(q.tasks.find((t) => t.key === 'backup-transition')?.gates).toEqual(['backup-handoff']);
    expect(q.tasks.find((t) => t.key === 'security-transition')?.gates).toEqual(['replacement-coverage']);
  });

  it('includes network-equipment for either firewall owner, not for none', () => {
    for (const firewall of FIREWALL_OWNERSHIP) {
      const keys = plan(defaultPlaybook, buildCase({ client: { services: { firewall } } })).tasks.map((t) => t.key);
      expect(keys.includes('network-equipment'), firewall).toBe(firewall !== 'none');
    }
  });
});

describe('planner: due instants and time zones', () => {
  it('reports 17:00 local as UTC, west of UTC across the DST change', () => {
    const q = plan(defaultPlaybook, buildCase());
    const at = (key: string) => q.tasks.find((t) => t.key === key)?.dueAt;
    expect(at('documentation-package')).toBe('2026-03-06T22:00:00Z'); // EST, UTC-5
    expect(at('credential-transfer')).toBe('2026-03-10T21:00:00Z'); // EDT, UTC-4
  });

  it('east of UTC across the DST change', () => {
    const q = plan(
      defaultPlaybook,
      buildCase({ noticeDate: '2026-03-30', endDate: '2026-04-30', client: { timezone: 'Australia/Sydney' } }),
    );
    const at = (key: string) => q.tasks.find((t) => t.key === key)?.dueAt;
    expect(dueOf(q, 'documentation-package')).toBe('2026-04-03');
    expect(at('documentation-package')).toBe('2026-04-03T06:00:00Z'); // AEDT, UTC+11
    expect(at('credential-transfer')).toBe('2026-04-07T07:00:00Z'); // AEST, UTC+10
    const berlin = plan(defaultPlaybook, buildCase({ noticeDate: '2026-03-23', client: { timezone: 'Europe/Berlin' } }));
    expect(berlin.tasks.find((t) => t.key === 'documentation-package')?.dueAt).toBe('2026-03-27T16:00:00Z'); // CET
    expect(berlin.tasks.find((t) => t.key === 'credential-inventory')?.dueAt).toBe('2026-03-26T16:00:00Z');
    expect(berlin.tasks.find((t) => t.key === 'credential-transfer')?.dueAt).toBe('2026-03-31T15:00:00Z'); // CEST
  });

  it('uses the playbook due time', () => {
    const pb = buildPlaybook([{ key: 'only-task' }], { dueTime: '09:30' });
    expect(plan(pb, buildCase()).tasks[0]?.dueAt).toBe('2026-03-02T14:30:00Z');
  });
});

describe('planner: input errors', () => {
  const errorOf = (input: unknown): InputError => {
    try {
      validateCase(input);
    } catch (e) {
      if (e instanceof InputError) return e;
      throw e;
    }
    throw new Error('expected an input error');
  };

  it('rejects an end date before the notice date', () => {
    expect(errorOf(buildCaseInput({ endDate: '2026-03-01' })).details).toEqual([
      { path: 'endDate', message: 'must be on or after noticeDate (2026-03-02)' },
    ]);
  });

  it('rejects an unknown time zone', () => {
    expect(errorOf(buildCaseInput({ client: { timezone: 'Mars/Olympus_Mons' } })).details).toEqual([
      { path: 'client.timezone', message: 'unknown time zone "Mars/Olympus_Mons"' },
    ]);
  });

  it('rejects an unknown type', () => {
    const details = errorOf({ ...buildCaseInput(), type: 'abducted' }).details;
    expect(details[0]?.path).toBe('type');
    expect(details[0]?.message).toContain('provider-switch');
  });

  it('names every bad field at once', () => {
    const details = errorOf({
      ...buildCaseInput(),
      noticeDate: '2026-02-30',
      calendar: { workdays: [0, 8] },
      retentionDays: -1,
      extra: 1,
    }).details;
    expect(details.map((d) => d.path).sort()).toEqual(
      ['extra', 'calendar.workdays[0]', 'calendar.workdays[1]', 'noticeDate', 'retentionDays'].sort(),
    );
  });
});

describe('planner: replanning', () => {
  it('keeps done and waived tasks and moves only open ones', () => {
    const first = plan(defaultPlaybook, buildCase());
    const progress = first.tasks.map((t) => ({
      key: t.key,
      due: t.due,
      status: t.key === 'contract-review' ? ('done' as const) : t.key === 'm365-transition' ? ('waived' as const) : ('ready' as const),
    }));
    const result = replan(defaultPlaybook, buildCase({ endDate: '2026-03-13' }), progress);
    expect(dueOf(result.plan, 'contract-review')).toBe('2026-03-03');
    expect(dueOf(result.plan, 'm365-transition')).toBe('2026-03-19'); // waived: stays even though it is past the new end
    expect(result.moved).toContainEqual({ key: 'dns-transfer', from: '2026-03-19', to: '2026-03-13' });
    expect(result.moved).toContainEqual({ key: 'billing-removal', from: '2026-03-31', to: '2026-03-13' });
    expect(result.moved.map((m) => m.key)).not.toContain('contract-review');
    expect(result.moved.map((m) => m.key)).not.toContain('acknowledge-termination');
    expect(result.added).toEqual([]);
    expect(result.removed).toEqual([]);
  });

  it('moves open tasks when the calendar gains a holiday', () => {
    const first = plan(defaultPlaybook, buildCase());
    const progress = first.tasks.map((t) => ({
      key: t.key,
      due: t.due,
      status: t.due <= '2026-03-03' ? ('done' as const) : ('pending' as const),
    }));
    const result = replan(defaultPlaybook, buildCase({ calendar: { holidays: ['2026-03-03', '2026-03-04'] } }), progress);
    expect(result.moved).toContainEqual({ key: 'client-authorization', from: '2026-03-04', to: '2026-03-06' });
    expect(result.moved.map((m) => m.key)).not.toContain('contract-review'); // done on the 3rd, now a holiday: kept
  });
});

// ---------------------------------------------------------------- properties

const ZONES = [
  'America/New_York',
  'America/Los_Angeles',
  'Europe/Berlin',
  'Australia/Sydney',
  'Asia/Kolkata',
  'Pacific/Auckland',
  'UTC',
  'America/Sao_Paulo',
];

const arbitraryCase = fc
  .record({
    notice: fc.integer({ min: 0, max: 1200 }),
    length: fc.integer({ min: 0, max: 150 }),
    revocation: fc.option(fc.integer({ min: 0, max: 180 }), { nil: undefined }),
    zone: fc.constantFrom(...ZONES),
    workdays: fc.uniqueArray(fc.integer({ min: 1, max: 7 }), { minLength: 1, maxLength: 7 }),
    holidays: fc.uniqueArray(fc.integer({ min: -10, max: 200 }), { maxLength: 12 }),
    services: fc.record({
      dns: fc.boolean(),
      m365: fc.boolean(),
      backup: fc.boolean(),
      edr: fc.boolean(),
      rmm: fc.boolean(),
      cloud: fc.boolean(),
      firewall: fc.constantFrom(...FIREWALL_OWNERSHIP),
    }),
    type: fc.constantFrom(...OFFBOARDING_TYPES),
    newProvider: fc.boolean(),
    retentionDays: fc.option(fc.integer({ min: 0, max: 400 }), { nil: undefined }),
  })
  .map((r) => {
    const cal = new BusinessCalendar();
    const notice = cal.addDays('2025-01-01', r.notice);
    return validateCase({
      client: { name: 'Any Client', timezone: r.zone, services: r.services },
      type: r.type,
      noticeDate: notice,
      endDate: cal.addDays(notice, r.length),
      ...(r.revocation !== undefined ? { revocationDate: cal.addDays(notice, r.revocation) } : {}),
      ...(r.retentionDays !== undefined ? { retentionDays: r.retentionDays } : {}),
      ...(r.newProvider ? { newProvider: { name: 'Next MSP', contact: 'next@example.com' } } : {}),
      calendar: { workdays: r.workdays, holidays: r.holidays.map((h) => cal.addDays(notice, h)) },
    });
  });

describe('planner: properties', () => {
  it('never puts a due date on a non-business day', () => {
    fc.assert(
      fc.property(arbitraryCase, (c) => {
        const cal = new BusinessCalendar(c.calendar);
        for (const t of plan(defaultPlaybook, c).tasks) expect(cal.isBusinessDay(t.due), `${t.key} ${t.due}`).toBe(true);
      }),
      { numRuns: 300 },
    );
  });

  it('never puts a task before one of its dependencies', () => {
    fc.assert(
      fc.property(arbitraryCase, (c) => {
        const p = plan(defaultPlaybook, c);
        const due = new Map(p.tasks.map((t) => [t.key, t.due]));
        for (const t of p.tasks) for (const d of t.dependsOn) expect(t.due >= (due.get(d) as string), `${t.key} after ${d}`).toBe(true);
      }),
      { numRuns: 300 },
    );
  });

  it('warns `infeasible` exactly for tasks due after their latest date', () => {
    fc.assert(
      fc.property(arbitraryCase, (c) => {
        const p = plan(defaultPlaybook, c);
        const agreed = new Set(p.warnings.filter((w) => w.code === 'revocation-after-end').flatMap((w) => w.tasks));
        const late = p.tasks.filter((t) => t.latest !== null && t.due > t.latest && !agreed.has(t.key)).map((t) => t.key);
        const warned = p.warnings.filter((w) => w.code === 'infeasible').map((w) => w.tasks.at(-1));
        expect(warned).toEqual(late);
        // An agreed revocation after the end date is kept: its tasks are never due before it.
        for (const t of p.tasks) if (agreed.has(t.key)) expect(t.due >= t.target).toBe(true);
        expect(agreed.size > 0).toBe(p.revocationDate > p.endDate && p.tasks.some((t) => t.when === 'on revocation'));
      }),
      { numRuns: 200 },
    );
  });

  it('gives the same plan for the same input, byte for byte', () => {
    fc.assert(
      fc.property(arbitraryCase, (c) => {
        const a = JSON.stringify(planToJson(plan(defaultPlaybook, c)));
        const b = JSON.stringify(planToJson(plan(defaultPlaybook, structuredClone(c), { calendar: new BusinessCalendar(c.calendar) })));
        expect(b).toBe(a);
      }),
      { numRuns: 200 },
    );
  });
});
