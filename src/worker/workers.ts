/**
 * The workers: deliver notifications and announcements, send email, chat and digests, and tick
 * the scheduler every minute. They run inside `npm start` by default, or on their own with
 * `offboard worker` (any number of them: pg-boss hands each job to one worker, and the
 * scheduler's cron fires once per minute across all).
 */
import type { JobWithMetadata, PgBoss } from 'pg-boss';
import type { Logger } from 'pino';
import type { App } from '../app/context.ts';
import type { MailerSource } from '../integrations/email/mailer.ts';
import {
  type AnnounceJob,
  type NotifyJob,
  QUEUES,
  type SendChatJob,
  type SendDigestJob,
  type SendEmailJob,
  type WitnessCosignJob,
  ensureQueues,
} from '../app/jobs.ts';
import { cosignLatest, witnessById } from '../app/log/witnesses.ts';
import { runDocumentationImport } from '../app/documentation/run-import.ts';
import type { DocumentationImportJob } from '../app/documentation/start-import.ts';
import { deliverAnnouncement } from '../app/notifications/deliver-announcement.ts';
import { deliverNotification } from '../app/notifications/deliver-notification.ts';
import { sendChatDelivery } from '../app/notifications/send-chat-delivery.ts';
import { sendDigest } from '../app/notifications/send-digest.ts';
import { sendEmailDelivery } from '../app/notifications/send-email-delivery.ts';
import { openJobQueue } from './queue.ts';
import { schedulerTick } from './scheduler.ts';

export type RunningWorkers = { boss: PgBoss; stop: () => Promise<void> };

type Handler = (job: JobWithMetadata<never>) => Promise<unknown>;
/** The queues a worker serves (all but the scheduler's), each with its handler. */
export type JobHandlers = Record<Exclude<(typeof QUEUES)[keyof typeof QUEUES], typeof QUEUES.schedulerTick>, Handler>;

/** One table of what each job does, used by the workers and by the tests' queue draining alike. */
export function jobHandlers(app: App, boss: PgBoss, mail: MailerSource): JobHandlers {
  const channels = { mail, chat: app.secrets !== undefined, boss };
  const attempt = (job: JobWithMetadata<unknown>) => ({ retryCount: job.retryCount, retryLimit: job.retryLimit });
  return {
    [QUEUES.notify]: (job: JobWithMetadata<NotifyJob>) => deliverNotification(app, job.data, channels),
    [QUEUES.announce]: (job: JobWithMetadata<AnnounceJob>) => deliverAnnouncement(app, job.data, channels),
    [QUEUES.sendDigest]: (job: JobWithMetadata<SendDigestJob>) => sendDigest(app, job.data, channels),
    [QUEUES.sendEmail]: async (job: JobWithMetadata<SendEmailJob>) =>
      sendEmailDelivery(app, await mail.forTenant(job.data.tenantId), job.data, attempt(job)),
    [QUEUES.sendChat]: (job: JobWithMetadata<SendChatJob>) => sendChatDelivery(app, job.data, attempt(job)),
    [QUEUES.witnessCosign]: async (job: JobWithMetadata<WitnessCosignJob>) => {
      const witness = await witnessById(app, job.data.tenantId, job.data.witnessId);
      return witness ? cosignLatest(app, witness) : 'removed';
    },
    [QUEUES.documentationImport]: async (job: JobWithMetadata<DocumentationImportJob>) =>
      (await runDocumentationImport(app, job.data.tenantId, job.data.importId))?.status,
  };
}

export async function startWorkers(
  app: App,
  logger: Logger | undefined,
  mail: MailerSource,
  options: { scheduler?: boolean } = {},
): Promise<RunningWorkers> {
  const boss = await openJobQueue(app.database, {
    onError: (error) => logger?.error({ err: { name: error.name, message: error.message } }, 'job queue error'),
  });
  await ensureQueues(boss);
  // Use cases that write an email a person waits for (a portal link) hand it to this queue at once.
  app.jobs ??= boss;
  // A worker without a server says in its emails where the server is (the server sets it for itself).
  app.publicUrl ??= process.env.OFFBOARD_PUBLIC_URL || undefined;
  const handlers = jobHandlers(app, boss, mail);
  for (const [queue, handle] of Object.entries(handlers) as [keyof JobHandlers, Handler][]) {
    // While a fetch comes back full there is more work: fetch again at once instead of waiting for the next poll.
    await boss.work(queue, { batchSize: 10, pollingIntervalSeconds: 2, burstWhenBatchFull: true, includeMetadata: true }, async (jobs) => {
      for (const job of jobs) logger?.debug({ queue, job: job.id, result: await handle(job as JobWithMetadata<never>) }, 'job');
    });
  }
  if (options.scheduler !== false) {
    await boss.work(QUEUES.schedulerTick, { pollingIntervalSeconds: 5 }, async () => {
      const result = await schedulerTick(app, boss, app.clock());
      logger?.debug(result, 'scheduler tick');
    });
    await boss.schedule(QUEUES.schedulerTick, '* * * * *');
  }
  return {
    boss,
    stop: async () => {
      await boss.stop({ graceful: true, timeout: 10_000 });
      mail.close();
    },
  };
}
