/** Text output for people at a terminal: the plan by phase, a small Gantt, the rehearsal log. */
import type { BusinessCalendar, LocalDate } from '../domain/calendar.ts';
import { describeRecipient, type Notification, type NotificationKind } from '../domain/escalation.ts';
import type { OffboardingFacts } from '../domain/offboarding-case.ts';
import type { Plan, PlannedTask } from '../domain/planner.ts';
import type { Playbook } from '../domain/playbook.ts';
import type { Rehearsal, Signatures } from '../domain/rehearsal.ts';
import type { StatementKind } from '../domain/statements.ts';

const WEEKDAY = ['', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat', 'Sun'];

const day = (cal: BusinessCalendar, date: LocalDate): string => `${WEEKDAY[cal.weekday(date)]} ${date}`;

export function caseHeadline(facts: OffboardingFacts): string {
  const provider = facts.newProvider ? ` to ${facts.newProvider.name}` : '';
  return `${facts.client.name}: ${facts.type}${provider}, notice ${facts.noticeDate}, end ${facts.endDate} (${facts.client.timezone})`;
}

export function formatPlan(playbook: Playbook, facts: OffboardingFacts, plan: Plan, cal: BusinessCalendar): string {
  const lines: string[] = [];
  lines.push(caseHeadline(facts));
  lines.push(
    `Day 1 is ${day(cal, plan.firstDay)}; the last business day of the contract is ${day(cal, plan.lastDay)}; access is revoked ${plan.revocationDate}. Tasks fall due at ${plan.dueTime} local time.`,
  );
  const keyWidth = Math.max(...plan.tasks.map((t) => t.key.length));
  const roleWidth = Math.max(...plan.tasks.map((t) => t.role.length));
  for (const phase of playbook.phases) {
    const tasks = plan.tasks.filter((t) => t.phase === phase.number);
    if (tasks.length === 0) continue;
    lines.push('', `Phase ${phase.number}  ${phase.title}`);
    for (const t of tasks) {
      const notes = [
        t.gates.length > 0 ? `gate: ${t.gates.join(', ')}` : '',
        t.dependsOn.length > 0 ? `after: ${t.dependsOn.join(', ')}` : '',
      ].filter(Boolean);
      lines.push(`  ${day(cal, t.due)}  ${t.key.padEnd(keyWidth)}  ${t.role.padEnd(roleWidth)}  ${t.title}`);
      if (notes.length > 0) lines.push(`  ${' '.repeat(14)}  ${' '.repeat(keyWidth)}  ${notes.join('; ')}`);
    }
  }
  if (plan.warnings.length > 0) {
    lines.push('', 'Warnings');
    for (const w of plan.warnings) lines.push(`  ! ${w.code}: ${w.message}`);
  }
  lines.push('', 'Timeline', ...formatGantt(playbook, plan, cal));
  return lines.join('\n');
}

/**
 * One row per task on a day-by-day grid from day 1 to the contract's end: `░` while the task can
 * be worked (its dependencies are due), `█` on its due date, `·` on days off. Tasks due after
 * the end are listed past the grid.
 */
export function formatGantt(playbook: Playbook, plan: Plan, cal: BusinessCalendar, maxColumns = 70): string[] {
  const last = plan.tasks.reduce((a, t) => (t.due > a && t.due <= plan.endDate ? t.due : a), plan.lastDay);
  const span = cal.daysBetween(plan.firstDay, last) + 1;
  const step = Math.max(1, Math.ceil(span / maxColumns));
  const columns: LocalDate[] = [];
  for (let i = 0; i < span; i += step) columns.push(cal.addDays(plan.firstDay, i));
  const keyWidth = Math.max(...plan.tasks.map((t) => t.key.length));
  const columnOf = (date: LocalDate): number => Math.floor(cal.daysBetween(plan.firstDay, date) / step);
  const dueOf = new Map(plan.tasks.map((t) => [t.key, t.due] as const));
  const phaseStart = new Map(
    playbook.phases.map((p) => [p.number, p.days ? cal.addBusinessDays(plan.firstDay, p.days[0] - 1) : plan.firstDay] as const),
  );
  // A task can be worked from its phase's first day, or once its dependencies are due if later.
  const startOf = (t: PlannedTask): LocalDate => {
    const from = t.dependsOn.reduce(
      (a, d) => ((dueOf.get(d) ?? a) > a ? (dueOf.get(d) as LocalDate) : a),
      phaseStart.get(t.phase) ?? plan.firstDay,
    );
    return from < t.due ? from : t.due;
  };

  const header = columns.map((c) => (cal.weekday(c) === 1 || step > 1 ? '|' : ' ')).join('');
  const labels: string[] = [];
  let labelLine = ' '.repeat(columns.length + 12);
  columns.forEach((c, i) => {
    if ((step === 1 && cal.weekday(c) === 1) || (step > 1 && i % 7 === 0)) {
      const text = c.slice(5);
      if (labelLine.slice(i, i + text.length + 1).trim() === '')
        labelLine = labelLine.slice(0, i) + text + labelLine.slice(i + text.length);
    }
  });
  labels.push(`${' '.repeat(keyWidth + 2)}${labelLine.trimEnd()}`);
  labels.push(`${' '.repeat(keyWidth + 2)}${header}`);

  const rows = plan.tasks.map((t) => {
    const cells: string[] = columns.map((c) => (step === 1 && !cal.isBusinessDay(c) ? '·' : ' '));
    if (t.due <= last) {
      const from = columnOf(startOf(t));
      const to = columnOf(t.due);
      for (let i = from; i < to; i++) if (cells[i] !== '·') cells[i] = '░';
      cells[to] = '█';
      return `${t.key.padEnd(keyWidth)}  ${cells.join('')}`;
    }
    return `${t.key.padEnd(keyWidth)}  ${cells.join('')} → ${t.due}`;
  });
  const legend = `${' '.repeat(keyWidth + 2)}█ due  ░ can be worked  · day off${step > 1 ? `  (one column = ${step} days)` : ''}; end of contract ${plan.endDate}`;
  return [...labels, ...rows, legend];
}

const KIND_MARK: Record<NotificationKind, string> = {
  reminder: '→',
  overdue: '→',
  escalation: '!',
  'gate-reminder': '?',
  'gate-escalation': '!',
  'rotation-reminder': '→',
  'change-reminder': '?',
};

function describeNotification(n: Notification): string {
  const to =
    n.recipient.role === 'assignee'
      ? `${n.assigneeRole}`
      : n.recipient.role === 'manager' && n.recipient.of === 'assignee'
        ? `${n.assigneeRole}'s manager`
        : describeRecipient(n.recipient);
  const cc = n.cc.length > 0 ? ` (cc ${n.cc.map((r) => (r.role === 'assignee' ? n.assigneeRole : describeRecipient(r))).join(', ')})` : '';
  return `${KIND_MARK[n.kind]} ${n.kind} to ${to}${cc}: ${n.taskKey} ${n.reason}`;
}

const STATEMENT_SIGNED_WORDS: Partial<Record<StatementKind, string>> = {
  authorization: 'the client signs the authorization',
  'backup-verified': 'the new provider attests a verified backup',
  'backup-release': 'the client signs the backup release',
  'replacement-coverage': 'replacement security coverage is attested',
};

export function formatRehearsal(
  facts: OffboardingFacts,
  rehearsal: Rehearsal,
  late: Readonly<Record<string, number>>,
  cal: BusinessCalendar,
  signed: Signatures = {},
): string {
  const lines: string[] = [];
  const lateText = Object.entries(late).map(([k, d]) => `${k} +${d}`);
  lines.push(`Rehearsal of ${caseHeadline(facts)}`);
  lines.push(
    `Every task is done on its due date${lateText.length > 0 ? `, except: ${lateText.join(', ')} (business days late)` : ''}, once what it waits for is signed.`,
  );
  const gates = [...new Set(rehearsal.plan.tasks.flatMap((t) => t.gates))];
  if (signed === 'when-needed') lines.push('Every statement is signed the day a task needs it.');
  else
    for (const g of gates)
      lines.push(
        signed[g] !== undefined
          ? `The ${g} statement is signed on ${day(cal, signed[g])}.`
          : `The ${g} statement is never signed (give --signed ${g === 'backup-handoff' ? 'backup' : g === 'replacement-coverage' ? 'coverage' : g}=DAY).`,
      );
  for (const d of rehearsal.days) {
    lines.push('', `${day(cal, d.date)}${d.businessDay !== null ? `  day ${d.businessDay}` : ''}`);
    for (const e of d.events) {
      switch (e.type) {
        case 'notification':
          lines.push(`  ${describeNotification(e.notification)}`);
          break;
        case 'signed':
          lines.push(`  ✎ ${STATEMENT_SIGNED_WORDS[e.statement] ?? e.statement} (the ${e.gate} gate opens)`);
          break;
        case 'completed':
          lines.push(
            `  ✓ ${e.task} done by ${e.role}${e.lateBusinessDays > 0 ? `, ${e.lateBusinessDays} business day${e.lateBusinessDays === 1 ? '' : 's'} late` : ''}`,
          );
          break;
      }
    }
  }
  const s = rehearsal.summary;
  const kinds = (Object.entries(s.byKind) as [NotificationKind, number][]).filter(([, n]) => n > 0).map(([k, n]) => `${n} ${k}`);
  lines.push('', 'Summary');
  lines.push(
    `  ${s.tasks} tasks: ${s.onTime} on time, ${s.late.length} late${s.late.length > 0 ? ` (${s.late.map((l) => `${l.task} +${l.businessDays}`).join(', ')})` : ''}`,
  );
  lines.push(`  ${s.notifications} notifications: ${kinds.join(', ') || 'none'}`);
  lines.push(
    `  to: ${
      Object.entries(s.byRecipient)
        .map(([r, n]) => `${r} ${n}`)
        .join(', ') || 'nobody'
    }`,
  );
  if (s.escalations.length > 0) {
    lines.push('  escalations:');
    for (const e of s.escalations) lines.push(`    ${e.date}  ${e.task} -> ${e.to}: ${e.reason}`);
  } else {
    lines.push('  no escalations');
  }
  if (s.unfinished.length > 0)
    lines.push(
      `  never done, for want of a statement: ${s.unfinished.map((u) => `${u.task} (${u.waitsFor.join(', ') || 'nothing signed'})`).join(', ')}`,
    );
  lines.push(`  from ${s.firstDay} to ${s.lastDay} (${s.calendarDays} days)`);
  return lines.join('\n');
}
