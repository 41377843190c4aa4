/**
 * The scheduler tick on PostgreSQL: open tasks seeded in bulk (40 per active offboarding), a
 * fixed 1,000 of them due today (each one reminder), everything else due months away. One tick
 * is timed at each size (median of five, the jobs it enqueued removed between runs), beside a
 * bare count of the open tasks in the tick's window through the same index. Flat means the tick
 * does not grow with the open tasks it does not have to look at.
 */
import type { PgBoss } from 'pg-boss';
import type { App } from '../../src/app/context.ts';
import { migrateDatabase, openDatabase } from '../../src/storage/db.ts';
import { ensureQueues } from '../../src/app/jobs.ts';
import { openJobQueue } from '../../src/worker/queue.ts';
import { schedulerTick } from '../../src/worker/scheduler.ts';
import { freshPostgresDatabase } from '../db.ts';

export type TickFigure = {
  openTasks: number;
  offboardings: number;
  enqueued: number;
  tickMs: number;
  countMs: number;
  seedSeconds: number;
};

const TASKS_PER_OFFBOARDING = 40;
const DUE = 1_000;
const NOW = new Date('2026-03-04T15:00:00Z');
const FACTS = {
  client: { name: 'Bench client', timezone: 'America/New_York', services: {} },
  type: 'provider-switch',
  noticeDate: '2026-03-02',
  endDate: '2026-12-31',
};

const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)] as number;

export async function schedulerBench(sizes: readonly number[], adminUrl: string): Promise<TickFigure[]> {
  const figures: TickFigure[] = [];
  for (const openTasks of sizes) {
    const fresh = await freshPostgresDatabase(adminUrl, 'offboard_bench');
    const database = await openDatabase({ url: fresh.url });
    let boss: PgBoss | undefined;
    try {
      await migrateDatabase(database);
      const offboardings = openTasks / TASKS_PER_OFFBOARDING;
      const seeded = performance.now();
      await database.query(`insert into tenants (id, name) values ('t', 'Bench MSP')`);
      await database.query(
        `insert into users (id, tenant_id, email, name, role) values ('u', 't', 'tech@bench.example', 'Tech', 'technician')`,
      );
      await database.query(
        `insert into clients (id, tenant_id, name, timezone, services) values ('c', 't', 'Bench client', 'America/New_York', '{}')`,
      );
      await database.query(
        `insert into offboardings (id, tenant_id, client_id, type, status, notice_date, end_date, facts, playbook_snapshot, playbook_digest, announced_at)
         select 'o' || g, 't', 'c', 'provider-switch', 'active', '2026-03-02', '2026-12-31', $1::jsonb, '', '', now() from generate_series(1, $2::int) g`,
        [JSON.stringify(FACTS), offboardings],
      );
      // Task 1 of the first DUE offboardings is due today; every other open task is due in December.
      await database.query(
        `insert into tasks (id, tenant_id, offboarding_id, key, title, phase, role, assignee_id, status, due, due_at)
         select 'o' || o || '-' || k, 't', 'o' || o, 'task-' || k, 'Task ' || k, 1, 'technician', 'u', 'ready',
                case when k = 1 and o <= $2 then date '2026-03-04' else date '2026-12-30' end,
                case when k = 1 and o <= $2 then timestamptz '2026-03-04 22:00Z' else timestamptz '2026-12-30 22:00Z' end
         from generate_series(1, $1::int) o, generate_series(1, ${TASKS_PER_OFFBOARDING}) k`,
        [offboardings, DUE],
      );
      await database.query('analyze');
      const seedSeconds = (performance.now() - seeded) / 1000;

      const app: App = { database, clock: () => NOW };
      boss = await openJobQueue(database, { supervise: false });
      await ensureQueues(boss);
      const ticks: number[] = [];
      const counts: number[] = [];
      let enqueued = 0;
      for (let run = 0; run < 6; run++) {
        await database.query(`delete from pgboss.job where name = 'notify'`);
        await database.query(
          `insert into scheduler_state (name, last_tick_at) values ('notifications', '2026-03-03T15:00:00Z') on conflict (name) do update set last_tick_at = excluded.last_tick_at`,
        );
        const started = performance.now();
        enqueued = (await schedulerTick(app, boss, NOW)).enqueued;
        const tickMs = performance.now() - started;
        const countStarted = performance.now();
        await database.query(`select count(*) from tasks where status in ('pending', 'ready', 'in-progress') and due_at < $1`, [
          new Date(NOW.getTime() + 10 * 86_400_000).toISOString(),
        ]);
        const countMs = performance.now() - countStarted;
        // The first run warms caches and prepared plans; the median of the other five is reported.
        if (run > 0) {
          ticks.push(tickMs);
          counts.push(countMs);
        }
      }
      figures.push({ openTasks, offboardings, enqueued, tickMs: median(ticks), countMs: median(counts), seedSeconds });
    } finally {
      await boss?.stop({ graceful: false, close: true });
      await database.close();
      await fresh.drop();
    }
  }
  return figures;
}
