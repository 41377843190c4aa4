import { eq } from 'drizzle-orm';
import { ANNOUNCEMENT_KINDS, announcementFor } from '../../domain/messages.ts';
import type { OffboardingFacts } from '../../domain/offboarding-case.ts';
import { clientsRepo, offboardingsRepo, tasksRepo, tenantsRepo, usersRepo } from '../../storage/repositories.ts';
import { offboardings as offboardingsTable } from '../../storage/schema.ts';
import { type App, transaction } from '../context.ts';
import type { AnnounceJob } from '../jobs.ts';
import { ensureParties, invite } from '../portal/parties.ts';
import { currentVerifierKey } from '../log/transparency-log.ts';
import { type DeliveryChannels, deliveryWriter, forTenant, preferencesOf } from './delivery-writer.ts';

/**
 * The messages an offboarding opens with: the acknowledgement to the client's authorized
 * contact (the account manager gets a copy in the app), and the notice to everyone on the MSP's
 * side who has a part in it, with the team channels. Marks the offboarding announced.
 */
export async function deliverAnnouncement(
  app: App,
  job: AnnounceJob,
  channels: DeliveryChannels = {},
): Promise<{ delivered: number; pendingExternal: number } | 'not-needed'> {
  const at = app.clock().toISOString();
  const tenantChannels = await forTenant(channels, job.tenantId);
  return transaction(app, async (tx) => {
    const offboarding = await offboardingsRepo.get(tx, job.tenantId, job.offboardingId);
    if (!offboarding || offboarding.announcedAt) return 'not-needed';
    // Marked first: a concurrent second run waits on this row, then finds it announced.
    await tx.update(offboardingsTable).set({ announcedAt: at }).where(eq(offboardingsTable.id, offboarding.id));
    if (offboarding.status !== 'active') return 'not-needed';
    const [client, users, tasks, tenant] = [
      await clientsRepo.get(tx, job.tenantId, offboarding.clientId),
      await usersRepo.list(tx, job.tenantId),
      await tasksRepo.ofOffboarding(tx, job.tenantId, offboarding.id),
      await tenantsRepo.get(tx, job.tenantId),
    ];
    if (!client) return 'not-needed';
    const facts = offboarding.facts as OffboardingFacts;
    const active = users.filter((u) => !u.disabledAt);
    const byId = new Map(active.map((u) => [u.id, u] as const));
    const accountManager = byId.get(client.team['account-manager'] ?? '') ?? active.find((u) => u.role === 'account-manager');
    const ordered = [...tasks].sort((a, b) => a.dueAt.localeCompare(b.dueAt) || a.key.localeCompare(b.key));
    const ctx = {
      clientName: client.name,
      mspName: tenant?.name ?? 'Your IT provider',
      accountManager: accountManager ? { name: accountManager.name, email: accountManager.email } : undefined,
      noticeDate: offboarding.noticeDate,
      endDate: offboarding.endDate,
      revocationDate: offboarding.revocationDate ?? offboarding.endDate,
      newProvider: offboarding.newProvider?.name,
      needsAuthorization: tasks.some((t) => t.key === 'client-authorization') || facts.newProvider !== undefined,
      tasks: tasks.length,
      firstDue: ordered
        .slice(0, 5)
        .map((t) => ({ title: t.title, due: t.due, assignee: byId.get(t.assigneeId ?? '')?.name ?? `unassigned ${t.role}` })),
      link: `/offboardings/${offboarding.id}`,
      verifierKey: await currentVerifierKey(tx, app, job.tenantId),
    };
    const preferences = preferencesOf(tenant);
    let delivered = 0;
    let pendingExternal = 0;
    for (const kind of ANNOUNCEMENT_KINDS) {
      const { subject, body } = announcementFor(kind, ctx);
      const writer = deliveryWriter(
        tx,
        tenantChannels,
        {
          tenantId: job.tenantId,
          key: `${offboarding.id}:announce:${kind}`,
          offboardingId: offboarding.id,
          taskId: null,
          kind,
          level: 0,
          subject,
          body,
          fireAt: at,
        },
        at,
        preferences,
      );
      if (kind === 'termination-acknowledgement') {
        const signers = client.contacts.filter((c) => c.authorizedSigner);
        for (const contact of signers.length > 0 ? signers : client.contacts.slice(0, 1)) await writer.external(contact.email);
        if (accountManager) await writer.staff(accountManager, kind, {});
      } else {
        const team = new Set([...Object.values(client.team), ...tasks.map((t) => t.assigneeId).filter((id): id is string => id !== null)]);
        if (accountManager) {
          team.add(accountManager.id);
          if (accountManager.managerId) team.add(accountManager.managerId);
        }
        for (const id of team) {
          const user = byId.get(id);
          if (user) await writer.staff(user, kind, {});
        }
        await writer.chat(job.tenantId);
      }
      delivered += writer.result().delivered;
      pendingExternal += writer.result().pendingExternal;
    }
    // The acknowledgement promises the statement to confirm: the client's signers get their portal link with it.
    const parties = await ensureParties(tx, offboarding, at);
    if (app.secrets && tenantChannels.email)
      for (const party of parties.filter((p) => p.side === 'client' && p.canSign && !p.invitedAt))
        await invite(tx, app, party, 'system', at);
    return { delivered, pendingExternal };
  });
}
