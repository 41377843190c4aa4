/** Edits a client: any field of the client input; refused if someone else changed it first. */
import type { z } from 'zod';
import { ConflictError, NotFoundError } from '../../domain/errors.ts';
import { appendAuditEvent } from '../../storage/audit-repository.ts';
import { type ClientRow, clientsRepo } from '../../storage/repositories.ts';
import { ClientInput, checkClientReferences } from './client-input.ts';
import { type Actor, type App, actorRef, now, parseInput, transaction } from '../context.ts';

export const ClientPatch = ClientInput.partial().strict();

export async function updateClient(
  app: App,
  actor: Actor,
  id: string,
  expectedVersion: number | undefined,
  input: z.input<typeof ClientPatch>,
): Promise<ClientRow> {
  const data = parseInput(ClientPatch, input, 'client');
  return transaction(app, async (tx) => {
    const current = await clientsRepo.get(tx, actor.tenantId, id);
    if (!current) throw new NotFoundError('client', id);
    if (expectedVersion !== undefined && expectedVersion !== current.version)
      throw new ConflictError('the client was changed by someone else; reload and try again');
    await checkClientReferences(tx, actor.tenantId, data);
    const { team, ...rest } = data;
    const updated = await clientsRepo.update(
      tx,
      actor.tenantId,
      id,
      current.version,
      { ...rest, ...(team ? { team: team } : {}) },
      now(app),
    );
    if (!updated) throw new ConflictError('the client was changed by someone else; reload and try again');
    await appendAuditEvent(tx, actor.tenantId, now(app), {
      actor: actorRef(actor),
      action: 'client.updated',
      subject: { type: 'client', id },
      data: { changed: Object.keys(data).sort() },
    });
    return updated;
  });
}
