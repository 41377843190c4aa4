/**
 * Changes a credential: what it is (name, URL, username, kind, owner, notes) and, when given, its
 * secret, sealed anew. Compare-and-set on the version the caller read (If-Match).
 */
import { z } from 'zod';
import { ConflictError } from '../../domain/errors.ts';
import { credentialsRepo } from '../../storage/credentials-repository.ts';
import { type Actor, type App, actorRef, now, parseInput, transaction } from '../context.ts';
import { CredentialFields, OtpSecret, Password, assertCredential, auditCredential, presentCredential, sealedFor } from './credentials.ts';
import { existingDataKey, openSecret } from './vault.ts';

export const CredentialChanges = z
  .object({
    name: CredentialFields.name.optional(),
    url: CredentialFields.url,
    username: CredentialFields.username,
    kind: CredentialFields.kind.optional(),
    owner: CredentialFields.owner,
    notes: CredentialFields.notes,
    password: Password.optional(),
    /** A new seed, or null to remove the one held. */
    otpSecret: OtpSecret.nullable().optional(),
  })
  .strict()
  .refine((d) => Object.keys(d).length > 0, { message: 'must change something' });

export async function updateCredential(
  app: App,
  actor: Actor,
  id: string,
  expectedVersion: number | undefined,
  input: z.input<typeof CredentialChanges>,
) {
  const data = parseInput(CredentialChanges, input, 'credential');
  const at = now(app);
  return transaction(app, async (tx) => {
    const before = await assertCredential(tx, actor, id);
    const version = expectedVersion ?? before.version;
    const { password, otpSecret, ...described } = data;
    const changes: Parameters<typeof credentialsRepo.update>[4] = { ...described, updatedBy: actorRef(actor) };
    const secretChanges = password !== undefined || otpSecret !== undefined;
    if (secretChanges) {
      const sealed = await credentialsRepo.getSealed(tx, actor.tenantId, id);
      const held = openSecret(await existingDataKey(tx, app, actor.tenantId, before.clientId), id, sealed?.secretSealed ?? '');
      const next = { password: password ?? held.password, otpSecret: otpSecret === null ? undefined : (otpSecret ?? held.otpSecret) };
      const fresh = await sealedFor(tx, app, actor.tenantId, before.clientId, id, next);
      if (fresh.secretDigest !== before.secretDigest) Object.assign(changes, fresh, { secretChangedAt: at });
    }
    const after = await credentialsRepo.update(tx, actor.tenantId, id, version, changes, at);
    if (!after)
      throw new ConflictError('the credential was changed by someone else: reload it and try again', [
        { path: 'version', message: `is not ${version}` },
      ]);
    const changed = Object.keys(described).filter((k) => described[k as keyof typeof described] !== undefined);
    await auditCredential(tx, actor, at, 'credential.changed', after, {
      changed,
      ...(after.secretDigest !== before.secretDigest ? { secretChanged: true, previousSecretDigest: before.secretDigest } : {}),
    });
    return presentCredential(after);
  });
}
