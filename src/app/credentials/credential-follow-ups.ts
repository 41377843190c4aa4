/**
 * What the escalation policy needs to know of the vault, for many offboardings at once (the
 * scheduler's chunk): per receiving side, the credentials it took and has not confirmed changed
 * (since when), and how many credentials the MSP still has to change before handing them over.
 */
import { and, eq, inArray, isNull } from 'drizzle-orm';
import { localDateAt } from '../../domain/calendar.ts';
import type { ExternalParty, PolicyInput } from '../../domain/escalation.ts';
import type { Queryable } from '../../storage/db.ts';
import { credentialHandovers, credentials } from '../../storage/schema.ts';
import type { LoadedOffboarding } from '../offboardings/offboarding-facts.ts';

export type FollowUps = Pick<PolicyInput, 'credentialChanges' | 'rotationsPending'>;

export async function credentialFollowUps(q: Queryable, loaded: readonly LoadedOffboarding[]): Promise<Map<string, FollowUps>> {
  const out = new Map<string, FollowUps>();
  if (loaded.length === 0) return out;
  const ids = loaded.map((l) => l.offboarding.id);
  const clientIds = [...new Set(loaded.map((l) => l.offboarding.clientId))];
  const taken = await q
    .select({
      offboardingId: credentialHandovers.offboardingId,
      credentialId: credentialHandovers.credentialId,
      side: credentialHandovers.side,
      kind: credentialHandovers.kind,
      digest: credentialHandovers.secretDigest,
      at: credentialHandovers.at,
      current: credentials.secretDigest,
      recipient: credentials.recipient,
    })
    .from(credentialHandovers)
    .innerJoin(credentials, eq(credentials.id, credentialHandovers.credentialId))
    .where(inArray(credentialHandovers.offboardingId, ids));
  const unrotated = await q
    .select({ clientId: credentials.clientId })
    .from(credentials)
    .where(
      and(inArray(credentials.clientId, clientIds), eq(credentials.disposition, 'rotate-then-hand-over'), isNull(credentials.rotatedAt)),
    );
  for (const l of loaded) {
    const o = l.offboarding;
    const mine = taken.filter((t) => t.offboardingId === o.id && t.digest === t.current);
    const changed = new Set(mine.filter((t) => t.kind === 'changed').map((t) => t.credentialId));
    const changes: NonNullable<FollowUps['credentialChanges']>[number][] = [];
    for (const party of ['client', 'new-provider'] as const satisfies readonly ExternalParty[]) {
      // Each side is asked about the credentials handed to it, once it took them.
      const open = mine.filter((t) => t.kind !== 'changed' && t.side === party && t.recipient === party && !changed.has(t.credentialId));
      if (open.length === 0) continue;
      const first = open.map((t) => t.at).sort()[0] as string;
      changes.push({ party, since: localDateAt(first, l.facts.client.timezone), count: new Set(open.map((t) => t.credentialId)).size });
    }
    out.set(o.id, { credentialChanges: changes, rotationsPending: unrotated.filter((u) => u.clientId === o.clientId).length });
  }
  return out;
}
