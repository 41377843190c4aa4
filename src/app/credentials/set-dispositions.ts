/**
 * Decides what happens to credentials at the offboarding: hand over (to the client or the new
 * provider), change then hand over, or revoke. One or many at once; each decision is audited, and
 * the inventory task completes by itself when the last credential has one.
 */
import { z } from 'zod';
import { dispositionInWords, dispositionProblem } from '../../domain/credentials.ts';
import { ConflictError, InputError, NotFoundError } from '../../domain/errors.ts';
import { credentialsRepo, revocationsRepo } from '../../storage/credentials-repository.ts';
import { offboardingsRepo } from '../../storage/repositories.ts';
import { type Actor, type App, actorRef, now, parseInput, transaction } from '../context.ts';
import { assertClient } from '../documentation/items.ts';
import { DispositionInput, auditCredential, presentCredential } from './credentials.ts';
import { settleCredentialInventory } from './settle-credential-inventory.ts';
import { syncRevocations } from './revocations.ts';

export const DispositionsInput = DispositionInput.extend({
  ids: z.array(z.string().min(1).max(100)).min(1, 'must name at least one credential').max(1000),
}).strict();

export async function setDispositions(app: App, actor: Actor, clientId: string, input: z.input<typeof DispositionsInput>) {
  const data = parseInput(DispositionsInput, input, 'disposition');
  const recipient = data.recipient ?? null;
  const problem = dispositionProblem(data.disposition, recipient);
  if (problem) throw new InputError('invalid disposition', [{ path: 'recipient', message: problem }]);
  const at = now(app);
  return transaction(app, async (tx) => {
    await assertClient(tx, actor, clientId);
    if (recipient === 'new-provider') {
      const running = await offboardingsRepo.runningOfClient(tx, actor.tenantId, clientId);
      if (!running.some((o) => o.newProvider))
        throw new ConflictError('nobody to hand it to', [
          {
            path: 'recipient',
            message: "this client's offboarding has no new provider: hand it to the client, or name the new provider first",
          },
        ]);
    }
    const ids = [...new Set(data.ids)];
    const rows = await credentialsRepo.ofIds(tx, actor.tenantId, clientId, ids);
    const found = new Set(rows.map((r) => r.id));
    const missing = ids.find((id) => !found.has(id));
    if (missing) throw new NotFoundError('credential', missing);
    const changed = [];
    for (const row of rows) {
      if (row.disposition === data.disposition && row.recipient === recipient) {
        changed.push(row);
        continue;
      }
      const after = await credentialsRepo.update(
        tx,
        actor.tenantId,
        row.id,
        row.version,
        { disposition: data.disposition, recipient, dispositionBy: actorRef(actor), dispositionAt: at, updatedBy: actorRef(actor) },
        at,
      );
      if (!after)
        throw new ConflictError('a credential was changed by someone else: try again', [{ path: 'ids', message: `${row.id} changed` }]);
      await auditCredential(tx, actor, at, 'credential.disposition-set', after, {
        disposition: data.disposition,
        recipient,
        inWords: dispositionInWords(data.disposition, recipient),
        ...(row.disposition ? { previous: row.disposition } : {}),
      });
      changed.push(after);
    }
    // The revocation list follows the vault: a credential to revoke is on it, one no longer to revoke leaves it (if untouched).
    for (const row of rows)
      if (data.disposition !== 'revoke') await revocationsRepo.removeUntouchedOfCredential(tx, actor.tenantId, row.id);
    for (const o of await offboardingsRepo.runningOfClient(tx, actor.tenantId, clientId)) await syncRevocations(tx, o, actorRef(actor), at);
    const tasksCompleted = await settleCredentialInventory(tx, app, actor, clientId, at);
    return { items: changed.map(presentCredential), tasksCompleted: tasksCompleted.length };
  });
}
