/** The queues and their payloads, and how a use case enqueues a job in its own transaction. */
import { createHash } from 'node:crypto';
import { sql } from 'drizzle-orm';
import { type DrizzleTransactionLike, type PgBoss, fromDrizzle } from 'pg-boss';
import type { Tx } from '../storage/db.ts';
import type { Notification } from '../domain/escalation.ts';

export const QUEUES = {
  notify: 'notify',
  announce: 'announce',
  sendEmail: 'send-email',
  sendChat: 'send-chat',
  sendDigest: 'send-digest',
  witnessCosign: 'witness-cosign',
  documentationImport: 'documentation-import',
  schedulerTick: 'scheduler-tick',
} as const;

export type NotifyJob = { tenantId: string; taskId: string; notification: Notification };

/** The start messages of one offboarding. */
export type AnnounceJob = { tenantId: string; offboardingId: string };

/** One person's daily digest of held reminder emails, for one local date. */
export type SendDigestJob = { tenantId: string; userId: string; date: string };

export type SendEmailJob = { tenantId: string; deliveryId: string };

export type SendChatJob = { tenantId: string; deliveryId: string };

/** Send the latest checkpoint to one witness (the id names the size, so each checkpoint is sent once). */
export type WitnessCosignJob = { tenantId: string; witnessId: string; size: number };

export const EMAIL_RETRY_LIMIT = 5;

/**
 * A job id derived from the notification key: two schedulers, a retry or a restart that send
 * the same notification produce the same id, and pg-boss keeps only the first.
 */
export function jobIdFor(key: string): string {
  const h = createHash('sha256').update(key).digest('hex');
  // Shaped as an RFC 4122 UUID (version 5 style, variant 10), which pg-boss requires of ids.
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-5${h.slice(13, 16)}-${((parseInt(h.slice(16, 18), 16) & 0x3f) | 0x80).toString(16)}${h.slice(18, 20)}-${h.slice(20, 32)}`;
}

/**
 * A worker heartbeats each job it holds; a job whose heartbeat stops (the worker was killed)
 * goes back to the queue after this long, instead of pg-boss's 15-minute expiry.
 */
export const JOB_HEARTBEAT_SECONDS = 30;

export async function ensureQueues(boss: PgBoss): Promise<void> {
  const options = {
    retryLimit: EMAIL_RETRY_LIMIT,
    retryBackoff: true,
    heartbeatSeconds: Number(process.env.OFFBOARD_JOB_HEARTBEAT_SECONDS) || JOB_HEARTBEAT_SECONDS,
  };
  for (const name of Object.values(QUEUES)) {
    if (name === QUEUES.schedulerTick) {
      if (!(await boss.getQueue(name))) await boss.createQueue(name, { retryLimit: 0 });
    } else if (await boss.getQueue(name)) await boss.updateQueue(name, options);
    else
      await boss.createQueue(name, options).catch(async (error: unknown) => {
        // Several workers starting at once on a new database: another one created it first.
        if (!(await boss.getQueue(name))) throw error;
      });
  }
}

/** The transaction as pg-boss sees it: `boss.send(name, data, { db: jobsIn(tx) })`. */
export function jobsIn(tx: Tx) {
  // Both drivers' transactions answer execute() with { rows }; Drizzle's generic result type just cannot say so.
  return fromDrizzle(tx as unknown as DrizzleTransactionLike, sql);
}
