/**
 * The escalation policy (DESIGN.md section 5): given the tasks of an offboarding, the state of
 * their gates, the calendar and a moment, which notifications are due. Pure; the scheduler,
 * the rehearsal and the tests all call this one module.
 */
import { type BusinessCalendar, type LocalDate, localDateAt, zonedInstant, compareInstants } from './calendar.ts';
import type { Gate, TaskRole, TaskStatus } from './vocabulary.ts';

export type EscalationSettings = {
  /** Remind the assignee this many business days before the due date (0: don't). */
  remindBeforeBusinessDays: number;
  remindOnDueDate: boolean;
  /** Remind the assignee each business day a task is overdue. */
  remindOverdueDaily: boolean;
  /** Business days overdue at which the assignee's manager is told (level 1). */
  managerAfterBusinessDays: number;
  /** Business days overdue at which leadership is told (level 2). */
  leadershipAfterBusinessDays: number;
  /** A gate's attestation is requested this many business days before the task is due (or when it becomes ready, if later). */
  gateLeadBusinessDays: number;
  /** Remind the external party every this many business days while a gate waits. */
  gateReminderEveryBusinessDays: number;
  /** After this many gate reminders, escalate to the account manager's manager. */
  gateEscalateAfterReminders: number;
  /** Local time of day at which the day's notifications go out. */
  sendAt: string;
};

export const DEFAULT_ESCALATION: EscalationSettings = {
  remindBeforeBusinessDays: 1,
  remindOnDueDate: true,
  remindOverdueDaily: true,
  managerAfterBusinessDays: 3,
  leadershipAfterBusinessDays: 5,
  gateLeadBusinessDays: 5,
  gateReminderEveryBusinessDays: 2,
  gateEscalateAfterReminders: 3,
  sendAt: '09:00',
};

export type GateState = { gate: Gate; satisfied: boolean; requestedOn?: LocalDate | undefined };

export type PolicyTask = {
  key: string;
  title?: string | undefined;
  role: TaskRole;
  status: TaskStatus;
  due: LocalDate;
  /** The day the task became ready (its dependencies done). */
  readyOn?: LocalDate | undefined;
  gates: readonly GateState[];
  /** Per-task overrides of the offboarding's settings. */
  settings?: Partial<EscalationSettings> | undefined;
};

export type PolicyInput = {
  offboardingId: string;
  timeZone: string;
  calendar: BusinessCalendar;
  tasks: readonly PolicyTask[];
  hasNewProvider: boolean;
  /** The client's written authorization naming the new provider is on file. */
  authorizationOnFile: boolean;
  settings?: Partial<EscalationSettings> | undefined;
  /** Credentials handed over and not yet confirmed changed, per receiving side: how many, since the first was taken. */
  credentialChanges?: readonly { party: ExternalParty; since: LocalDate; count: number }[] | undefined;
  /** Credentials the MSP is to change right before handing them over, not changed yet. */
  rotationsPending?: number | undefined;
};

/** The task credential follow-ups belong to: the technician's before the transfer, the recipient's after it. */
export const CREDENTIAL_TRANSFER_TASK_KEY = 'credential-transfer';

export type NotificationKind =
  'reminder' | 'overdue' | 'escalation' | 'gate-reminder' | 'gate-escalation' | 'rotation-reminder' | 'change-reminder';

export type ExternalParty = 'client' | 'new-provider';

export type Recipient =
  | { role: 'assignee' }
  | { role: 'manager'; of: 'assignee' | 'account-manager' }
  | { role: 'leadership' }
  | { role: 'account-manager' }
  | { role: 'external-party'; party: ExternalParty };

export type Notification = {
  /** Deterministic: the same notification always has the same key, so it is sent once. */
  key: string;
  offboardingId: string;
  taskKey: string;
  kind: NotificationKind;
  level: number;
  /** The local date it is scheduled for. */
  date: LocalDate;
  /** The instant it goes out: `sendAt` local time on `date`, in UTC. */
  fireAt: string;
  recipient: Recipient;
  cc: Recipient[];
  /** The role the task is assigned to (whose manager an escalation goes to). */
  assigneeRole: TaskRole;
  due: LocalDate;
  gate?: Gate | undefined;
  overdueBusinessDays?: number | undefined;
  reminderNumber?: number | undefined;
  /** A change reminder's side: each side is reminded of its own credentials. */
  side?: ExternalParty | undefined;
  reason: string;
};

export function notificationKey(
  offboardingId: string,
  taskKey: string,
  kind: NotificationKind,
  level: number,
  date: LocalDate,
  gate?: Gate,
): string {
  return `${offboardingId}:${taskKey}:${gate ? `${kind}.${gate}` : kind}:${level}:${date}`;
}

export function describeRecipient(r: Recipient): string {
  switch (r.role) {
    case 'assignee':
      return 'assignee';
    case 'manager':
      return r.of === 'assignee' ? "assignee's manager" : "account manager's manager";
    case 'leadership':
      return 'leadership';
    case 'account-manager':
      return 'account manager';
    case 'external-party':
      return r.party === 'client' ? 'client contact' : 'new provider';
  }
}

const GATE_ASK: Record<Gate, string> = {
  authorization: "the client's written authorization naming the new provider",
  'backup-handoff': 'a verified successful backup from the new provider, or a signed backup release from the client',
  'replacement-coverage': 'an attestation that replacement security coverage is live',
};

const plural = (n: number, word: string): string => `${n} ${word}${n === 1 ? '' : 's'}`;

/** Who is asked for a gate's attestation. Nothing goes to a new provider before the authorization is on file. */
export function gateParty(gate: Gate, input: Pick<PolicyInput, 'hasNewProvider' | 'authorizationOnFile'>): ExternalParty {
  if (gate === 'authorization') return 'client';
  return input.hasNewProvider && input.authorizationOnFile ? 'new-provider' : 'client';
}

/** The day a gate's attestation is (or was) requested. */
export function gateRequestedOn(task: PolicyTask, gate: GateState, calendar: BusinessCalendar, settings: EscalationSettings): LocalDate {
  if (gate.requestedOn) return gate.requestedOn;
  const lead = calendar.addBusinessDays(task.due, -settings.gateLeadBusinessDays);
  return task.readyOn && task.readyOn > lead ? task.readyOn : lead;
}

/** Each gate still waited for by an open task: on whom, since when (the first day it was asked for), for which tasks. */
export function gatesWaiting(input: PolicyInput): { gate: Gate; waitingOn: ExternalParty; since: LocalDate; tasks: string[] }[] {
  const base: EscalationSettings = { ...DEFAULT_ESCALATION, ...input.settings };
  const by = new Map<Gate, { since: LocalDate; tasks: string[] }>();
  for (const task of input.tasks) {
    if (task.status === 'done' || task.status === 'waived') continue;
    const s = task.settings ? { ...base, ...task.settings } : base;
    for (const g of task.gates) {
      if (g.satisfied) continue;
      const since = gateRequestedOn(task, g, input.calendar, s);
      const seen = by.get(g.gate);
      if (!seen) by.set(g.gate, { since, tasks: [task.key] });
      else {
        seen.tasks.push(task.key);
        if (since < seen.since) seen.since = since;
      }
    }
  }
  return [...by].map(([gate, w]) => ({ gate, waitingOn: gateParty(gate, input), since: w.since, tasks: w.tasks }));
}

/** Every notification scheduled on local date `date`, for tasks in the state given. */
export function notificationsOn(input: PolicyInput, date: LocalDate): Notification[] {
  const cal = input.calendar;
  if (!cal.isBusinessDay(date)) return [];
  const out: Notification[] = [];
  const base: EscalationSettings = { ...DEFAULT_ESCALATION, ...input.settings };
  for (const task of input.tasks) {
    if (task.status === 'done' || task.status === 'waived') continue;
    const s: EscalationSettings = task.settings ? { ...base, ...task.settings } : base;
    const make = (
      kind: NotificationKind,
      level: number,
      recipient: Recipient,
      cc: Recipient[],
      reason: string,
      extra: Partial<Pick<Notification, 'gate' | 'overdueBusinessDays' | 'reminderNumber'>> = {},
    ): Notification => ({
      key: notificationKey(input.offboardingId, task.key, kind, level, date, extra.gate),
      offboardingId: input.offboardingId,
      taskKey: task.key,
      kind,
      level,
      date,
      fireAt: zonedInstant(date, s.sendAt, input.timeZone),
      recipient,
      cc,
      assigneeRole: task.role,
      due: task.due,
      reason,
      ...extra,
    });

    // A pending task waits on another task; that task's people are the ones reminded.
    if (task.status !== 'pending') {
      const overdue = cal.businessDaysBetween(task.due, date);
      if (overdue < 0) {
        if (s.remindBeforeBusinessDays > 0 && -overdue === s.remindBeforeBusinessDays && date < task.due) {
          const when = s.remindBeforeBusinessDays === 1 ? 'next business day' : `in ${plural(s.remindBeforeBusinessDays, 'business day')}`;
          out.push(make('reminder', 0, { role: 'assignee' }, [], `due ${when} (${task.due})`));
        }
      } else if (date === task.due) {
        if (s.remindOnDueDate) out.push(make('reminder', 0, { role: 'assignee' }, [], `due today (${task.due})`));
      } else if (overdue > 0) {
        const late = `${plural(overdue, 'business day')} overdue (due ${task.due})`;
        if (s.remindOverdueDaily) out.push(make('overdue', 0, { role: 'assignee' }, [], late, { overdueBusinessDays: overdue }));
        if (overdue === s.managerAfterBusinessDays) {
          out.push(
            make(
              'escalation',
              1,
              { role: 'manager', of: 'assignee' },
              [{ role: 'assignee' }],
              `${late}: escalated to the assignee's manager`,
              { overdueBusinessDays: overdue },
            ),
          );
        }
        if (overdue === s.leadershipAfterBusinessDays) {
          out.push(
            make(
              'escalation',
              2,
              { role: 'leadership' },
              [{ role: 'manager', of: 'assignee' }, { role: 'assignee' }],
              `${late}: escalated to leadership`,
              { overdueBusinessDays: overdue },
            ),
          );
        }
      }

      // Credentials to change right before the hand-over: the technician is told the day before and on the day.
      if (task.key === CREDENTIAL_TRANSFER_TASK_KEY && (input.rotationsPending ?? 0) > 0 && (overdue === 0 || overdue === -1)) {
        const n = input.rotationsPending ?? 0;
        out.push(
          make(
            'rotation-reminder',
            0,
            { role: 'assignee' },
            [],
            `${plural(n, 'credential')} to change at ${n === 1 ? 'its system' : 'their systems'} right before the hand-over (due ${task.due}), then record the new ${n === 1 ? 'secret' : 'secrets'}`,
          ),
        );
      }

      for (const gate of task.gates) {
        if (gate.satisfied) continue;
        const since = gateRequestedOn(task, gate, cal, s);
        const waited = cal.businessDaysBetween(since, date);
        const every = Math.max(1, s.gateReminderEveryBusinessDays);
        if (waited <= 0 || waited % every !== 0) continue;
        const n = waited / every;
        const party = gateParty(gate.gate, input);
        const cc: Recipient[] =
          party === 'new-provider'
            ? [{ role: 'external-party', party: 'client' }, { role: 'account-manager' }]
            : [{ role: 'account-manager' }];
        const ask = `waiting since ${since} for ${GATE_ASK[gate.gate]}`;
        out.push(
          make('gate-reminder', 0, { role: 'external-party', party }, cc, `${ask} (reminder ${n})`, { gate: gate.gate, reminderNumber: n }),
        );
        if (n === s.gateEscalateAfterReminders + 1) {
          out.push(
            make(
              'gate-escalation',
              1,
              { role: 'manager', of: 'account-manager' },
              [{ role: 'account-manager' }],
              `${ask}, still missing after ${plural(s.gateEscalateAfterReminders, 'reminder')}`,
              {
                gate: gate.gate,
                reminderNumber: n,
              },
            ),
          );
        }
      }
    }
  }

  // After the hand-over, each receiving side is reminded every few business days until it confirms every credential changed.
  const transfer = input.tasks.find((t) => t.key === CREDENTIAL_TRANSFER_TASK_KEY);
  if (transfer) {
    const s: EscalationSettings = transfer.settings ? { ...base, ...transfer.settings } : base;
    for (const c of input.credentialChanges ?? []) {
      const waited = cal.businessDaysBetween(c.since, date);
      const every = Math.max(1, s.gateReminderEveryBusinessDays);
      if (c.count <= 0 || waited <= 0 || waited % every !== 0) continue;
      const n = waited / every;
      out.push({
        key: `${input.offboardingId}:${transfer.key}:change-reminder.${c.party}:0:${date}`,
        offboardingId: input.offboardingId,
        taskKey: transfer.key,
        kind: 'change-reminder',
        level: 0,
        date,
        fireAt: zonedInstant(date, s.sendAt, input.timeZone),
        recipient: { role: 'external-party', party: c.party },
        cc:
          c.party === 'new-provider'
            ? [{ role: 'external-party', party: 'client' }, { role: 'account-manager' }]
            : [{ role: 'account-manager' }],
        assigneeRole: transfer.role,
        due: transfer.due,
        reminderNumber: n,
        side: c.party,
        reason: `${plural(c.count, 'credential')} handed over since ${c.since} not yet confirmed changed (reminder ${n})`,
      });
    }
  }
  return out;
}

const REPEATING: ReadonlySet<NotificationKind> = new Set(['reminder', 'overdue', 'gate-reminder', 'rotation-reminder', 'change-reminder']);

/**
 * Notifications due in the window (since, now], both ISO instants. When the window spans
 * several days (a scheduler that was down), repeating reminders collapse to the newest one
 * per task and kind; escalations are all kept.
 */
export function dueNotifications(input: PolicyInput, window: { since?: string | undefined; now: string }): Notification[] {
  const cal = input.calendar;
  const last = localDateAt(window.now, input.timeZone);
  const first = window.since ? localDateAt(window.since, input.timeZone) : last;
  const found: Notification[] = [];
  for (let d = first; d <= last; d = cal.addDays(d, 1)) {
    for (const n of notificationsOn(input, d)) {
      if (compareInstants(n.fireAt, window.now) > 0) continue;
      if (window.since && compareInstants(n.fireAt, window.since) <= 0) continue;
      found.push(n);
    }
  }
  const newest = new Map<string, Notification>();
  for (const n of found) {
    if (!REPEATING.has(n.kind)) continue;
    newest.set(`${n.taskKey}|${n.kind}|${n.gate ?? ''}|${n.side ?? ''}`, n);
  }
  return found.filter((n) => !REPEATING.has(n.kind) || newest.get(`${n.taskKey}|${n.kind}|${n.gate ?? ''}|${n.side ?? ''}`) === n);
}
