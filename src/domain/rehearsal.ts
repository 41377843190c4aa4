/**
 * The mock offboard: walks a plan day by day on a virtual clock, completing every task on its
 * due date except those told to be late, and records each day's reminders and escalations
 * from the same escalation policy the server uses.
 */
import type { LocalDate } from './calendar.ts';
import { InputError } from './errors.ts';
import {
  type EscalationSettings,
  type Notification,
  type NotificationKind,
  type PolicyInput,
  type PolicyTask,
  describeRecipient,
  notificationsOn,
} from './escalation.ts';
import type { OffboardingFacts } from './offboarding-case.ts';
import { type Plan, type PlannedTask, calendarOf, plan as makePlan } from './planner.ts';
import type { Playbook } from './playbook.ts';
import { initialTaskStatus, transitionTask } from './task-state.ts';
import type { Gate, TaskRole } from './vocabulary.ts';

export type RehearsalOptions = {
  /** Task key -> business days late. */
  late?: Readonly<Record<string, number>>;
  offboardingId?: string;
  settings?: Partial<EscalationSettings>;
};

export type RehearsalEvent =
  | { type: 'attested'; task: string; gate: Gate }
  | { type: 'completed'; task: string; role: TaskRole; due: LocalDate; lateBusinessDays: number }
  | { type: 'notification'; notification: Notification };

export type RehearsalDay = { date: LocalDate; businessDay: number | null; events: RehearsalEvent[] };

export type RehearsalSummary = {
  firstDay: LocalDate;
  lastDay: LocalDate;
  calendarDays: number;
  tasks: number;
  onTime: number;
  late: { task: string; businessDays: number }[];
  notifications: number;
  byKind: Record<NotificationKind, number>;
  byRecipient: Record<string, number>;
  escalations: { date: LocalDate; task: string; level: number; to: string; reason: string }[];
};

export type Rehearsal = { plan: Plan; days: RehearsalDay[]; summary: RehearsalSummary };

/** Parses `KEY=DAYS` pairs, naming the pair that is wrong. */
export function parseLateOptions(pairs: readonly string[], planned: readonly { key: string }[]): Record<string, number> {
  const keys = new Set(planned.map((t) => t.key));
  const late: Record<string, number> = {};
  const issues = pairs.flatMap((pair, i) => {
    const m = /^([a-z0-9-]+)=(\d{1,3})$/.exec(pair.trim());
    if (!m) return [{ path: `late[${i}]`, message: `"${pair}" must be KEY=DAYS, like dns-transfer=4` }];
    const [, key, days] = m as unknown as [string, string, string];
    if (!keys.has(key)) return [{ path: `late[${i}]`, message: `"${key}" is not a task in this plan` }];
    late[key] = Number(days);
    return [];
  });
  if (issues.length > 0) throw new InputError('invalid --late option', issues);
  return late;
}

export function rehearse(playbook: Playbook, facts: OffboardingFacts, options: RehearsalOptions = {}): Rehearsal {
  const cal = calendarOf(facts);
  const plan = makePlan(playbook, facts, { calendar: cal });
  const late = options.late ?? {};
  const byKey = new Map(plan.tasks.map((t) => [t.key, t] as const));
  const finishOn = new Map(plan.tasks.map((t) => [t.key, cal.addBusinessDays(t.due, late[t.key] ?? 0)] as const));

  const openDeps = (t: PlannedTask): string[] => t.dependsOn.filter((d) => state.get(d)?.status !== 'done');
  const state = new Map<string, PolicyTask>();
  for (const t of plan.tasks) {
    state.set(t.key, {
      key: t.key,
      title: t.title,
      role: t.role,
      status: 'pending',
      due: t.due,
      gates: t.gates.map((gate) => ({ gate, satisfied: false })),
    });
  }
  for (const t of plan.tasks) {
    const s = state.get(t.key) as PolicyTask;
    s.status = initialTaskStatus({ openDependencies: openDeps(t) });
    if (s.status === 'ready') s.readyOn = plan.firstDay;
  }
  const input: PolicyInput = {
    offboardingId: options.offboardingId ?? 'rehearsal',
    timeZone: plan.timeZone,
    calendar: cal,
    tasks: [...state.values()],
    hasNewProvider: facts.newProvider !== undefined,
    authorizationOnFile: false,
    settings: options.settings,
  };
  const fileAuthorization = (): void => {
    input.authorizationOnFile = true;
    for (const s of state.values()) for (const g of s.gates) if (g.gate === 'authorization') g.satisfied = true;
  };

  const order = plan.tasks.slice().sort((a, b) => (a.due < b.due ? -1 : a.due > b.due ? 1 : 0));
  // Walk in dependency order within a day so a dependent due the same day can follow its dependency.
  const topo: PlannedTask[] = [];
  const placed = new Set<string>();
  const place = (t: PlannedTask): void => {
    if (placed.has(t.key)) return;
    placed.add(t.key);
    for (const d of t.dependsOn) place(byKey.get(d) as PlannedTask);
    topo.push(t);
  };
  order.forEach(place);

  const days: RehearsalDay[] = [];
  let remaining = plan.tasks.length;
  const lastPlanned = [...finishOn.values()].reduce((a, b) => (a > b ? a : b), plan.firstDay);
  const stopAfter = cal.addDays(lastPlanned, 366);
  let date = plan.firstDay;
  for (; remaining > 0 && date <= stopAfter; date = cal.addDays(date, 1)) {
    const events: RehearsalEvent[] = notificationsOn(input, date).map((notification) => ({ type: 'notification', notification }));
    if (cal.isBusinessDay(date)) {
      for (const t of topo) {
        const s = state.get(t.key) as PolicyTask;
        if (s.status === 'done' || (finishOn.get(t.key) as LocalDate) > date) continue;
        const open = openDeps(t);
        if (open.length > 0) continue;
        for (const g of s.gates) {
          if (g.satisfied) continue;
          // The party's statement arrives the day the task can finish (the rehearsal's default: every party signs in time).
          if (g.gate === 'authorization' && !input.authorizationOnFile) fileAuthorization();
          g.satisfied = true;
          events.push({ type: 'attested', task: t.key, gate: g.gate });
        }
        s.status = transitionTask(s, { type: 'complete' }, { openDependencies: open, unmetGates: [] }).status;
        remaining--;
        events.push({
          type: 'completed',
          task: t.key,
          role: t.role,
          due: t.due,
          lateBusinessDays: Math.max(0, cal.businessDaysBetween(t.due, date)),
        });
        for (const dependent of plan.tasks) {
          const ds = state.get(dependent.key) as PolicyTask;
          if (ds.status === 'pending' && dependent.dependsOn.includes(t.key)) {
            const still = openDeps(dependent);
            if (still.length === 0) {
              ds.status = transitionTask(ds, { type: 'dependencies-done' }, { openDependencies: still, unmetGates: [] }).status;
              ds.readyOn = date;
            }
          }
        }
      }
    }
    if (events.length > 0) {
      days.push({ date, businessDay: cal.isBusinessDay(date) ? cal.businessDaysBetween(plan.firstDay, date) + 1 : null, events });
    }
  }
  return { plan, days, summary: summarize(plan, days, cal.daysBetween(plan.firstDay, date)) };
}

function summarize(plan: Plan, days: readonly RehearsalDay[], calendarDays: number): RehearsalSummary {
  const byKind: Record<NotificationKind, number> = { reminder: 0, overdue: 0, escalation: 0, 'gate-reminder': 0, 'gate-escalation': 0 };
  const byRecipient: Record<string, number> = {};
  const escalations: RehearsalSummary['escalations'] = [];
  const late: RehearsalSummary['late'] = [];
  let notifications = 0;
  let completed = 0;
  for (const day of days) {
    for (const e of day.events) {
      if (e.type === 'completed') {
        completed++;
        if (e.lateBusinessDays > 0) late.push({ task: e.task, businessDays: e.lateBusinessDays });
      } else if (e.type === 'notification') {
        const n = e.notification;
        notifications++;
        byKind[n.kind]++;
        const to = describeRecipient(n.recipient);
        byRecipient[to] = (byRecipient[to] ?? 0) + 1;
        if (n.kind === 'escalation' || n.kind === 'gate-escalation')
          escalations.push({ date: day.date, task: n.taskKey, level: n.level, to, reason: n.reason });
      }
    }
  }
  const lastDay = days.at(-1)?.date ?? plan.firstDay;
  return {
    firstDay: plan.firstDay,
    lastDay,
    calendarDays,
    tasks: plan.tasks.length,
    onTime: completed - late.length,
    late,
    notifications,
    byKind,
    byRecipient,
    escalations,
  };
}
