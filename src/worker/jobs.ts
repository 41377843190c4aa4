/** The queues and their payloads. */
import { createHash } from 'node:crypto';
import type { PgBoss } from 'pg-boss';
import type { Notification } from '../domain/escalation.ts';

export const QUEUES = { notify: 'notify', sendEmail: 'send-email', sendChat: 'send-chat', schedulerTick: 'scheduler-tick' } as const;

export type NotifyJob = { tenantId: string; taskId: string; notification: Notification };

export type SendEmailJob = { tenantId: string; deliveryId: string };

export type SendChatJob = { tenantId: string; deliveryId: string };

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

export async function ensureQueues(boss: PgBoss): Promise<void> {
  for (const name of Object.values(QUEUES)) {
    if (!(await boss.getQueue(name))) await boss.createQueue(name, { retryLimit: EMAIL_RETRY_LIMIT, retryBackoff: true });
  }
}
