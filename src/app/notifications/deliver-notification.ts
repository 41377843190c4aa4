/**
 * Delivers one notification: resolves its recipient roles to people and channels, and writes
 * each delivery once per key, channel and recipient however often the job runs. A task
 * finished since scheduling gets nothing.
 */
import { isClosedStatus, type TaskStatus } from '../../domain/vocabulary.ts';
import { messageFor } from '../../domain/messages.ts';
import { clientsRepo, offboardingsRepo, tasksRepo, tenantsRepo, usersRepo } from '../../storage/repositories.ts';
import { type App, transaction } from '../context.ts';
import type { NotifyJob } from '../jobs.ts';
import { currentVerifierKey } from '../log/transparency-log.ts';
import { publicUrlOf } from '../portal/portal-links.ts';
import { type DeliveryChannels, deliveryWriter, forTenant, preferencesOf } from './delivery-writer.ts';
import { deliveriesFor } from './notification-recipients.ts';

export type DeliveryResult = { delivered: number; skipped: 'task-closed' | 'offboarding-over' | null; pendingExternal: number };

export async function deliverNotification(app: App, job: NotifyJob, channels: DeliveryChannels = {}): Promise<DeliveryResult> {
  const n = job.notification;
  const at = app.clock().toISOString();
  // Resolved before the transaction: the embedded database runs one transaction at a time, and waits for it.
  const tenantChannels = await forTenant(channels, job.tenantId);
  return transaction(app, async (tx) => {
    const task = await tasksRepo.get(tx, job.tenantId, job.taskId);
    const offboarding = await offboardingsRepo.get(tx, job.tenantId, n.offboardingId);
    if (!task || !offboarding || (offboarding.status !== 'active' && offboarding.status !== 'closing'))
      return { delivered: 0, skipped: 'offboarding-over', pendingExternal: 0 };
    // A change reminder follows the transfer after its task is done: until the recipient confirms the changes.
    if (isClosedStatus(task.status as TaskStatus) && n.kind !== 'change-reminder')
      return { delivered: 0, skipped: 'task-closed', pendingExternal: 0 };
    const client = await clientsRepo.get(tx, job.tenantId, offboarding.clientId);
    if (!client) return { delivered: 0, skipped: 'offboarding-over', pendingExternal: 0 };
    const users = await usersRepo.list(tx, job.tenantId);
    const verifierKey =
      n.kind === 'gate-reminder' || n.kind === 'change-reminder' ? await currentVerifierKey(tx, app, job.tenantId) : undefined;
    const { subject, body } = messageFor(n, {
      clientName: client.name,
      taskTitle: task.title,
      // Emails leave the app: their links are whole addresses.
      link: `${publicUrlOf(app)}/offboardings/${offboarding.id}/tasks/${task.id}`,
      portalLink: `${publicUrlOf(app)}/portal`,
      verifierKey,
    });
    const base = {
      tenantId: job.tenantId,
      key: n.key,
      offboardingId: offboarding.id,
      taskId: task.id,
      kind: n.kind,
      level: n.level,
      subject,
      body,
      fireAt: n.fireAt,
    };
    const writer = deliveryWriter(tx, tenantChannels, base, at, preferencesOf(await tenantsRepo.get(tx, job.tenantId)));
    const byId = new Map(users.map((u) => [u.id, u] as const));
    for (const d of deliveriesFor(n, { task, users, client, offboarding })) {
      if (d.channel === 'email') await writer.external(d.address);
      else {
        const user = byId.get(d.userId);
        if (user) await writer.staff(user, n.kind, { task: task.key });
      }
    }
    await writer.chat(job.tenantId);
    return { ...writer.result(), skipped: null };
  });
}
