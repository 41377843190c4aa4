/**
 * The MSP proposes to end its access before the agreed revocation date. Nothing changes until the
 * client agrees in the portal (the early-cutover statement); until then access-revocation still
 * waits for the agreed date. A new proposal replaces one the client has not signed.
 */
import { z } from 'zod';
import { isLocalDate } from '../../domain/calendar.ts';
import { ConflictError, InputError } from '../../domain/errors.ts';
import { offboardingsRepo } from '../../storage/repositories.ts';
import { type Actor, type App, now, parseInput, transaction } from '../context.ts';
import { earlyCutoverProposal } from '../../domain/messages.ts';
import { clientSigners, linkWords } from '../portal/parties.ts';
import { publicUrlOf, queueWrittenEmail } from '../portal/portal-links.ts';

/** The email that tells the client's signers of a proposed early cut-over. */
export const CUTOVER_PROPOSAL_KIND = 'cutover-proposal';
import { audit } from '../tasks/task-changes.ts';
import { clientToday, gateStateOf, loadOffboarding } from './offboarding-facts.ts';

export const ProposeEarlyCutoverInput = z
  .object({
    date: z.string().refine(isLocalDate, 'must be a date YYYY-MM-DD'),
    reason: z.string().trim().min(1, 'is required: the client reads it').max(2000),
  })
  .strict();

export async function proposeEarlyCutover(
  app: App,
  actor: Actor,
  offboardingId: string,
  input: z.input<typeof ProposeEarlyCutoverInput>,
): Promise<{ proposedCutover: string }> {
  const data = parseInput(ProposeEarlyCutoverInput, input, 'proposal');
  const at = now(app);
  return transaction(app, async (tx) => {
    const loaded = await loadOffboarding(tx, actor.tenantId, offboardingId);
    const o = loaded.offboarding;
    if (o.status !== 'active' && o.status !== 'closing') throw new ConflictError(`the offboarding is ${o.status}`);
    if (gateStateOf(loaded.attestations).earlyCutover) throw new ConflictError('the client already agreed to an early cut-over');
    const revocationDate = o.revocationDate ?? o.endDate;
    const today = clientToday(loaded.facts, at);
    if (data.date >= revocationDate)
      throw new InputError('invalid proposal', [
        { path: 'date', message: `must be before the agreed revocation date (${revocationDate})` },
      ]);
    if (data.date < today)
      throw new InputError('invalid proposal', [{ path: 'date', message: `must not be in the past (today is ${today})` }]);
    const saved = await offboardingsRepo.update(tx, actor.tenantId, o.id, o.version, { proposedCutover: data.date }, at);
    if (!saved) throw new ConflictError('the offboarding was changed by someone else; try again');
    // The client's signers hear of it by email, not only when they next open the portal.
    const signers = await clientSigners(tx, o.tenantId, o.id);
    const words = await linkWords(tx, o);
    for (const signer of signers) {
      const mail = earlyCutoverProposal({
        clientName: words.clientName,
        mspName: words.mspName,
        personName: signer.name,
        date: data.date,
        revocationDate,
        reason: data.reason,
        portalUrl: `${publicUrlOf(app)}/portal`,
      });
      await queueWrittenEmail(tx, app, {
        tenantId: o.tenantId,
        key: `${o.id}:${CUTOVER_PROPOSAL_KIND}:${data.date}:${at}`,
        offboardingId: o.id,
        kind: CUTOVER_PROPOSAL_KIND,
        recipient: signer.email,
        subject: mail.subject,
        body: mail.body,
        at,
      });
    }
    await audit(tx, actor, at, {
      action: 'early-cutover.proposed',
      subject: { type: 'offboarding', id: o.id },
      offboardingId: o.id,
      data: { date: data.date, revocationDate, reason: data.reason, emailedTo: signers.map((p) => p.email) },
    });
    return { proposedCutover: data.date };
  });
}
