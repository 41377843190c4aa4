/** Adds a client with its service profile, contract, contacts and team. */
import type { z } from 'zod';
import { appendAuditEvent } from '../../storage/audit-repository.ts';
import { clientsRepo } from '../../storage/repositories.ts';
import { ClientInput, checkClientReferences } from './client-input.ts';
import { type Actor, type App, actorRef, newId, now, parseInput, transaction } from '../context.ts';

export async function createClient(app: App, actor: Actor, input: z.input<typeof ClientInput>): Promise<{ id: string }> {
  const data = parseInput(ClientInput, input, 'client');
  const id = newId();
  await transaction(app, async (tx) => {
    await checkClientReferences(tx, actor.tenantId, data);
    await clientsRepo.insert(tx, {
      id,
      tenantId: actor.tenantId,
      name: data.name,
      timezone: data.timezone,
      calendarId: data.calendarId ?? null,
      psaIds: data.psaIds ?? {},
      contacts: data.contacts,
      services: data.services,
      contract: data.contract,
      team: data.team ?? {},
    });
    await appendAuditEvent(tx, actor.tenantId, now(app), {
      actor: actorRef(actor),
      action: 'client.created',
      subject: { type: 'client', id },
      data: { name: data.name, services: data.services, contract: data.contract },
    });
  });
  return { id };
}
