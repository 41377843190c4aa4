/**
 * The scheduler tick: evaluates the escalation policy against the database and enqueues each
 * notification that fell due since the last tick, with an id derived from its key. Only
 * offboardings with an open task due within the next ten days (or overdue) are looked at, read
 * through the partial index on open tasks' due instants: the cost follows what is due.
 */
import { and, eq, inArray, isNull, lt, sql } from 'drizzle-orm';
import type { PgBoss } from 'pg-boss';
import { type App, transaction } from '../app/context.ts';
import { loadOffboardings } from '../app/offboardings/offboarding-facts.ts';
import { policyInputFor } from '../app/offboardings/policy-input.ts';
import { credentialFollowUps } from '../app/credentials/credential-follow-ups.ts';
import { isoInstant } from '../app/present.ts';
import { notificationSettingsOf } from '../app/notifications/notification-settings.ts';
import { dueNotifications } from '../domain/escalation.ts';
import { notifications, offboardings, schedulerState, tasks, tenants } from '../storage/schema.ts';
import { compareInstants, localDateAt, zonedInstant } from '../domain/calendar.ts';
import {
  type AnnounceJob,
  type NotifyJob,
  QUEUES,
  type SendDigestJob,
  type SendEmailJob,
  type WitnessCosignJob,
  jobIdFor,
  jobsIn,
} from '../app/jobs.ts';
import { witnessesBehind } from '../app/log/witnesses.ts';
import { CLIENT_CHECKPOINT_KIND } from '../app/log/client-checkpoint.ts';
import { PORTAL_LINK_KIND, SIGNING_CERTIFICATE_KIND } from '../app/portal/portal-links.ts';
import { CONVERSATION_MESSAGE_KIND } from '../app/portal/conversation.ts';
import { CUTOVER_PROPOSAL_KIND } from '../app/offboardings/propose-early-cutover.ts';
import { PACKAGE_READY_KIND } from '../app/documentation/build-package.ts';

/** Kinds of email a use case writes itself (the partial index notifications_written_idx lists the same). */
const WRITTEN_EMAIL_KINDS = [
  CLIENT_CHECKPOINT_KIND,
  PORTAL_LINK_KIND,
  `${PORTAL_LINK_KIND}-copy`,
  SIGNING_CERTIFICATE_KIND,
  CONVERSATION_MESSAGE_KIND,
  CUTOVER_PROPOSAL_KIND,
  PACKAGE_READY_KIND,
];
import { signCheckpoint } from '../app/log/transparency-log.ts';

const LOOKAHEAD_MS = 10 * 86_400_000;
/** On the very first tick, look back this far, so a new deployment still sends today's reminders. */
const FIRST_TICK_LOOKBACK_MS = 86_400_000;
const STATE = 'notifications';
const LOAD_CHUNK = 500;
const INSERT_CHUNK = 500;

export async function schedulerTick(app: App, boss: PgBoss, now: Date): Promise<{ offboardings: number; enqueued: number }> {
  const db = app.database.db;
  const [state] = await db.select().from(schedulerState).where(eq(schedulerState.name, STATE));
  const since = state ? isoInstant(state.lastTickAt) : new Date(now.getTime() - FIRST_TICK_LOOKBACK_MS).toISOString();
  const until = now.toISOString();
  const candidates = await db
    .selectDistinct({ id: tasks.offboardingId })
    .from(tasks)
    .innerJoin(offboardings, eq(offboardings.id, tasks.offboardingId))
    .where(
      and(
        inArray(tasks.status, ['pending', 'ready', 'in-progress']),
        lt(tasks.dueAt, new Date(now.getTime() + LOOKAHEAD_MS).toISOString()),
        inArray(offboardings.status, ['active', 'closing']),
      ),
    );

  const jobs: NotifyJob[] = [];
  for (let i = 0; i < candidates.length; i += LOAD_CHUNK) {
    const chunk = await loadOffboardings(
      db,
      candidates.slice(i, i + LOAD_CHUNK).map((c) => c.id),
    );
    const followUps = await credentialFollowUps(db, chunk);
    for (const loaded of chunk) {
      const byKey = new Map(loaded.tasks.map((t) => [t.key, t.id] as const));
      for (const notification of dueNotifications(policyInputFor(loaded, followUps.get(loaded.offboarding.id)), { since, now: until })) {
        jobs.push({ tenantId: loaded.offboarding.tenantId, taskId: byKey.get(notification.taskKey) as string, notification });
      }
    }
  }
  // Offboardings opened since the last look: their start messages (read through a partial index on the unannounced).
  const unannounced = await db
    .select({ tenantId: offboardings.tenantId, offboardingId: offboardings.id })
    .from(offboardings)
    .where(and(isNull(offboardings.announcedAt), eq(offboardings.status, 'active')));
  const digests = await dueDigests(app, now);
  // Emails written by use cases (the client's checkpoint at close, portal links the queue did not take at once): handed to the email queue under the delivery's own job id.
  const written = await db
    .select({ tenantId: notifications.tenantId, deliveryId: notifications.id })
    .from(notifications)
    .where(and(eq(notifications.status, 'pending'), inArray(notifications.kind, WRITTEN_EMAIL_KINDS)));
  await signDailyCheckpoints(app, now);
  // Checkpoints the witnesses have not cosigned yet: one job per witness and checkpoint size.
  const behind = await witnessesBehind(app);

  let enqueued = 0;
  await transaction(app, async (tx) => {
    // One insert per queue and chunk; a job id already taken (another tick, an earlier run) is skipped.
    const insert = async <T extends object>(name: string, items: readonly T[], keyOf: (item: T) => string) => {
      for (let i = 0; i < items.length; i += INSERT_CHUNK) {
        const chunk = items.slice(i, i + INSERT_CHUNK).map((data) => ({ id: jobIdFor(keyOf(data)), data }));
        enqueued += (await boss.insert(name, chunk, { db: jobsIn(tx), returnId: true }))?.length ?? 0;
      }
    };
    await insert(QUEUES.notify, jobs, (job) => job.notification.key);
    await insert<AnnounceJob>(QUEUES.announce, unannounced, (job) => `announce:${job.offboardingId}`);
    await insert<SendDigestJob>(QUEUES.sendDigest, digests, (job) => `digest:${job.userId}:${job.date}`);
    await insert<SendEmailJob>(QUEUES.sendEmail, written, (job) => `email:${job.deliveryId}`);
    await insert<WitnessCosignJob>(QUEUES.witnessCosign, behind, (job) => `witness:${job.witnessId}:${job.size}`);
    await tx
      .insert(schedulerState)
      .values({ name: STATE, lastTickAt: until })
      .onConflictDoUpdate({
        target: schedulerState.name,
        set: { lastTickAt: sql`greatest(${schedulerState.lastTickAt}, ${until}::timestamptz)` },
      });
  });
  return { offboardings: candidates.length, enqueued };
}

/**
 * People with reminder emails held for their digest, whose digest time has come today in the
 * MSP's time zone: one digest job each, with an id per person and local date.
 */
async function dueDigests(app: App, now: Date): Promise<SendDigestJob[]> {
  const held = await app.database.db
    .selectDistinct({ tenantId: notifications.tenantId, userId: notifications.recipientUserId, settings: tenants.settings })
    .from(notifications)
    .innerJoin(tenants, eq(tenants.id, notifications.tenantId))
    .where(eq(notifications.status, 'held'));
  const jobs: SendDigestJob[] = [];
  for (const { tenantId, userId, settings } of held) {
    if (!userId) continue;
    const { timezone, digestAt } = notificationSettingsOf(settings);
    const date = localDateAt(now.toISOString(), timezone);
    if (compareInstants(zonedInstant(date, digestAt, timezone), now.toISOString()) <= 0) jobs.push({ tenantId, userId, date });
  }
  return jobs;
}

const DAY_MS = 86_400_000;

/** A checkpoint at least daily while anything changed: for each tenant whose log grew and whose last checkpoint is a day old. */
export async function signDailyCheckpoints(app: App, now: Date): Promise<number> {
  const stale = await app.database.db.select({ id: tenants.id }).from(tenants)
    .where(sql`${tenants.logSize} > coalesce((select max(c.size) from checkpoints c where c.tenant_id = ${tenants.id}), 0)
      and coalesce((select max(c.signed_at) from checkpoints c where c.tenant_id = ${tenants.id}), '-infinity'::timestamptz) <= ${new Date(now.getTime() - DAY_MS).toISOString()}::timestamptz`);
  for (const { id } of stale) await transaction(app, (tx) => signCheckpoint(tx, app, id, 'daily', now.toISOString()));
  return stale.length;
}
