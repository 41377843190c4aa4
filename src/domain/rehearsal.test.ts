import { describe, expect, it } from 'vitest';
import { buildCase, defaultPlaybook } from '../../test/factories.ts';
import { InputError } from './errors.ts';
import { calendarOf, plan } from './planner.ts';
import { type RehearsalEvent, parseLateOptions, parseSignedOptions, rehearse } from './rehearsal.ts';

const facts = buildCase({ revocationDate: '2026-03-27' });
const notificationsOf = (events: RehearsalEvent[]) => events.flatMap((e) => (e.type === 'notification' ? [e.notification] : []));

describe('rehearse', () => {
  it('signs nothing unless told: what waits for a statement is never done, and the walk stops once nothing else can happen', () => {
    const r = rehearse(defaultPlaybook, facts);
    expect(r.days.flatMap((d) => d.events).filter((e) => e.type === 'signed')).toEqual([]);
    const unfinished = new Map(r.summary.unfinished.map((u) => [u.task, u.waitsFor] as const));
    expect(unfinished.get('client-authorization')).toEqual(['authorization']);
    expect(unfinished.get('backup-transition')).toEqual(['backup-handoff']);
    // Waiting behind a task that waits: the completion report waits for everything unsigned it depends on.
    expect(unfinished.get('completion-report')).toEqual(['authorization', 'backup-handoff']);
    expect(unfinished.has('final-invoice')).toBe(false);
    // The client is reminded and the account manager's manager told, as the server would.
    expect(r.summary.byKind['gate-escalation']).toBeGreaterThan(0);
    expect(r.summary.lastDay < '2026-06-01').toBe(true);
  });

  it('files each statement on the day chosen, from midday: that morning still reminds; tasks wait for it', () => {
    const r = rehearse(defaultPlaybook, facts, { signed: { authorization: '2026-03-10', 'backup-handoff': '2026-03-11' } });
    const signed = r.days.flatMap((d) => d.events.flatMap((e) => (e.type === 'signed' ? [`${d.date} ${e.gate} ${e.statement}`] : [])));
    expect(signed).toEqual(['2026-03-10 authorization authorization', '2026-03-11 backup-handoff backup-verified']);
    const doneOn = (key: string) => r.days.find((d) => d.events.some((e) => e.type === 'completed' && e.task === key))?.date;
    // Due on the 4th, signed on the 10th: done that day, four business days late.
    expect(doneOn('client-authorization')).toBe('2026-03-10');
    expect(r.summary.late).toContainEqual({ task: 'client-authorization', businessDays: 4 });
    expect(
      r.days.find((d) => d.date === '2026-03-10')?.events.some((e) => e.type === 'notification' && e.notification.gate === 'authorization'),
    ).toBe(true);
    expect(doneOn('backup-transition')).toBe('2026-03-13');
    expect(doneOn('security-transition')).toBeUndefined();
    expect(r.summary.unfinished.map((u) => u.task)).toContain('security-transition');
  });

  it('reads --signed as a business day of the plan or a date, and names what is wrong', () => {
    const p = plan(defaultPlaybook, facts);
    const cal = calendarOf(facts);
    expect(parseSignedOptions(['authorization=1', 'backup=2026-03-20', 'coverage=6'], p, cal)).toEqual({
      authorization: '2026-03-02',
      'backup-handoff': '2026-03-20',
      'replacement-coverage': '2026-03-09',
    });
    const error = (() => {
      try {
        parseSignedOptions(['authorisation=3', 'backup=soon', 'coverage=0', 'authorization=2026-01-01'], p, cal);
      } catch (e) {
        return e;
      }
    })();
    expect(error).toBeInstanceOf(InputError);
    expect((error as InputError).details).toEqual([
      { path: 'signed[0]', message: '"authorisation" is not a statement: use authorization, backup or coverage' },
      { path: 'signed[1]', message: '"backup=soon" must be GATE=DAY or GATE=YYYY-MM-DD, like authorization=3' },
      { path: 'signed[2]', message: 'the first day of the plan is day 1' },
      { path: 'signed[3]', message: "is before the plan's first day 2026-03-02" },
    ]);
  });

  it('completes every task on its due date when nothing is late, with no escalation', () => {
    const r = rehearse(defaultPlaybook, facts, { signed: 'when-needed' });
    const completed = r.days.flatMap((d) => d.events.flatMap((e) => (e.type === 'completed' ? [[e.task, d.date]] : [])));
    expect(completed).toHaveLength(r.plan.tasks.length);
    for (const [key, date] of completed) expect(date, key).toBe(r.plan.tasks.find((t) => t.key === key)?.due);
    expect(r.summary.late).toEqual([]);
    expect(r.summary.escalations).toEqual([]);
    expect(r.summary.byKind.overdue).toBe(0);
    expect(r.summary.byKind.reminder).toBeGreaterThan(r.plan.tasks.length);
    expect(r.summary.lastDay).toBe('2026-09-28');
  });

  it('asks for gate attestations ahead of the due date and files them', () => {
    const r = rehearse(defaultPlaybook, facts, { signed: 'when-needed' });
    const gateReminders = r.days.flatMap((d) =>
      notificationsOf(d.events)
        .filter((n) => n.kind === 'gate-reminder')
        .map((n) => `${d.date} ${n.taskKey} ${n.gate}`),
    );
    expect(gateReminders).toEqual([
      // The client is asked for the written authorization the day before its task is due.
      '2026-03-04 client-authorization authorization',
      '2026-03-10 security-transition replacement-coverage',
      '2026-03-10 backup-transition backup-handoff',
      '2026-03-12 security-transition replacement-coverage',
      '2026-03-12 backup-transition backup-handoff',
    ]);
    const attested = r.days.flatMap((d) => d.events.flatMap((e) => (e.type === 'signed' ? [`${d.date} ${e.gate}`] : [])));
    expect(attested).toEqual(['2026-03-04 authorization', '2026-03-13 replacement-coverage', '2026-03-13 backup-handoff']);
  });

  it('reminds daily and escalates a late task to the manager at 3 and leadership at 5 business days', () => {
    const r = rehearse(defaultPlaybook, facts, { signed: 'when-needed', late: { 'dns-transfer': 6 } });
    const dns = r.days.flatMap((d) =>
      notificationsOf(d.events)
        .filter((n) => n.taskKey === 'dns-transfer')
        .map((n) => `${d.date} ${n.kind}/${n.level}`),
    );
    expect(dns).toEqual([
      '2026-03-18 reminder/0',
      '2026-03-19 reminder/0',
      '2026-03-20 overdue/0',
      '2026-03-23 overdue/0',
      '2026-03-24 overdue/0',
      '2026-03-24 escalation/1',
      '2026-03-25 overdue/0',
      '2026-03-26 overdue/0',
      '2026-03-26 escalation/2',
      '2026-03-27 overdue/0',
    ]);
    expect(r.summary.late).toEqual([{ task: 'dns-transfer', businessDays: 6 }]);
    expect(r.summary.escalations.map((e) => `${e.date} ${e.task} ${e.to}`)).toEqual([
      "2026-03-24 dns-transfer assignee's manager",
      '2026-03-26 dns-transfer leadership',
    ]);
  });

  it('holds dependents until a late task is done, then finishes them the same day', () => {
    const r = rehearse(defaultPlaybook, facts, { signed: 'when-needed', late: { 'credential-transfer': 10 } });
    const done = new Map(
      r.days.flatMap((d) =>
        d.events.flatMap((e) => (e.type === 'completed' ? [[e.task, { date: d.date, late: e.lateBusinessDays }] as const] : [])),
      ),
    );
    expect(done.get('credential-transfer')).toEqual({ date: '2026-03-24', late: 10 });
    expect(done.get('network-equipment')).toEqual({ date: '2026-03-24', late: 3 }); // due 2026-03-19
    expect(done.get('access-revocation')).toEqual({ date: '2026-03-27', late: 0 });
    // A pending task is not nagged; the late one is.
    const nagged = new Set(
      r.days.flatMap((d) =>
        notificationsOf(d.events)
          .filter((n) => n.kind === 'overdue')
          .map((n) => n.taskKey),
      ),
    );
    expect([...nagged]).toEqual(['credential-transfer']);
  });

  it('is deterministic', () => {
    const a = JSON.stringify(rehearse(defaultPlaybook, facts, { signed: 'when-needed', late: { 'backup-transition': 4 } }));
    const b = JSON.stringify(
      rehearse(defaultPlaybook, buildCase({ revocationDate: '2026-03-27' }), { signed: 'when-needed', late: { 'backup-transition': 4 } }),
    );
    expect(a).toBe(b);
  });
});

describe('--late options', () => {
  const planned = plan(defaultPlaybook, facts).tasks;

  it('parses KEY=DAYS pairs', () => {
    expect(parseLateOptions(['dns-transfer=4', 'backup-transition=2'], planned)).toEqual({ 'dns-transfer': 4, 'backup-transition': 2 });
  });

  it('names the bad pair', () => {
    try {
      parseLateOptions(['dns-transfer=soon', 'teleport=2'], planned);
      expect.unreachable();
    } catch (e) {
      expect(e).toBeInstanceOf(InputError);
      expect((e as InputError).details).toEqual([
        { path: 'late[0]', message: '"dns-transfer=soon" must be KEY=DAYS, like dns-transfer=4' },
        { path: 'late[1]', message: '"teleport" is not a task in this plan' },
      ]);
    }
  });
});
