import { describe, expect, it } from 'vitest';
import { buildCase, defaultPlaybook } from '../../test/factories.ts';
import { InputError } from './errors.ts';
import { plan } from './planner.ts';
import { type RehearsalEvent, parseLateOptions, rehearse } from './rehearsal.ts';

const facts = buildCase({ revocationDate: '2026-03-27' });
const notificationsOf = (events: RehearsalEvent[]) => events.flatMap((e) => (e.type === 'notification' ? [e.notification] : []));

describe('rehearse', () => {
  it('completes every task on its due date when nothing is late, with no escalation', () => {
    const r = rehearse(defaultPlaybook, facts);
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
    const r = rehearse(defaultPlaybook, facts);
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
    const attested = r.days.flatMap((d) => d.events.flatMap((e) => (e.type === 'attested' ? [`${d.date} ${e.gate}`] : [])));
    expect(attested).toEqual(['2026-03-04 authorization', '2026-03-13 replacement-coverage', '2026-03-13 backup-handoff']);
  });

  it('reminds daily and escalates a late task to the manager at 3 and leadership at 5 business days', () => {
    const r = rehearse(defaultPlaybook, facts, { late: { 'dns-transfer': 6 } });
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
    const r = rehearse(defaultPlaybook, facts, { late: { 'credential-transfer': 10 } });
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
    const a = JSON.stringify(rehearse(defaultPlaybook, facts, { late: { 'backup-transition': 4 } }));
    const b = JSON.stringify(rehearse(defaultPlaybook, buildCase({ revocationDate: '2026-03-27' }), { late: { 'backup-transition': 4 } }));
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
