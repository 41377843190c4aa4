/** Adds a credential to a client's vault by hand: the secret sealed with the client's data key, the record keeping its digest only. */
import type { z } from 'zod';
import { credentialsRepo } from '../../storage/credentials-repository.ts';
import { type Actor, type App, actorRef, newId, now, parseInput, transaction } from '../context.ts';
import { assertClient } from '../documentation/items.ts';
import { NewCredentialInput, auditCredential, presentCredential, sealedFor } from './credentials.ts';

export async function addCredential(app: App, actor: Actor, clientId: string, input: z.input<typeof NewCredentialInput>) {
  const data = parseInput(NewCredentialInput, input, 'credential');
  const at = now(app);
  const id = newId();
  return transaction(app, async (tx) => {
    await assertClient(tx, actor, clientId);
    const sealed = await sealedFor(tx, app, actor.tenantId, clientId, id, { password: data.password, otpSecret: data.otpSecret });
    const row = await credentialsRepo.insert(tx, {
      id,
      tenantId: actor.tenantId,
      clientId,
      name: data.name,
      url: data.url ?? null,
      username: data.username ?? null,
      kind: data.kind,
      owner: data.owner ?? null,
      notes: data.notes ?? null,
      source: 'manual',
      ...sealed,
      secretChangedAt: at,
      createdBy: actorRef(actor),
      updatedBy: actorRef(actor),
      createdAt: at,
      updatedAt: at,
    });
    await auditCredential(tx, actor, at, 'credential.added', row, { source: 'manual', hasOtp: row.hasOtp });
    return presentCredential(row);
  });
}
