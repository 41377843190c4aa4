/**
 * The packages a party sees in the portal (its copy; the client also the new provider's), who took
 * each and who acknowledged it, and the one this side may acknowledge now.
 */
import type { Queryable } from '../../storage/db.ts';
import { type DocumentationPackageRow, type PackageDownloadRow, packagesRepo } from '../../storage/documentation-repository.ts';
import { type AttestationRow, partiesRepo } from '../../storage/repositories.ts';
import type { App } from '../context.ts';
import type { PortalActor } from '../portal/portal-access.ts';
import { actorNames } from './list-packages.ts';
import { audienceOf, portalPackages, presentPackage, receiptsOf } from './package-delivery.ts';

/**
 * The newest version of this side's copy that this side downloaded and has not acknowledged: what
 * its acknowledgement of receipt is about. Undefined when there is none.
 */
export async function packageAwaitingReceipt(q: Queryable, actor: PortalActor) {
  const { packages, attestations } = await portalPackages(q, actor);
  const downloads = await packagesRepo.downloadsOfOffboarding(q, actor.tenantId, actor.offboardingId);
  return awaitingOf(actor, packages, attestations, downloads, await sameSide(q, actor));
}

const sameSide = async (q: Queryable, actor: PortalActor) =>
  new Set((await partiesRepo.ofOffboarding(q, actor.tenantId, actor.offboardingId)).filter((p) => p.side === actor.side).map((p) => p.id));

function awaitingOf(
  actor: PortalActor,
  packages: DocumentationPackageRow[],
  attestations: AttestationRow[],
  downloads: PackageDownloadRow[],
  side: Set<string>,
) {
  const receipts = receiptsOf(attestations);
  return packages.find(
    (p) =>
      p.audience === audienceOf(actor.side) &&
      !(receipts.get(p.id) ?? []).some((r) => r.party === actor.side) &&
      downloads.some((d) => d.packageId === p.id && d.partyId !== null && side.has(d.partyId)),
  );
}

export async function listPortalPackages(app: App, actor: PortalActor) {
  const db = app.database.db;
  const { packages, attestations } = await portalPackages(db, actor);
  const [downloads, names, side] = [
    await packagesRepo.downloadsOfOffboarding(db, actor.tenantId, actor.offboardingId),
    await actorNames(db, actor.tenantId, actor.offboardingId),
    await sameSide(db, actor),
  ];
  const awaiting = awaitingOf(actor, packages, attestations, downloads, side);
  // A party sees the downloads of the parties (the MSP's own staff downloads are its business).
  const parties = downloads.filter((d) => d.partyId !== null && (actor.side === 'client' || packages.some((p) => p.id === d.packageId)));
  const receipts = receiptsOf(attestations);
  return {
    packages: packages.map((p) => presentPackage(p, parties, receipts.get(p.id) ?? [], names)),
    toAcknowledge: awaiting?.id ?? null,
  };
}
