/**
 * A test harness for the workers: a fresh database, a job queue, a seeded MSP with an
 * offboarding, and a clock that walks day by day while the scheduler ticks and every queue is
 * drained by the same handlers the worker processes run.
 */
import type { JobWithMetadata, PgBoss } from 'pg-boss';
import { startOffboarding } from '../src/app/offboardings/start-offboarding.ts';
import type { App } from '../src/app/context.ts';
import type { Mailer } from '../src/integrations/email/mailer.ts';
import type { Database } from '../src/storage/db.ts';
import { type NotifyJob, QUEUES, ensureQueues } from '../src/app/jobs.ts';
import { type JobHandlers, jobHandlers } from '../src/worker/workers.ts';
import { tenantMailers } from '../src/app/settings/configure-email.ts';
import { openJobQueue } from '../src/worker/queue.ts';
import { schedulerTick } from '../src/worker/scheduler.ts';
import { type SeededMsp, type TestClock, seedMsp, testApp } from './app-fixture.ts';

export type WorkerHarness = {
  app: App;
  database: Database;
  clock: TestClock;
  boss: PgBoss;
  msp: SeededMsp;
  offboardingId: string;
  /** Every notification job handled so far. */
  handled: NotifyJob[];
  /** Runs every queued job through its handler until the queues are empty. */
  drain: () => Promise<void>;
  /** 10:00 in New York on `date`: the scheduler ticks and the queues are drained. */
  day: (date: string) => Promise<void>;
  close: () => Promise<void>;
};

export async function workerHarness(
  options: { mailer?: Mailer; chat?: boolean; portal?: boolean; offboarding?: Record<string, unknown> } = {},
): Promise<WorkerHarness> {
  const { app, database, clock } = await testApp();
  const boss = await openJobQueue(database, { supervise: false });
  await ensureQueues(boss);
  const msp = await seedMsp(app);
  clock.set('2026-03-02T13:00:00Z');
  const { id: offboardingId } = await startOffboarding(app, msp.as('account-manager', msp.users.accountManager), {
    clientId: msp.clientId,
    type: 'provider-switch',
    noticeDate: '2026-03-02',
    endDate: '2026-03-31',
    newProvider: { name: 'Northwind IT', contact: 'transition@northwind.example' },
    ...options.offboarding,
  });
  const handled: NotifyJob[] = [];
  app.mailers = tenantMailers(app, options.mailer);
  const handlers = jobHandlers(app, boss, app.mailers);
  // The server key seals chat webhook URLs and portal links: no team chat and no portal unless the test asks.
  if (!options.chat && !options.portal) app.secrets = undefined;
  if (options.portal) {
    app.jobs = boss;
    app.publicUrl = 'http://offboard.test';
  }

  const drain = async () => {
    for (;;) {
      let ran = 0;
      for (const [queue, handle] of Object.entries(handlers) as [keyof JobHandlers, (job: JobWithMetadata<never>) => Promise<unknown>][]) {
        const jobs = await boss.fetch(queue, { batchSize: 100, includeMetadata: true });
        for (const job of jobs) {
          if (queue === QUEUES.notify) handled.push(job.data as NotifyJob);
          await handle(job as JobWithMetadata<never>);
        }
        if (jobs.length > 0)
          await boss.complete(
            queue,
            jobs.map((j) => j.id),
          );
        ran += jobs.length;
      }
      if (ran === 0) return;
    }
  };

  const day = async (date: string) => {
    clock.set(new Date(`${date}T15:00:00Z`).toISOString());
    await schedulerTick(app, boss, clock());
    await drain();
  };

  const close = async () => {
    app.mailers?.close(); // pooled SMTP connections, which would keep a test SMTP server from closing
    await boss.stop({ graceful: false, close: true });
    await database.close();
  };

  return { app, database, clock, boss, msp, offboardingId, handled, drain, day, close };
}
