/**
 * Records that the MSP changed a credential at the system itself, right before handing it over
 * ("rotate then hand over"): the new secret replaces the held one and the time is kept, so the
 * recipient receives a secret nobody at the MSP used after the change.
 */
import { z } from 'zod';
import { ConflictError } from '../../domain/errors.ts';
import { credentialsRepo } from '../../storage/credentials-repository.ts';
import { type Actor, type App, actorRef, now, parseInput, transaction } from '../context.ts';
import { OtpSecret, Password, assertCredential, auditCredential, presentCredential, sealedFor } from './credentials.ts';

export const RotationInput = z.object({ password: Password, otpSecret: OtpSecret.optional() }).strict();

export async function recordRotation(app: App, actor: Actor, id: string, input: z.input<typeof RotationInput>) {
  const data = parseInput(RotationInput, input, 'rotation');
  const at = now(app);
  return transaction(app, async (tx) => {
    const before = await assertCredential(tx, actor, id);
    const fresh = await sealedFor(tx, app, actor.tenantId, before.clientId, id, data);
    if (fresh.secretDigest === before.secretDigest)
      throw new ConflictError('that is the secret the vault already holds', [
        { path: 'password', message: 'is the one held: change it at the system first, then record the new one' },
      ]);
    const after = await credentialsRepo.update(
      tx,
      actor.tenantId,
      id,
      before.version,
      { ...fresh, secretChangedAt: at, rotatedAt: at, rotatedBy: actorRef(actor), updatedBy: actorRef(actor) },
      at,
    );
    if (!after) throw new ConflictError('the credential was changed by someone else: try again');
    await auditCredential(tx, actor, at, 'credential.rotated', after, { previousSecretDigest: before.secretDigest });
    return presentCredential(after);
  });
}
