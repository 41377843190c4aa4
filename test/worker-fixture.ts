/**
 * A test harness for the workers: a fresh database, a job queue, a seeded MSP with an
 * offboarding, and a clock that walks day by day while the scheduler ticks and every queue is
 * drained by the same handlers the worker processes run.
 */
import type { PgBoss } from 'pg-boss';
import { startOffboarding } from '../src/app/start-offboarding.ts';
import type { App } from '../src/app/context.ts';
import type { Mailer } from '../src/integrations/email/mailer.ts';
import type { Database } from '../src/storage/db.ts';
import { type NotifyJob, QUEUES, type SendChatJob, type SendEmailJob, ensureQueues } from '../src/worker/jobs.ts';
import { deliverNotification, sendChatDelivery, sendEmailDelivery } from '../src/worker/notify.ts';
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

export async function workerHarness(options: { mailer?: Mailer; chat?: boolean; offboarding?: Record<string, unknown> } = {}): Promise<WorkerHarness> {
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
  const channels = { email: options.mailer !== undefined, chat: options.chat ?? false, boss };

  const drain = async () => {
    for (;;) {
      const notify = await boss.fetch<NotifyJob>(QUEUES.notify, { batchSize: 100 });
      for (const job of notify) {
        handled.push(job.data);
        await deliverNotification(app, job.data, channels);
      }
      if (notify.length > 0) await boss.complete(QUEUES.notify, notify.map((j) => j.id));
      const emails = (await boss.fetch<SendEmailJob>(QUEUES.sendEmail, { batchSize: 100, includeMetadata: true }));
      for (const job of emails) if (options.mailer) await sendEmailDelivery(app, options.mailer, job.data, { retryCount: job.retryCount, retryLimit: job.retryLimit });
      if (emails.length > 0) await boss.complete(QUEUES.sendEmail, emails.map((j) => j.id));
      const chats = (await boss.fetch<SendChatJob>(QUEUES.sendChat, { batchSize: 100, includeMetadata: true }));
      for (const job of chats) await sendChatDelivery(app, job.data, { retryCount: job.retryCount, retryLimit: job.retryLimit });
      if (chats.length > 0) await boss.complete(QUEUES.sendChat, chats.map((j) => j.id));
      if (notify.length + emails.length + chats.length === 0) return;
    }
  };

  const day = async (date: string) => {
    clock.set(new Date(`${date}T15:00:00Z`).toISOString());
    await schedulerTick(app, boss, clock());
    await drain();
  };

  const close = async () => {
    await boss.stop({ graceful: false, close: true });
    await database.close();
  };

  return { app, database, clock, boss, msp, offboardingId, handled, drain, day, close };
}
