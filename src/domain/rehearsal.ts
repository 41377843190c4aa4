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
import type { StatementKind } from './statements.ts';
import { initialTaskStatus, transitionTask } from './task-state.ts';
import { GATES, type Gate, type TaskRole } from './vocabulary.ts';

/**
 * When the parties sign: each gate's statement on a chosen date (on file from midday: that day's
 * 09:00 reminders still ask for it), or 'when-needed': every party signs the day a task needs it.
 * A gate left out is never signed, and what waits on it is never done.
 */
export type Signatures = 'when-needed' | Readonly<Partial<Record<Gate, LocalDate>>>;

export type RehearsalOptions = {
  /** Task key -> business days late. */
  late?: Readonly<Record<string, number>>;
  /** Nothing is signed unless given. */
  signed?: Signatures;
  offboardingId?: string;
  settings?: Partial<EscalationSettings>;
};

export type RehearsalEvent =
  | { type: 'signed'; gate: Gate; statement: StatementKind }
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
  /** Tasks never done because a statement never came: each with the gate it (or a task it depends on) waits for. */
  unfinished: { task: string; waitsFor: Gate[] }[];
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

/** The words `--signed` takes for each gate, besides the gate's own name. */
const SIGNED_KEYS: Record<string, Gate> = { authorization: 'authorization', backup: 'backup-handoff', coverage: 'replacement-coverage' };

/**
 * Parses `GATE=DAY` pairs: GATE is authorization, backup or coverage (or the gate's name); DAY is a
 * business day of the plan (1 is its first day) or a date. Names the pair that is wrong.
 */
export function parseSignedOptions(
  pairs: readonly string[],
  planned: Pick<Plan, 'tasks' | 'firstDay'>,
  cal: { addBusinessDays(date: LocalDate, n: number): LocalDate; isBusinessDay(date: LocalDate): boolean },
): Partial<Record<Gate, LocalDate>> {
  const inPlan = new Set(planned.tasks.flatMap((t) => t.gates));
  const signed: Partial<Record<Gate, LocalDate>> = {};
  const issues = pairs.flatMap((pair, i) => {
    const path = `signed[${i}]`;
    const m = /^([a-z-]+)=(?:(\d{1,3})|(\d{4}-\d{2}-\d{2}))$/.exec(pair.trim());
    if (!m) return [{ path, message: `"${pair}" must be GATE=DAY or GATE=YYYY-MM-DD, like authorization=3` }];
    const [, name, day, date] = m as unknown as [string, string, string | undefined, string | undefined];
    const gate = SIGNED_KEYS[name] ?? (GATES as readonly string[]).find((g) => g === name);
    if (!gate) return [{ path, message: `"${name}" is not a statement: use authorization, backup or coverage` }];
    if (!inPlan.has(gate as Gate)) return [{ path, message: `no task in this plan waits for the ${gate} statement` }];
    if (day !== undefined && Number(day) < 1) return [{ path, message: 'the first day of the plan is day 1' }];
    if (date !== undefined && date < planned.firstDay) return [{ path, message: `is before the plan's first day ${planned.firstDay}` }];
    signed[gate as Gate] = date ?? cal.addBusinessDays(planned.firstDay, Number(day) - 1);
    return [];
  });
  if (issues.length > 0) throw new InputError('invalid --signed option', issues);
  return signed;
}

export function rehearse(playbook: Playbook, facts: OffboardingFacts, options: RehearsalOptions = {}): Rehearsal {
  const cal = calendarOf(facts);
  const plan = makePlan(playbook, facts, { calendar: cal });
  const late = options.late ?? {};
  const signed = options.signed ?? {};
  const whenNeeded = signed === 'when-needed';
  const signOn: Partial<Record<Gate, LocalDate>> = whenNeeded ? {} : signed;
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
  const onFile = new Set<Gate>();
  const sign = (gate: Gate): RehearsalEvent => {
    onFile.add(gate);
    if (gate === 'authorization') input.authorizationOnFile = true;
    for (const s of state.values()) for (const g of s.gates) if (g.gate === gate) g.satisfied = true;
    const statement: StatementKind =
      gate === 'authorization'
        ? 'authorization'
        : gate === 'replacement-coverage'
          ? 'replacement-coverage'
          : facts.newProvider !== undefined
            ? 'backup-verified'
            : 'backup-release';
    return { type: 'signed', gate, statement };
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
  const latest = (dates: Iterable<LocalDate>) => [...dates].reduce((a, b) => (a > b ? a : b), plan.firstDay);
  const lastPlanned = latest([...finishOn.values(), ...Object.values(signOn)]);
  const gatesInPlan = new Set(plan.tasks.flatMap((t) => t.gates));
  const neverSigned = whenNeeded ? [] : [...gatesInPlan].filter((g) => signOn[g] === undefined);
  const stopAfter = cal.addDays(lastPlanned, 366);
  // With a statement that never comes, the walk ends ten business days after the last thing that
  // happened, once all that is left waits for it: long enough to show the reminders and escalations it causes.
  let lastProgress = plan.firstDay;
  const stuck = (date: LocalDate) =>
    neverSigned.length > 0 &&
    date >= cal.addBusinessDays(lastProgress, 10) &&
    unfinishedOf(plan, state).every((u) => u.waitsFor.some((g) => neverSigned.includes(g)));
  let date = plan.firstDay;
  for (; remaining > 0 && date <= stopAfter; date = cal.addDays(date, 1)) {
    const events: RehearsalEvent[] = notificationsOn(input, date).map((notification) => ({ type: 'notification', notification }));
    for (const g of gatesInPlan) {
      const on = signOn[g];
      if (on !== undefined && on <= date && !onFile.has(g)) {
        events.push(sign(g));
        lastProgress = date;
      }
    }
    if (cal.isBusinessDay(date)) {
      for (const t of topo) {
        const s = state.get(t.key) as PolicyTask;
        if (s.status === 'done' || (finishOn.get(t.key) as LocalDate) > date) continue;
        const open = openDeps(t);
        if (open.length > 0) continue;
        // 'when-needed': the party's statement arrives the day the task can finish.
        if (whenNeeded) for (const g of s.gates) if (!g.satisfied) events.push(sign(g.gate));
        if (s.gates.some((g) => !g.satisfied)) continue;
        s.status = transitionTask(s, { type: 'complete' }, { openDependencies: open, unmetGates: [] }).status;
        remaining--;
        lastProgress = date;
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
    if (stuck(date)) {
      date = cal.addDays(date, 1);
      break;
    }
  }
  return { plan, days, summary: summarize(plan, days, cal.daysBetween(plan.firstDay, date), unfinishedOf(plan, state)) };
}

/** Each task left undone, with the gates it or what it depends on waits for. */
function unfinishedOf(plan: Plan, state: ReadonlyMap<string, PolicyTask>): RehearsalSummary['unfinished'] {
  const byKey = new Map(plan.tasks.map((t) => [t.key, t] as const));
  const waits = (key: string, seen = new Set<string>()): Gate[] => {
    if (seen.has(key)) return [];
    seen.add(key);
    const s = state.get(key);
    if (!s || s.status === 'done') return [];
    const own = s.gates.filter((g) => !g.satisfied).map((g) => g.gate);
    const inherited = (byKey.get(key)?.dependsOn ?? []).flatMap((d) => waits(d, seen));
    return [...new Set([...own, ...inherited])];
  };
  return plan.tasks.filter((t) => state.get(t.key)?.status !== 'done').map((t) => ({ task: t.key, waitsFor: waits(t.key) }));
}

function summarize(
  plan: Plan,
  days: readonly RehearsalDay[],
  calendarDays: number,
  unfinished: RehearsalSummary['unfinished'],
): RehearsalSummary {
  const byKind: Record<NotificationKind, number> = {
    reminder: 0,
    overdue: 0,
    escalation: 0,
    'gate-reminder': 0,
    'gate-escalation': 0,
    'rotation-reminder': 0,
    'change-reminder': 0,
  };
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
    unfinished,
  };
}
