import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { BusinessCalendar } from './calendar.ts';
import { type PolicyInput, type PolicyTask, dueNotifications, notificationsOn } from './escalation.ts';

const cal = new BusinessCalendar();

function buildTask(overrides: Partial<PolicyTask> = {}): PolicyTask {
  return { key: 'dns-transfer', role: 'technician', status: 'ready', due: '2026-03-11', readyOn: '2026-03-02', gates: [], ...overrides };
}

function buildInput(tasks: PolicyTask[] = [buildTask()], overrides: Partial<PolicyInput> = {}): PolicyInput {
  return {
    offboardingId: 'ob-1',
    timeZone: 'America/New_York',
    calendar: cal,
    tasks,
    hasNewProvider: true,
    authorizationOnFile: true,
    ...overrides,
  };
}

const summary = (date: string, input = buildInput()) =>
  notificationsOn(input, date).map(
    (n) =>
      `${n.kind}/${n.level} -> ${n.recipient.role}${'of' in n.recipient ? `(${n.recipient.of})` : ''}${'party' in n.recipient ? `(${n.recipient.party})` : ''}`,
  );

describe('assignee reminders and escalations', () => {
  it('reminds the business day before the due date', () => {
    expect(summary('2026-03-10')).toEqual(['reminder/0 -> assignee']);
    expect(notificationsOn(buildInput(), '2026-03-10')[0]?.reason).toBe('due next business day (2026-03-11)');
    // Due on a Monday: the reminder goes out on the Friday before.
    const monday = buildInput([buildTask({ due: '2026-03-16' })]);
    expect(summary('2026-03-13', monday)).toEqual(['reminder/0 -> assignee']);
    expect(summary('2026-03-14', monday)).toEqual([]);
  });

  it('reminds on the due date', () => {
    expect(summary('2026-03-11')).toEqual(['reminder/0 -> assignee']);
    expect(notificationsOn(buildInput(), '2026-03-11')[0]?.reason).toBe('due today (2026-03-11)');
  });

  it('reminds each business day a task is overdue, not on days off', () => {
    expect(summary('2026-03-12')).toEqual(['overdue/0 -> assignee']);
    expect(summary('2026-03-13')).toEqual(['overdue/0 -> assignee']);
    expect(summary('2026-03-14')).toEqual([]);
    expect(summary('2026-03-15')).toEqual([]);
    expect(notificationsOn(buildInput(), '2026-03-13')[0]?.overdueBusinessDays).toBe(2);
  });

  it("escalates to the assignee's manager at 3 business days overdue and to leadership at 5", () => {
    expect(summary('2026-03-16')).toEqual(['overdue/0 -> assignee', 'escalation/1 -> manager(assignee)']);
    expect(summary('2026-03-17')).toEqual(['overdue/0 -> assignee']);
    expect(summary('2026-03-18')).toEqual(['overdue/0 -> assignee', 'escalation/2 -> leadership']);
    expect(summary('2026-03-19')).toEqual(['overdue/0 -> assignee']);
  });

  it('counts overdue days in the client calendar (holidays are not counted)', () => {
    const withHoliday = buildInput([buildTask()], { calendar: new BusinessCalendar({ holidays: ['2026-03-13'] }) });
    expect(summary('2026-03-13', withHoliday)).toEqual([]);
    expect(summary('2026-03-17', withHoliday)).toEqual(['overdue/0 -> assignee', 'escalation/1 -> manager(assignee)']);
  });

  it('sends nothing for done, waived or pending tasks', () => {
    for (const status of ['done', 'waived', 'pending'] as const) {
      expect(summary('2026-03-16', buildInput([buildTask({ status })]))).toEqual([]);
    }
  });

  it('takes per-task settings over the defaults', () => {
    const eager = buildInput([buildTask({ settings: { managerAfterBusinessDays: 1, remindOverdueDaily: false } })]);
    expect(summary('2026-03-12', eager)).toEqual(['escalation/1 -> manager(assignee)']);
    expect(summary('2026-03-10', buildInput([buildTask()], { settings: { remindBeforeBusinessDays: 0 } }))).toEqual([]);
  });
});

describe('gate reminders', () => {
  const gated = (overrides: Partial<PolicyInput> = {}) =>
    buildInput(
      [buildTask({ key: 'backup-transition', due: '2026-03-13', gates: [{ gate: 'backup-handoff', satisfied: false }] })],
      overrides,
    );

  it('reminds the external party every 2 business days from the request, copying the account manager', () => {
    // Requested 5 business days before the due date: 2026-03-06.
    const days = ['2026-03-09', '2026-03-10', '2026-03-11', '2026-03-12', '2026-03-16'];
    const gateOnly = (d: string) => summary(d, gated()).filter((s) => s.startsWith('gate'));
    expect(days.map(gateOnly)).toEqual([
      [],
      ['gate-reminder/0 -> external-party(new-provider)'],
      [],
      ['gate-reminder/0 -> external-party(new-provider)'],
      ['gate-reminder/0 -> external-party(new-provider)'],
    ]);
    const n = notificationsOn(gated(), '2026-03-10').find((x) => x.kind === 'gate-reminder');
    expect(n?.cc).toEqual([{ role: 'external-party', party: 'client' }, { role: 'account-manager' }]);
    expect(n?.reminderNumber).toBe(1);
  });

  it("escalates to the account manager's manager after 3 reminders", () => {
    const on18 = summary('2026-03-18', gated()).filter((s) => s.startsWith('gate'));
    expect(on18).toEqual(['gate-reminder/0 -> external-party(new-provider)', 'gate-escalation/1 -> manager(account-manager)']);
    expect(summary('2026-03-20', gated()).filter((s) => s.startsWith('gate'))).toEqual(['gate-reminder/0 -> external-party(new-provider)']);
  });

  it('asks the client, never the new provider, before the authorization is on file', () => {
    const n = notificationsOn(gated({ authorizationOnFile: false }), '2026-03-10').find((x) => x.kind === 'gate-reminder');
    expect(n?.recipient).toEqual({ role: 'external-party', party: 'client' });
    expect(n?.cc).toEqual([{ role: 'account-manager' }]);
    const noProvider = notificationsOn(gated({ hasNewProvider: false }), '2026-03-10').find((x) => x.kind === 'gate-reminder');
    expect(noProvider?.recipient).toEqual({ role: 'external-party', party: 'client' });
  });

  it('starts waiting when the task becomes ready, if that is later', () => {
    const late = buildInput([
      buildTask({ due: '2026-03-13', readyOn: '2026-03-11', gates: [{ gate: 'replacement-coverage', satisfied: false }] }),
    ]);
    expect(summary('2026-03-12', late).filter((s) => s.startsWith('gate'))).toEqual([]);
    expect(summary('2026-03-13', late).filter((s) => s.startsWith('gate'))).toEqual(['gate-reminder/0 -> external-party(new-provider)']);
  });

  it('stops once the gate is satisfied', () => {
    const done = buildInput([buildTask({ due: '2026-03-13', gates: [{ gate: 'backup-handoff', satisfied: true }] })]);
    expect(summary('2026-03-10', done).filter((s) => s.startsWith('gate'))).toEqual([]);
  });
});

describe('keys and windows', () => {
  it('gives each notification a stable key from offboarding, task, kind, level and date', () => {
    const keys = notificationsOn(buildInput(), '2026-03-16').map((n) => n.key);
    expect(keys).toEqual(['ob-1:dns-transfer:overdue:0:2026-03-16', 'ob-1:dns-transfer:escalation:1:2026-03-16']);
    expect(notificationsOn(buildInput(), '2026-03-16').map((n) => n.key)).toEqual(keys);
    const gate = notificationsOn(
      buildInput([buildTask({ due: '2026-03-13', gates: [{ gate: 'backup-handoff', satisfied: false }] })]),
      '2026-03-10',
    );
    expect(gate.map((n) => n.key)).toContain('ob-1:dns-transfer:gate-reminder.backup-handoff:0:2026-03-10');
  });

  it('never gives two different notifications the same key (property)', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 60 }), fc.integer({ min: 1, max: 40 }), fc.boolean(), (dueOffset, span, gate) => {
        const due = cal.onOrAfter(cal.addDays('2026-01-05', dueOffset));
        const input = buildInput([
          buildTask({ due, gates: gate ? [{ gate: 'backup-handoff', satisfied: false }] : [] }),
          buildTask({ key: 'other', due, role: 'billing' }),
        ]);
        const all = [];
        for (let d = cal.addDays(due, -10); d <= cal.addDays(due, span); d = cal.addDays(d, 1)) all.push(...notificationsOn(input, d));
        expect(new Set(all.map((n) => n.key)).size).toBe(all.length);
      }),
    );
  });

  it('sends what is due in a window, at 09:00 local time', () => {
    const first = dueNotifications(buildInput(), { since: '2026-03-11T12:00:00Z', now: '2026-03-11T13:00:00Z' });
    expect(first.map((n) => [n.kind, n.fireAt])).toEqual([['reminder', '2026-03-11T13:00:00Z']]);
    expect(dueNotifications(buildInput(), { since: '2026-03-11T13:00:00Z', now: '2026-03-11T20:00:00Z' })).toEqual([]);
  });

  it('after downtime, sends the newest reminder and every escalation missed', () => {
    const due = dueNotifications(buildInput(), { since: '2026-03-11T14:00:00Z', now: '2026-03-18T15:00:00Z' });
    expect(due.map((n) => `${n.kind}/${n.level}/${n.date}`)).toEqual([
      'escalation/1/2026-03-16',
      'overdue/0/2026-03-18',
      'escalation/2/2026-03-18',
    ]);
  });
});

describe('credential follow-ups', () => {
  const transfer = buildTask({ key: 'credential-transfer', status: 'done', due: '2026-03-10' });

  it('reminds each receiving side every 2 business days until it confirms every credential changed, the client copied on the new provider’s', () => {
    const input = buildInput([transfer], {
      credentialChanges: [
        { party: 'new-provider', since: '2026-03-10', count: 3 },
        { party: 'client', since: '2026-03-11', count: 1 },
      ],
    });
    expect(summary('2026-03-11', input)).toEqual([]);
    expect(summary('2026-03-12', input)).toEqual(['change-reminder/0 -> external-party(new-provider)']);
    expect(summary('2026-03-13', input)).toEqual(['change-reminder/0 -> external-party(client)']);
    expect(summary('2026-03-16', input)).toEqual(['change-reminder/0 -> external-party(new-provider)']);
    const [n] = notificationsOn(input, '2026-03-16');
    expect(n).toMatchObject({
      key: 'ob-1:credential-transfer:change-reminder.new-provider:0:2026-03-16',
      reminderNumber: 2,
      side: 'new-provider',
      reason: '3 credentials handed over since 2026-03-10 not yet confirmed changed (reminder 2)',
      cc: [{ role: 'external-party', party: 'client' }, { role: 'account-manager' }],
    });
    // Down for a week: one reminder per side, the newest.
    const caughtUp = dueNotifications(input, { since: '2026-03-11T00:00:00Z', now: '2026-03-20T23:00:00Z' });
    expect(caughtUp.map((x) => `${x.side} ${x.date}`)).toEqual(['client 2026-03-19', 'new-provider 2026-03-20']);
    expect(notificationsOn(buildInput([transfer], { credentialChanges: [] }), '2026-03-12')).toEqual([]);
  });

  it('tells the technician the day before the transfer is due and on the day, while credentials wait to be changed', () => {
    const open = buildTask({ key: 'credential-transfer', status: 'ready', due: '2026-03-10' });
    const input = buildInput([open], { rotationsPending: 2 });
    expect(summary('2026-03-06', input)).toEqual([]);
    expect(summary('2026-03-09', input)).toEqual(['reminder/0 -> assignee', 'rotation-reminder/0 -> assignee']);
    expect(summary('2026-03-10', input)).toEqual(['reminder/0 -> assignee', 'rotation-reminder/0 -> assignee']);
    expect(notificationsOn(input, '2026-03-10')[1]?.reason).toBe(
      '2 credentials to change at their systems right before the hand-over (due 2026-03-10), then record the new secrets',
    );
    expect(summary('2026-03-10', buildInput([open], { rotationsPending: 0 }))).toEqual(['reminder/0 -> assignee']);
  });
});
