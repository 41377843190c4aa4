/** Status, health and lateness marks: words first, colour second. */
import { offboardingStatusLabel, taskStatusLabel } from '../labels.ts';

export type Health = 'on-track' | 'at-risk' | 'overdue';
const HEALTH_LABEL: Record<Health, string> = { 'on-track': 'On track', 'at-risk': 'At risk', overdue: 'Overdue' };

export function HealthBadge({ health }: { health: Health }) {
  return <span className={`badge health-${health}`}>{HEALTH_LABEL[health]}</span>;
}

export function TaskStatusBadge({ status }: { status: string }) {
  return <span className={`badge status-${status}`}>{taskStatusLabel(status)}</span>;
}

export function OffboardingStatusBadge({ status }: { status: string }) {
  return <span className={`badge status-${status}`}>{offboardingStatusLabel(status)}</span>;
}

/** Today's date where the client is: due dates are the client's local dates. */
export const todayIn = (zone: string | undefined): string =>
  new Intl.DateTimeFormat('en-CA', { timeZone: zone ?? 'UTC', year: 'numeric', month: '2-digit', day: '2-digit' }).format(new Date());

const daysBetween = (from: string, to: string) => Math.round((Date.parse(to) - Date.parse(from)) / 86_400_000);

export type Lateness = { kind: 'overdue'; days: number } | { kind: 'due-today' } | undefined;

/** How late an open task is, in the client's time zone. */
export function latenessOf(task: { due: string; status: string }, zone: string | undefined): Lateness {
  if (task.status === 'done' || task.status === 'waived') return undefined;
  const today = todayIn(zone);
  if (task.due < today) return { kind: 'overdue', days: daysBetween(task.due, today) };
  if (task.due === today) return { kind: 'due-today' };
  return undefined;
}

export function LatenessBadge({ task, zone }: { task: { due: string; status: string }; zone: string | undefined }) {
  const late = latenessOf(task, zone);
  if (!late) return null;
  return late.kind === 'overdue' ? (
    <span className="badge late overdue">Overdue by {late.days === 1 ? '1 day' : `${late.days} days`}</span>
  ) : (
    <span className="badge late due-today">Due today</span>
  );
}
