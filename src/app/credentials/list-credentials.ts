/** A client's vault, a page at a time (never a secret): by kind, owner, disposition and words, with the inventory's counts. */
import { z } from 'zod';
import { CREDENTIAL_KINDS, CREDENTIAL_OWNERS, DISPOSITIONS, inventoryGap } from '../../domain/credentials.ts';
import { credentialsRepo } from '../../storage/credentials-repository.ts';
import { type Actor, type App, parseInput } from '../context.ts';
import { assertClient } from '../documentation/items.ts';
import { afterOf, cursorOf } from '../documentation/list-items.ts';
import { inventorySummary } from './credential-inventory.ts';
import { presentCredential } from './credentials.ts';

export const CredentialQuery = z
  .object({
    kind: z.enum(CREDENTIAL_KINDS).optional(),
    owner: z.enum([...CREDENTIAL_OWNERS, 'none']).optional(),
    disposition: z.enum([...DISPOSITIONS, 'none']).optional(),
    q: z.string().trim().max(200).optional(),
    limit: z.coerce.number().int().min(1).max(500).default(100),
    /** The `next` of the previous page. */
    cursor: z.string().max(1000).optional(),
  })
  .strict();

export async function listCredentials(app: App, actor: Actor, clientId: string, query: z.input<typeof CredentialQuery>) {
  const data = parseInput(CredentialQuery, query, 'query');
  const q = app.database.db;
  await assertClient(q, actor, clientId);
  const filter = { kind: data.kind, owner: data.owner, disposition: data.disposition, q: data.q || undefined, after: afterOf(data.cursor) };
  const rows = await credentialsRepo.list(q, actor.tenantId, clientId, filter, data.limit + 1);
  const page = rows.slice(0, data.limit);
  const last = page.at(-1);
  const summary = await inventorySummary(q, actor.tenantId, clientId);
  const gap = inventoryGap(summary) ?? null;
  return {
    items: page.map(presentCredential),
    next: rows.length > data.limit && last ? cursorOf(last) : null,
    inventory: { ...summary, complete: gap === null, gap },
  };
}

export async function getCredential(app: App, actor: Actor, id: string) {
  const row = await credentialsRepo.get(app.database.db, actor.tenantId, id);
  if (!row) return undefined;
  return presentCredential(row);
}
