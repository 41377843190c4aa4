/** Who, concretely, a notification's recipient roles are for one offboarding. */
import type { Notification, Recipient } from '../../domain/escalation.ts';
import type { ClientRow, OffboardingRow, TaskRow, UserRow } from '../../storage/repositories.ts';

export type Delivery = { channel: 'in-app'; userId: string } | { channel: 'email'; address: string };

export type RecipientContext = { task: TaskRow; users: readonly UserRow[]; client: ClientRow; offboarding: OffboardingRow };

function staff(recipient: Recipient, ctx: RecipientContext): string[] {
  const byId = new Map(ctx.users.filter((u) => !u.disabledAt).map((u) => [u.id, u] as const));
  const accountManager = ctx.client.team['account-manager'] ?? ctx.users.find((u) => u.role === 'account-manager' && !u.disabledAt)?.id;
  switch (recipient.role) {
    case 'assignee':
      return ctx.task.assigneeId && byId.has(ctx.task.assigneeId) ? [ctx.task.assigneeId] : [];
    case 'manager': {
      const of = recipient.of === 'assignee' ? ctx.task.assigneeId : accountManager;
      const manager = of ? byId.get(of)?.managerId : undefined;
      return manager && byId.has(manager) ? [manager] : [];
    }
    case 'leadership':
      // The top of the manager chain: managers who report to no one.
      return ctx.users.filter((u) => u.role === 'manager' && !u.managerId && !u.disabledAt).map((u) => u.id);
    case 'account-manager':
      return accountManager && byId.has(accountManager) ? [accountManager] : [];
    case 'external-party':
      return [];
  }
}

function external(recipient: Recipient, ctx: RecipientContext): string[] {
  if (recipient.role !== 'external-party') return [];
  if (recipient.party === 'new-provider')
    return ctx.offboarding.newProvider?.contact.includes('@') ? [ctx.offboarding.newProvider.contact] : [];
  const signer = ctx.client.contacts.find((c) => c.authorizedSigner) ?? ctx.client.contacts[0];
  return signer ? [signer.email] : [];
}

/** Every delivery a notification needs, recipient and copies, without duplicates. */
export function deliveriesFor(n: Notification, ctx: RecipientContext): Delivery[] {
  const byTarget = new Map<string, Delivery>();
  for (const r of [n.recipient, ...n.cc]) {
    for (const userId of staff(r, ctx)) byTarget.set(`user:${userId}`, { channel: 'in-app', userId });
    for (const address of external(r, ctx)) byTarget.set(`email:${address.toLowerCase()}`, { channel: 'email', address });
  }
  return [...byTarget.values()];
}
