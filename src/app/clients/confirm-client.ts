/**
 * Someone confirms a client that a PSA event created: it is ours, and (unless they say the
 * event was not a departure) the offboarding the event asked for opens now, dated from the
 * event, in the client's time zone as it stands after any corrections made before confirming.
 */
import { z } from 'zod';
import { ConflictError, NotFoundError } from '../../domain/errors.ts';
import type { OffboardingType } from '../../domain/vocabulary.ts';
import { clientsRepo } from '../../storage/repositories.ts';
import { type Actor, type App, now, parseInput, transaction } from '../context.ts';
import { planFacts } from '../psa/receive-psa-event.ts';
import { openOffboarding } from '../offboardings/start-offboarding.ts';
import { audit } from '../tasks/task-changes.ts';

export const ConfirmClientInput = z
  .object({
    /** false: keep the client, but the PSA event was not a departure; nothing opens. */
    startOffboarding: z.boolean().default(true),
  })
  .strict();

export async function confirmClient(
  app: App,
  actor: Actor,
  clientId: string,
  input: z.input<typeof ConfirmClientInput>,
): Promise<{ offboardingId: string | null }> {
  const data = parseInput(ConfirmClientInput, input, 'confirmation');
  const at = now(app);
  return transaction(app, async (tx) => {
    const client = await clientsRepo.get(tx, actor.tenantId, clientId);
    if (!client) throw new NotFoundError('client', clientId);
    const trigger = client.pendingTrigger;
    if (!trigger)
      throw new ConflictError('the client does not wait for confirmation', [{ path: 'clientId', message: 'is confirmed already' }]);
    await audit(tx, actor, at, {
      action: 'client.confirmed',
      subject: { type: 'client', id: client.id },
      data: { trigger, startOffboarding: data.startOffboarding },
    });
    if (!data.startOffboarding) {
      const saved = await clientsRepo.update(tx, actor.tenantId, client.id, client.version, { pendingTrigger: null }, at);
      if (!saved) throw new ConflictError('the client was changed by someone else; try again');
      return { offboardingId: null };
    }
    const { id } = await openOffboarding(
      app,
      tx,
      actor,
      at,
      client,
      planFacts(client, trigger.offboardingType as OffboardingType, trigger.occurredAt),
      {
        source: 'confirmation',
        provider: trigger.provider,
        connectionId: trigger.connectionId,
        deliveryId: trigger.deliveryId,
        eventId: trigger.eventId,
      },
    );
    return { offboardingId: id };
  });
}
