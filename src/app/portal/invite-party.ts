/**
 * Staff invite a person to an offboarding's portal: one of the client's contacts (signer or
 * viewer) or one of the new provider's. Inviting again sends a fresh link and restores access
 * that was revoked. A new provider's link waits for the client's authorization.
 */
import { eq } from 'drizzle-orm';
import { z } from 'zod';
import { InputError } from '../../domain/errors.ts';
import { partiesRepo } from '../../storage/repositories.ts';
import { parties } from '../../storage/schema.ts';
import { type Actor, type App, actorRef, afterCommit, newId, now, parseInput, transaction } from '../context.ts';
import { forgetPortalParty } from './portal-access.ts';
import { loadOffboarding } from '../offboardings/offboarding-facts.ts';
import { audit } from '../tasks/task-changes.ts';
import { PARTY_SIDES, assertCanEmail, invite } from './parties.ts';

export const InvitePartyInput = z
  .object({
    side: z.enum(PARTY_SIDES),
    name: z.string().trim().min(1, 'must not be empty').max(200),
    email: z.email().max(320),
    /** Client contacts only: whether this person may sign for the client (the others view). */
    canSign: z.boolean().default(false),
  })
  .strict();

export type InvitePartyResult = { partyId: string; sent: boolean; expiresAt: string | null; waitingFor: 'authorization' | null };

export async function inviteParty(
  app: App,
  actor: Actor,
  offboardingId: string,
  input: z.input<typeof InvitePartyInput>,
): Promise<InvitePartyResult> {
  const data = parseInput(InvitePartyInput, input, 'invitation');
  const at = now(app);
  await assertCanEmail(app, actor.tenantId);
  return transaction(app, async (tx) => {
    const { offboarding } = await loadOffboarding(tx, actor.tenantId, offboardingId);
    if (data.side === 'new-provider' && !offboarding.newProvider)
      throw new InputError('invalid invitation', [{ path: 'side', message: 'this offboarding names no new provider' }]);
    let party = await partiesRepo.ensure(tx, {
      id: newId(),
      tenantId: actor.tenantId,
      offboardingId,
      side: data.side,
      name: data.name,
      email: data.email,
      // The new provider signs its own attestations; for the client, only authorized signers sign.
      canSign: data.side === 'new-provider' ? true : data.canSign,
      createdAt: at,
    });
    if (party.accessRevokedAt || party.name !== data.name || (data.side === 'client' && party.canSign !== data.canSign)) {
      [party = party] = await tx
        .update(parties)
        .set({ accessRevokedAt: null, name: data.name, canSign: data.side === 'new-provider' ? true : data.canSign })
        .where(eq(parties.id, party.id))
        .returning();
      // Sessions cached with the old name or signing right are read again.
      const changed = party.id;
      afterCommit(tx, () => Promise.resolve(forgetPortalParty(changed)));
    }
    const result = await invite(tx, app, party, actorRef(actor), at);
    if (!result.sent)
      await audit(tx, actor, at, {
        action: 'party.added',
        subject: { type: 'party', id: party.id },
        offboardingId,
        data: { side: party.side, name: party.name, email: party.email, waitingFor: result.waitingFor ?? null },
      });
    return { partyId: party.id, sent: result.sent, expiresAt: result.expiresAt ?? null, waitingFor: result.waitingFor ?? null };
  });
}
