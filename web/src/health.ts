/** How an offboarding is doing, from its progress: overdue tasks, or waiting gates and little time left. */
import type { Schemas } from './api/client.ts';
import type { Health } from './ui/badges.tsx';

export function healthOf(o: Schemas['OffboardingSummary'], today: string): Health {
  if (o.progress.overdue > 0) return 'overdue';
  const daysLeft = (Date.parse(o.endDate) - Date.parse(today)) / 86_400_000;
  const remaining = o.progress.total - o.progress.done;
  if (o.progress.waitingGates > 0 || (daysLeft <= 7 && remaining > 0)) return 'at-risk';
  return 'on-track';
}
