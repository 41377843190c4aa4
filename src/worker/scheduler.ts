/**
 * The scheduler tick: evaluates the escalation policy against the database and enqueues each
 * notification that fell due since the last tick, with an id derived from its key. Only
 * offboardings with an open task due within the next ten days (or overdue) are looked at, read
 * through the partial index on open tasks' due instants: the cost follows what is due.
 */
import { and, eq, inArray, lt, sql } from 'drizzle-orm';
import type { PgBoss } from 'pg-boss';
import { type App, transaction } from '../app/context.ts';
import { loadOffboarding } from '../app/offboarding-facts.ts';
import { policyInputFor } from '../app/policy-input.ts';
import { isoInstant } from '../app/present.ts';
import { dueNotifications } from '../domain/escalation.ts';
import { offboardings, schedulerState, tasks } from '../storage/schema.ts';
import { type NotifyJob, QUEUES, jobIdFor } from './jobs.ts';
import { jobsIn } from './queue.ts';

const LOOKAHEAD_MS = 10 * 86_400_000;
/** On the very first tick, look back this far, so a new deployment still sends today's reminders. */
const FIRST_TICK_LOOKBACK_MS = 86_400_000;
const STATE = 'notifications';

export async function schedulerTick(app: App, boss: PgBoss, now: Date): Promise<{ offboardings: number; enqueued: number }> {
  const db = app.database.db;
  const [state] = await db.select().from(schedulerState).where(eq(schedulerState.name, STATE));
  const since = state ? isoInstant(state.lastTickAt) : new Date(now.getTime() - FIRST_TICK_LOOKBACK_MS).toISOString();
  const until = now.toISOString();
  const candidates = await db
    .selectDistinct({ id: tasks.offboardingId, tenantId: tasks.tenantId })
    .from(tasks)
    .innerJoin(offboardings, eq(offboardings.id, tasks.offboardingId))
    .where(and(inArray(tasks.status, ['pending', 'ready', 'in-progress']), lt(tasks.dueAt, new Date(now.getTime() + LOOKAHEAD_MS).toISOString()), inArray(offboardings.status, ['active', 'closing'])));

  const jobs: NotifyJob[] = [];
  for (const c of candidates) {
    const loaded = await loadOffboarding(db, c.tenantId, c.id);
    const byKey = new Map(loaded.tasks.map((t) => [t.key, t.id] as const));
    for (const notification of dueNotifications(policyInputFor(loaded), { since, now: until })) {
      jobs.push({ tenantId: c.tenantId, taskId: byKey.get(notification.taskKey) as string, notification });
    }
  }
  let enqueued = 0;
  await transaction(app, async (tx) => {
    for (const job of jobs) {
      const id = await boss.send(QUEUES.notify, job, { db: jobsIn(tx), id: jobIdFor(job.notification.key) });
      if (id) enqueued++;
    }
    await tx
      .insert(schedulerState)
      .values({ name: STATE, lastTickAt: until })
      .onConflictDoUpdate({ target: schedulerState.name, set: { lastTickAt: sql`greatest(${schedulerState.lastTickAt}, ${until}::timestamptz)` } });
  });
  return { offboardings: candidates.length, enqueued };
}
