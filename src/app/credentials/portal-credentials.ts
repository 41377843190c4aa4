/**
 * The credentials one side of the portal receives, how each stands (taken by whom and how,
 * confirmed changed), and what this side's acknowledgement of receipt would cover. Shared by the
 * portal's credential routes, the receipt statement and the `credential-transfer` task.
 */
import { createHash } from 'node:crypto';
import {
  type CredentialRecipient,
  type Disposition,
  type HandoverState,
  goesToNewProvider,
  handoverState,
} from '../../domain/credentials.ts';
import { NotFoundError } from '../../domain/errors.ts';
import { covers } from '../../domain/gates.ts';
import type { Queryable } from '../../storage/db.ts';
import { type HandoverRow, type ListedCredential, credentialsRepo, handoversRepo } from '../../storage/credentials-repository.ts';
import { type AttestationRow, type OffboardingRow, attestationsRepo, offboardingsRepo } from '../../storage/repositories.ts';
import { gateStateOf } from '../offboardings/offboarding-facts.ts';
import { type PortalActor, assertLetIn } from '../portal/portal-access.ts';

export type SideItem = { credential: ListedCredential; state: HandoverState };

/** What one side receives, from the vault as it is and the statements on file. */
export function itemsFor(side: CredentialRecipient, all: readonly ListedCredential[], attestations: readonly AttestationRow[]): SideItem[] {
  const covered = covers(gateStateOf([...attestations]), 'credentials');
  return all.flatMap((credential) => {
    const state = handoverState(
      side,
      {
        disposition: credential.disposition as Disposition | null,
        recipient: credential.recipient as CredentialRecipient | null,
        rotatedAt: credential.rotatedAt,
      },
      covered,
    );
    return state ? [{ credential, state }] : [];
  });
}

/** The digest of a list of credentials as handed over: each id with its secret's digest, sorted. */
export function listDigest(items: readonly { id: string; secretDigest: string }[]): string {
  const lines = items.map((c) => `${c.id} ${c.secretDigest}\n`).sort();
  return createHash('sha256').update(lines.join('')).digest('hex');
}

/** Whether this side took this credential's current secret (shown or exported to anyone on its side). */
export const takenBy = (side: CredentialRecipient, c: ListedCredential, handovers: readonly HandoverRow[]) =>
  handovers.some((h) => h.side === side && h.credentialId === c.id && h.secretDigest === c.secretDigest && h.kind !== 'changed');

/** This side's receipts of credentials, newest last. */
export const credentialReceipts = (side: CredentialRecipient, attestations: readonly AttestationRow[]) =>
  attestations.filter((a) => a.kind === 'credentials-receipt' && a.party === side);

const receiptDigest = (a: AttestationRow): string | undefined =>
  (a.details as { credentials?: { sha256?: string } } | null)?.credentials?.sha256;

/**
 * What this side may acknowledge now: every credential available to it taken, and no receipt of
 * this side already covering the same list. Undefined when there is nothing to acknowledge.
 */
export function receiptToSign(
  side: CredentialRecipient,
  items: readonly SideItem[],
  handovers: readonly HandoverRow[],
  attestations: readonly AttestationRow[],
): { count: number; sha256: string } | undefined {
  const available = items.filter((i) => i.state === 'available').map((i) => i.credential);
  if (available.length === 0 || !available.every((c) => takenBy(side, c, handovers))) return undefined;
  const sha256 = listDigest(available);
  if (credentialReceipts(side, attestations).some((a) => receiptDigest(a) === sha256)) return undefined;
  return { count: available.length, sha256 };
}

/** Whether this side's latest receipt covers what it has now, with nothing left waiting for a change. */
export function receivedAll(
  side: CredentialRecipient,
  items: readonly SideItem[],
  attestations: readonly AttestationRow[],
): AttestationRow | undefined {
  if (items.some((i) => i.state !== 'available')) return undefined;
  const sha256 = listDigest(items.map((i) => i.credential));
  return credentialReceipts(side, attestations).find((a) => receiptDigest(a) === sha256);
}

export type OffboardingVault = {
  offboarding: OffboardingRow;
  credentials: ListedCredential[];
  handovers: HandoverRow[];
  attestations: AttestationRow[];
};

export async function offboardingVault(q: Queryable, tenantId: string, offboardingId: string): Promise<OffboardingVault> {
  const offboarding = await offboardingsRepo.get(q, tenantId, offboardingId);
  if (!offboarding) throw new NotFoundError('offboarding', offboardingId);
  return {
    offboarding,
    credentials: await credentialsRepo.inventory(q, tenantId, offboarding.clientId),
    handovers: await handoversRepo.ofOffboarding(q, tenantId, offboardingId),
    attestations: await attestationsRepo.ofOffboarding(q, tenantId, offboardingId),
  };
}

/** The vault as this party sees it (the new provider is kept out until the authorization). */
export async function portalVault(q: Queryable, actor: PortalActor) {
  const vault = await offboardingVault(q, actor.tenantId, actor.offboardingId);
  assertLetIn(actor, gateStateOf(vault.attestations));
  return { ...vault, items: itemsFor(actor.side, vault.credentials, vault.attestations) };
}

/** The sides that receive anything: the client whenever anything is handed over, the new provider when something is handed to it. */
export function receivingSides(credentials: readonly ListedCredential[]): CredentialRecipient[] {
  const handed = credentials.filter((c) => c.disposition !== null && c.disposition !== 'revoke' && c.recipient !== null);
  if (handed.length === 0) return [];
  const toNewProvider = handed.some((c) =>
    goesToNewProvider({ disposition: c.disposition as Disposition, recipient: c.recipient as CredentialRecipient }),
  );
  return toNewProvider ? ['client', 'new-provider'] : ['client'];
}
