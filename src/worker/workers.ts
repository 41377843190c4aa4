/**
 * The workers: deliver notifications, and tick the scheduler every minute. They run inside
 * `npm start` by default, or on their own with `offboard worker` (any number of them: pg-boss
 * hands each job to one worker, and the scheduler's cron fires once per minute across all).
 */
import type { JobWithMetadata, PgBoss } from 'pg-boss';
import type { Logger } from 'pino';
import type { App } from '../app/context.ts';
import type { Mailer } from '../integrations/email/mailer.ts';
import { type NotifyJob, QUEUES, type SendChatJob, type SendEmailJob, ensureQueues } from './jobs.ts';
import { deliverNotification, sendChatDelivery, sendEmailDelivery } from './notify.ts';
import { openJobQueue } from './queue.ts';
import { schedulerTick } from './scheduler.ts';

export type RunningWorkers = { boss: PgBoss; stop: () => Promise<void> };

export async function startWorkers(app: App, logger?: Logger, mailer?: Mailer): Promise<RunningWorkers> {
  const boss = await openJobQueue(app.database, { onError: (error) => logger?.error({ err: { name: error.name, message: error.message } }, 'job queue error') });
  await ensureQueues(boss);
  await boss.work<NotifyJob>(QUEUES.notify, { batchSize: 20, pollingIntervalSeconds: 2 }, async (jobs) => {
    for (const job of jobs) {
      const result = await deliverNotification(app, job.data, { email: mailer !== undefined, chat: app.secrets !== undefined, boss });
      logger?.debug({ key: job.data.notification.key, ...result }, 'notification');
    }
  });
  if (mailer) {
    await boss.work<SendEmailJob>(QUEUES.sendEmail, { batchSize: 5, pollingIntervalSeconds: 2, includeMetadata: true }, async (jobs) => {
      for (const job of jobs as JobWithMetadata<SendEmailJob>[]) {
        const result = await sendEmailDelivery(app, mailer, job.data, { retryCount: job.retryCount, retryLimit: job.retryLimit });
        logger?.debug({ delivery: job.data.deliveryId, result }, 'email');
      }
    });
  }
  await boss.work<SendChatJob>(QUEUES.sendChat, { batchSize: 5, pollingIntervalSeconds: 2, includeMetadata: true }, async (jobs) => {
    for (const job of jobs as JobWithMetadata<SendChatJob>[]) {
      const result = await sendChatDelivery(app, job.data, { retryCount: job.retryCount, retryLimit: job.retryLimit });
      logger?.debug({ delivery: job.data.deliveryId, result }, 'chat');
    }
  });
  await boss.work(QUEUES.schedulerTick, { pollingIntervalSeconds: 5 }, async () => {
    const result = await schedulerTick(app, boss, app.clock());
    logger?.debug(result, 'scheduler tick');
  });
  await boss.schedule(QUEUES.schedulerTick, '* * * * *');
  return {
    boss,
    stop: async () => {
      await boss.stop({ graceful: true, timeout: 10_000 });
      mailer?.close();
    },
  };
}
