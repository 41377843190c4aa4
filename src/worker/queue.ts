/**
 * The job queue: pg-boss on the same database as everything else, PGlite or PostgreSQL, one
 * code path. Jobs are sent inside the transaction that changes state (`jobsIn(tx)` in src/app/jobs.ts), so a
 * change and the work it causes commit together or not at all.
 */
import { PgBoss, fromPglite } from 'pg-boss';
import type { Database } from '../storage/db.ts';

export const QUEUE_SCHEMA = 'pgboss';

export type QueueOptions = {
  /** Run maintenance and the cron scheduler in this process (workers and the server do; one-off tools do not). */
  supervise?: boolean;
  onError?: (error: Error) => void;
};

export async function openJobQueue(database: Database, options: QueueOptions = {}): Promise<PgBoss> {
  // How often stalled jobs (a worker killed mid-job, its heartbeat gone) are taken back: pg-boss's default is a minute.
  const superviseSeconds = Number(process.env.OFFBOARD_QUEUE_SUPERVISE_SECONDS) || undefined;
  const common = {
    schema: QUEUE_SCHEMA,
    supervise: options.supervise ?? true,
    schedule: options.supervise ?? true,
    ...(superviseSeconds ? { superviseIntervalSeconds: superviseSeconds, monitorIntervalSeconds: superviseSeconds } : {}),
  };
  let boss: PgBoss;
  if (database.kind === 'pglite') {
    if (!database.pglite) throw new Error('the embedded database is not open');
    boss = new PgBoss({ ...common, db: fromPglite(database.pglite), backend: 'pglite' });
  } else {
    boss = new PgBoss({ ...common, connectionString: database.url, max: 4 });
  }
  // pg-boss reports background errors as events; an unhandled 'error' event would end the process.
  boss.on('error', (error: Error) => options.onError?.(error));
  await boss.start();
  return boss;
}
