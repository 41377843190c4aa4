/** The credentials a side of the portal receives: what each is, whether it is theirs to take yet, who took it, and whether it was changed since. */
import { type CredentialKind, type CredentialRecipient, confirmsChange } from '../../domain/credentials.ts';
import type { App } from '../context.ts';
import type { PortalActor } from '../portal/portal-access.ts';
import { isoInstant } from '../present.ts';
import { credentialReceipts, portalVault, receiptToSign } from './portal-credentials.ts';

export async function listPortalCredentials(app: App, actor: PortalActor) {
  const vault = await portalVault(app.database.db, actor);
  const side = actor.side;
  const ofSide = vault.handovers.filter((h) => h.side === side);
  const items = vault.items.map(({ credential: c, state }) => {
    const current = ofSide.filter((h) => h.credentialId === c.id && h.secretDigest === c.secretDigest);
    const taken = current.find((h) => h.kind !== 'changed');
    const changed = vault.handovers.find((h) => h.kind === 'changed' && h.credentialId === c.id && h.secretDigest === c.secretDigest);
    const shown = current.find((h) => h.kind === 'reveal' && h.partyId === actor.partyId);
    return {
      id: c.id,
      name: c.name,
      url: c.url,
      username: c.username,
      kind: c.kind as CredentialKind,
      hasOtp: c.hasOtp,
      to: c.recipient as CredentialRecipient,
      state,
      taken: taken ? { how: taken.kind as 'reveal' | 'export', at: isoInstant(taken.at) } : null,
      shownToYouAt: shown ? isoInstant(shown.at) : null,
      changedAt: changed ? isoInstant(changed.at) : null,
      youConfirmChange: confirmsChange(side, { recipient: c.recipient as CredentialRecipient }),
    };
  });
  return {
    items,
    mayTake: actor.canSign,
    toAcknowledge: actor.canSign ? (receiptToSign(side, vault.items, vault.handovers, vault.attestations) ?? null) : null,
    acknowledged: credentialReceipts(side, vault.attestations).map((a) => ({
      signerName: a.signerName,
      signedAt: isoInstant(a.signedAt),
      ...((a.details as { credentials?: { count: number; sha256: string } }).credentials ?? { count: 0, sha256: '' }),
    })),
  };
}
