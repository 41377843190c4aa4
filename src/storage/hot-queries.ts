/**
 * Prepared statements for the queries nearly every request runs (who is calling, an
 * offboarding with its tasks): built once per database, planned once per connection.
 */
import { and, asc, eq, gt, isNull, sql } from 'drizzle-orm';
import type { Db } from './db.ts';
import { apiTokens, offboardings, sessions, tasks, users } from './schema.ts';

/** The offboarding's own fields, without the playbook snapshot and facts (large, and not shown in lists). */
export const offboardingSummary = {
  id: offboardings.id,
  clientId: offboardings.clientId,
  type: offboardings.type,
  status: offboardings.status,
  noticeDate: offboardings.noticeDate,
  endDate: offboardings.endDate,
  revocationDate: offboardings.revocationDate,
  retentionDays: offboardings.retentionDays,
  newProvider: offboardings.newProvider,
  playbookDigest: offboardings.playbookDigest,
  warnings: offboardings.warnings,
  cancelReason: offboardings.cancelReason,
  departureReason: offboardings.departureReason,
  version: offboardings.version,
  createdAt: offboardings.createdAt,
};

function build(db: Db) {
  return {
    tokenByHash: db
      .select()
      .from(apiTokens)
      .where(and(eq(apiTokens.tokenHash, sql.placeholder('hash')), isNull(apiTokens.revokedAt)))
      .prepare('offboard_token_by_hash'),
    sessionUser: db
      .select({ userId: users.id, tenantId: users.tenantId, role: users.role, name: users.name, email: users.email, disabledAt: users.disabledAt, expiresAt: sessions.expiresAt })
      .from(sessions)
      .innerJoin(users, eq(users.id, sessions.userId))
      .where(and(eq(sessions.tokenHash, sql.placeholder('hash')), gt(sessions.expiresAt, sql.placeholder('now'))))
      .prepare('offboard_session_user'),
    /** An offboarding and its tasks in one round trip: one row per task (or one with no task). */
    offboardingWithTasks: db
      .select({ offboarding: offboardingSummary, task: tasks })
      .from(offboardings)
      .leftJoin(tasks, eq(tasks.offboardingId, offboardings.id))
      .where(and(eq(offboardings.tenantId, sql.placeholder('tenantId')), eq(offboardings.id, sql.placeholder('id'))))
      .orderBy(asc(tasks.phase), asc(tasks.due), asc(tasks.key))
      .prepare('offboard_offboarding_with_tasks'),
  };
}

const cache = new WeakMap<Db, ReturnType<typeof build>>();

export function hotQueries(db: Db): ReturnType<typeof build> {
  let queries = cache.get(db);
  if (!queries) {
    queries = build(db);
    cache.set(db, queries);
  }
  return queries;
}
