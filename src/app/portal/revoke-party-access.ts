/** Staff end a person's portal access: their sessions end and their unused links stop working at once. */
import { and, eq, isNull } from 'drizzle-orm';
import { NotFoundError } from '../../domain/errors.ts';
import { partiesRepo } from '../../storage/repositories.ts';
import { parties, portalLinks, portalSessions } from '../../storage/schema.ts';
import { type Actor, type App, afterCommit, now, transaction } from '../context.ts';
import { forgetPortalParty } from './portal-access.ts';
import { audit } from '../tasks/task-changes.ts';

export async function revokePartyAccess(app: App, actor: Actor, offboardingId: string, partyId: string): Promise<{ revokedAt: string }> {
  const at = now(app);
  return transaction(app, async (tx) => {
    const party = await partiesRepo.get(tx, actor.tenantId, partyId);
    if (!party || party.offboardingId !== offboardingId) throw new NotFoundError('party', partyId);
    if (party.accessRevokedAt) return { revokedAt: party.accessRevokedAt };
    await tx.update(parties).set({ accessRevokedAt: at }).where(eq(parties.id, party.id));
    afterCommit(tx, () => Promise.resolve(forgetPortalParty(party.id)));
    const ended = await tx.delete(portalSessions).where(eq(portalSessions.partyId, party.id)).returning({ h: portalSessions.tokenHash });
    await tx
      .update(portalLinks)
      .set({ usedAt: at })
      .where(and(eq(portalLinks.partyId, party.id), isNull(portalLinks.usedAt)));
    await audit(tx, actor, at, {
      action: 'party.access-revoked',
      subject: { type: 'party', id: party.id },
      offboardingId,
      data: { side: party.side, name: party.name, email: party.email, sessionsEnded: ended.length },
    });
    return { revokedAt: at };
  });
}
