/**
 * The parties of an offboarding: the client's contacts (authorized signers sign, the others
 * view) and the new provider's. Shared by the use cases that invite, let in and answer them.
 */
import { eq } from 'drizzle-orm';
import { ConflictError } from '../../domain/errors.ts';
import { gateState } from '../../domain/gates.ts';
import { newProviderInvitedCopy } from '../../domain/messages.ts';
import type { Queryable, Tx } from '../../storage/db.ts';
import { parties as partiesTable } from '../../storage/schema.ts';
import { type OffboardingRow, type PartyRow, clientsRepo, partiesRepo, tenantsRepo } from '../../storage/repositories.ts';
import { type App, newId } from '../context.ts';
import { loadOffboarding, statementsOnFile } from '../offboardings/offboarding-facts.ts';
import { issuePortalLink, PORTAL_LINK_KIND, queueWrittenEmail } from './portal-links.ts';

export const PARTY_SIDES = ['client', 'new-provider'] as const;
export type PartySide = (typeof PARTY_SIDES)[number];

/** What a link email names: the client and the MSP. */
export async function linkWords(tx: Queryable, offboarding: OffboardingRow) {
  const [client, tenant] = [
    await clientsRepo.get(tx, offboarding.tenantId, offboarding.clientId),
    await tenantsRepo.get(tx, offboarding.tenantId),
  ];
  return { clientName: client?.name ?? 'your organization', mspName: tenant?.name ?? 'Your IT provider' };
}

export const isLive = (offboarding: OffboardingRow): boolean => offboarding.status === 'active' || offboarding.status === 'closing';

/**
 * Sends a party its portal link. A new provider's waits for the client's authorization: until it
 * is on file nothing goes to them (the link goes out by itself when the client signs), and every
 * invitation of theirs sends the client's signers a copy.
 */
export async function invite(
  tx: Tx,
  app: App,
  party: PartyRow,
  actor: string,
  at: string,
  reason: 'invitation' | 'requested' = 'invitation',
): Promise<{ sent: boolean; expiresAt?: string | undefined; waitingFor?: 'authorization' | undefined }> {
  const loaded = await loadOffboarding(tx, party.tenantId, party.offboardingId);
  if (!isLive(loaded.offboarding)) throw new ConflictError(`the offboarding is ${loaded.offboarding.status}`);
  if (party.accessRevokedAt) throw new ConflictError('this person’s access was revoked; invite them again to restore it');
  const words = await linkWords(tx, loaded.offboarding);
  if (party.side === 'new-provider' && !gateState(statementsOnFile(loaded.attestations)).authorization)
    return { sent: false, waitingFor: 'authorization' };
  const { expiresAt } = await issuePortalLink(tx, app, party, words, reason, actor, at);
  if (reason === 'invitation') await tx.update(partiesTable).set({ invitedAt: at }).where(eq(partiesTable.id, party.id));
  if (party.side === 'new-provider') {
    const copy = newProviderInvitedCopy({
      ...words,
      providerName: loaded.offboarding.newProvider?.name ?? 'the new provider',
      personName: party.name,
      personEmail: party.email,
    });
    for (const signer of await clientSigners(tx, party.tenantId, party.offboardingId))
      await queueWrittenEmail(tx, app, {
        tenantId: party.tenantId,
        key: `${party.offboardingId}:${PORTAL_LINK_KIND}-copy:${party.id}:${at}`,
        offboardingId: party.offboardingId,
        kind: `${PORTAL_LINK_KIND}-copy`,
        recipient: signer.email,
        subject: copy.subject,
        body: copy.body,
        at,
      });
  }
  return { sent: true, expiresAt };
}

/**
 * Refuses to invite when no email server would send the link. Asked before the transaction: the
 * tenant's mail settings are read on their own connection.
 */
export async function assertCanEmail(app: App, tenantId: string): Promise<void> {
  if (app.mailers && !(await app.mailers.forTenant(tenantId)))
    throw new ConflictError('no email server is configured to send the link: set one in Settings, Email');
}

/** The client's contacts who may sign for the client and still have access. */
export async function clientSigners(tx: Tx, tenantId: string, offboardingId: string): Promise<PartyRow[]> {
  return (await partiesRepo.ofOffboarding(tx, tenantId, offboardingId)).filter(
    (p) => p.side === 'client' && p.canSign && !p.accessRevokedAt,
  );
}

/** The client's contacts and the new provider's named contact, as parties (once each). */
export async function ensureParties(tx: Tx, offboarding: OffboardingRow, at: string): Promise<PartyRow[]> {
  const client = await clientsRepo.get(tx, offboarding.tenantId, offboarding.clientId);
  const made: PartyRow[] = [];
  for (const contact of client?.contacts ?? [])
    made.push(
      await partiesRepo.ensure(tx, {
        id: newId(),
        tenantId: offboarding.tenantId,
        offboardingId: offboarding.id,
        side: 'client',
        name: contact.name,
        email: contact.email,
        canSign: contact.authorizedSigner,
        createdAt: at,
      }),
    );
  const provider = offboarding.newProvider;
  if (provider && /^[^\s@]+@[^\s@]+$/.test(provider.contact))
    made.push(
      await partiesRepo.ensure(tx, {
        id: newId(),
        tenantId: offboarding.tenantId,
        offboardingId: offboarding.id,
        side: 'new-provider',
        name: provider.name,
        email: provider.contact,
        canSign: true,
        createdAt: at,
      }),
    );
  return made;
}
