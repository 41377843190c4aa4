/**
 * The planner: (playbook, offboarding facts, calendar) -> plan, exactly per DESIGN.md section 3.
 * Pure and deterministic: no clock, no randomness; the same input gives the same plan.
 */
import { type BusinessCalendar, calendarFor, type LocalDate, zonedInstant } from './calendar.ts';
import { holds } from './conditions.ts';
import type { OffboardingFacts } from './offboarding-case.ts';
import type { Playbook, PlaybookTask } from './playbook.ts';
import type { AuthorizationScope, Gate, TaskRole, TaskStatus } from './vocabulary.ts';
import { isClosedStatus } from './vocabulary.ts';

export type PlannedTask = {
  key: string;
  title: string;
  phase: number;
  role: TaskRole;
  /** Local date in the client's time zone. */
  due: LocalDate;
  /** The due instant: `dueTime` local on `due`, in UTC. */
  dueAt: string;
  /** Dependencies that are in this plan. */
  dependsOn: string[];
  gates: Gate[];
  /** What the authorization must cover for this task, when its authorization gate names a scope. */
  authorizationScope: AuthorizationScope | null;
  /** The date the `when` rule gives before `latest` and dependencies are applied. */
  target: LocalDate;
  /** The latest date allowed, or null for none. */
  latest: LocalDate | null;
  when: string;
  guidance: string;
  evidence: string[];
  checklist: string[];
  /** Kept as it was by a replan (the task is done or waived). */
  kept: boolean;
};

export type PlanWarningCode = 'infeasible' | 'anchor-moved' | 'compressed' | 'revocation-after-end';

export type PlanWarning = { code: PlanWarningCode; message: string; tasks: string[] };

export type Plan = {
  timeZone: string;
  dueTime: string;
  /** Day 1 of the offboarding: the notice date, or the next business day. */
  firstDay: LocalDate;
  /** The last business day on or before the end date: what `latest: end` means. */
  lastDay: LocalDate;
  endDate: LocalDate;
  revocationDate: LocalDate;
  retentionDays: number;
  tasks: PlannedTask[];
  warnings: PlanWarning[];
};

export type PlanOptions = {
  calendar?: BusinessCalendar;
  /** Tasks whose due date stays as given (done and waived ones, on a replan). */
  keep?: ReadonlyMap<string, LocalDate>;
};

export function calendarOf(facts: OffboardingFacts): BusinessCalendar {
  return calendarFor(facts.calendar ?? {});
}

export function plan(playbook: Playbook, facts: OffboardingFacts, options: PlanOptions = {}): Plan {
  const cal = options.calendar ?? calendarOf(facts);
  const keep = options.keep;
  const timeZone = facts.client.timezone;
  const firstDay = cal.onOrAfter(facts.noticeDate);
  const lastDay = cal.onOrBefore(facts.endDate);
  const revocationDate = facts.revocationDate ?? facts.endDate;
  const retentionDays = facts.retentionDays ?? playbook.retentionDays;

  const included = new Set<string>();
  for (const t of playbook.tasks) if (holds(t.only, facts)) included.add(t.key);

  const targetOf = (t: PlaybookTask): LocalDate => {
    const when = t.when;
    switch (when.kind) {
      case 'day':
        return cal.addBusinessDays(firstDay, when.day - 1);
      case 'on':
        return cal.onOrBefore(when.anchor === 'end' ? facts.endDate : revocationDate);
      case 'after-end':
        return cal.onOrAfter(cal.addDays(facts.endDate, when.days));
      case 'retention':
        return cal.onOrAfter(cal.addDays(facts.endDate, retentionDays));
    }
  };

  const due = new Map<string, LocalDate>();
  const pushedBy = new Map<string, string>();
  const byKey = new Map<string, PlannedTask>();
  const infeasible: string[] = [];
  const compressed: string[] = [];
  const anchorMoved: string[] = [];
  const revocationAfterEnd: string[] = [];
  // An agreed cut-over after the contract end stands: `latest` does not bring it back.
  const agreedAfterEnd = (t: PlaybookTask) => t.when.kind === 'on' && t.when.anchor === 'revocation' && revocationDate > facts.endDate;

  for (const i of playbook.order) {
    const t = playbook.tasks[i] as PlaybookTask;
    if (!included.has(t.key)) continue;
    const target = targetOf(t);
    const latest = t.latest.kind === 'none' ? null : cal.addBusinessDays(lastDay, -t.latest.minus);
    const dependsOn = t.dependsOn.filter((d) => included.has(d));
    const kept = keep?.get(t.key);
    let date: LocalDate;
    if (kept !== undefined) {
      date = kept;
    } else {
      const afterEnd = agreedAfterEnd(t);
      date = !afterEnd && latest !== null && latest < target ? latest : target;
      if (date !== target && t.when.kind === 'day') compressed.push(t.key);
      for (const dep of dependsOn) {
        // A kept (done or waived) dependency no longer holds anything back.
        if (keep?.has(dep)) continue;
        const depDue = due.get(dep) as LocalDate;
        if (depDue > date) {
          date = depDue;
          pushedBy.set(t.key, dep);
        }
      }
      if (afterEnd) revocationAfterEnd.push(t.key);
      else if (latest !== null && date > latest) infeasible.push(t.key);
      if (t.when.kind === 'on' && date !== target) anchorMoved.push(t.key);
    }
    due.set(t.key, date);
    const applying = t.gates.filter((g) => holds(g.only, facts));
    byKey.set(t.key, {
      key: t.key,
      title: t.title,
      phase: t.phase,
      role: t.role,
      due: date,
      dueAt: zonedInstant(date, playbook.dueTime, timeZone),
      dependsOn,
      gates: [...new Set(applying.map((g) => g.gate))],
      authorizationScope: applying.find((g) => g.gate === 'authorization' && g.scope)?.scope ?? null,
      target,
      latest,
      when: t.whenText,
      guidance: t.guidance,
      evidence: t.evidence,
      checklist: t.checklist,
      kept: kept !== undefined,
    });
  }

  const chainOf = (key: string): string[] => {
    const chain = [key];
    for (let k = pushedBy.get(key); k !== undefined; k = pushedBy.get(k)) chain.unshift(k);
    return chain;
  };

  const tasks = playbook.tasks.flatMap((t) => byKey.get(t.key) ?? []);
  const warnings: PlanWarning[] = [];
  for (const t of tasks) {
    if (infeasible.includes(t.key)) {
      const chain = chainOf(t.key);
      warnings.push({
        code: 'infeasible',
        message: `${t.key} is due ${t.due}, after its latest date ${t.latest}, pushed by the dependency chain ${chain.join(' -> ')}`,
        tasks: chain,
      });
    }
    if (anchorMoved.includes(t.key)) {
      const chain = chainOf(t.key);
      const why =
        chain.length > 1 ? `its dependency chain ${chain.join(' -> ')} ends later` : `that falls after its latest date ${t.latest}`;
      warnings.push({
        code: 'anchor-moved',
        message: `${t.key} is due ${t.due}, not ${t.when} (${t.target}), because ${why}`,
        tasks: chain,
      });
    }
  }
  if (revocationAfterEnd.length > 0) {
    warnings.push({
      code: 'revocation-after-end',
      message: `the agreed revocation date ${revocationDate} is after the contract end ${facts.endDate}: ${revocationAfterEnd.join(', ')} ${revocationAfterEnd.length === 1 ? 'is' : 'are'} due on it`,
      tasks: revocationAfterEnd,
    });
  }
  if (compressed.length > 0) {
    warnings.push({
      code: 'compressed',
      message: `short notice: ${compressed.length} task${compressed.length === 1 ? ' was' : 's were'} brought forward to meet the end date (${lastDay}): ${compressed.join(', ')}`,
      tasks: compressed,
    });
  }

  return {
    timeZone,
    dueTime: playbook.dueTime,
    firstDay,
    lastDay,
    endDate: facts.endDate,
    revocationDate,
    retentionDays,
    tasks,
    warnings,
  };
}

export type TaskProgress = { key: string; status: TaskStatus; due: LocalDate };
export type MovedTask = { key: string; from: LocalDate; to: LocalDate };
export type Replan = { plan: Plan; moved: MovedTask[]; added: string[]; removed: string[] };

/**
 * Plans again after the end date, the revocation date or the calendar changed. Done and
 * waived tasks keep their due dates; open ones move, and the result lists every move.
 */
export function replan(
  playbook: Playbook,
  facts: OffboardingFacts,
  current: readonly TaskProgress[],
  options: Omit<PlanOptions, 'keep'> = {},
): Replan {
  const keep = new Map<string, LocalDate>();
  for (const t of current) if (isClosedStatus(t.status)) keep.set(t.key, t.due);
  const next = plan(playbook, facts, { ...options, keep });
  const before = new Map(current.map((t) => [t.key, t.due] as const));
  const moved: MovedTask[] = [];
  const added: string[] = [];
  for (const t of next.tasks) {
    const from = before.get(t.key);
    if (from === undefined) added.push(t.key);
    else if (from !== t.due) moved.push({ key: t.key, from, to: t.due });
  }
  const inNext = new Set(next.tasks.map((t) => t.key));
  const removed = current.filter((t) => !inNext.has(t.key)).map((t) => t.key);
  return { plan: next, moved, added, removed };
}

/** The plan as the CLI and API print it with `--json`. */
export function planToJson(p: Plan): { tasks: object[]; warnings: PlanWarning[] } {
  return {
    tasks: p.tasks.map((t) => ({
      key: t.key,
      title: t.title,
      phase: t.phase,
      role: t.role,
      due: t.due,
      dueAt: t.dueAt,
      dependsOn: t.dependsOn,
      gates: t.gates,
    })),
    warnings: p.warnings,
  };
}
