/** Staff send a person a fresh portal link (the earlier ones keep working until used or expired). */
import { NotFoundError } from '../../domain/errors.ts';
import { partiesRepo } from '../../storage/repositories.ts';
import { type Actor, type App, actorRef, now, transaction } from '../context.ts';
import { assertCanEmail, invite } from './parties.ts';

export async function resendPortalLink(
  app: App,
  actor: Actor,
  offboardingId: string,
  partyId: string,
): Promise<{ sent: boolean; expiresAt: string | null; waitingFor: 'authorization' | null }> {
  const at = now(app);
  await assertCanEmail(app, actor.tenantId);
  return transaction(app, async (tx) => {
    const party = await partiesRepo.get(tx, actor.tenantId, partyId);
    if (!party || party.offboardingId !== offboardingId) throw new NotFoundError('party', partyId);
    const result = await invite(tx, app, party, actorRef(actor), at);
    return { sent: result.sent, expiresAt: result.expiresAt ?? null, waitingFor: result.waitingFor ?? null };
  });
}
