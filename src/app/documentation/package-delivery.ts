/**
 * Who may take which package, and the record of each taking. The client sees every version of
 * both copies (it receives everything the new provider receives, and may see exactly what that
 * was); the new provider sees only its own copy, and only while the client's authorization covers
 * the documentation. Every download is recorded before the first byte leaves: who, when, from
 * where, which version and its digests.
 */
import { ForbiddenError, NotFoundError } from '../../domain/errors.ts';
import { type GateState, covers } from '../../domain/gates.ts';
import type { PackageAudience } from '../../domain/documentation-package.ts';
import type { Queryable, Tx } from '../../storage/db.ts';
import { type DocumentationPackageRow, type PackageDownloadRow, packagesRepo } from '../../storage/documentation-repository.ts';
import type { AttestationRow } from '../../storage/repositories.ts';
import { appendAuditEvent } from '../../storage/audit-repository.ts';
import { type App, newId, now, transaction } from '../context.ts';
import { isoInstant } from '../present.ts';
import { type PortalActor, letInState } from '../portal/portal-access.ts';
import { blobReader } from './build-package.ts';
import { packageZip } from './package-zip.ts';

export const DOCUMENTATION_PACKAGE_TASK = 'documentation-package';

/** The audience a portal side receives its own copy as. */
export const audienceOf = (side: PortalActor['side']): PackageAudience => side;

/** The packages a party may see and take: see the header. Refused outright for a new provider the authorization does not cover. */
export function packagesSeenBy(
  actor: Pick<PortalActor, 'side'>,
  state: GateState,
  packages: readonly DocumentationPackageRow[],
): DocumentationPackageRow[] {
  if (actor.side === 'client') return [...packages];
  if (!covers(state, 'documentation'))
    throw new ForbiddenError('the client’s authorization does not include the documentation, so no package is shared with you');
  return packages.filter((p) => p.audience === 'new-provider');
}

/** The acknowledgements of receipt on file, by package id. */
export function receiptsOf(attestations: readonly AttestationRow[]): Map<string, AttestationRow[]> {
  const by = new Map<string, AttestationRow[]>();
  for (const a of attestations) {
    const id = (a.details as { package?: { id?: string } }).package?.id;
    if (a.kind !== 'package-receipt' || !id) continue;
    by.set(id, [...(by.get(id) ?? []), a]);
  }
  return by;
}

export function presentPackage(
  row: DocumentationPackageRow,
  downloads: readonly PackageDownloadRow[],
  receipts: readonly AttestationRow[],
  names: ReadonlyMap<string, string> = new Map(),
) {
  return {
    id: row.id,
    audience: row.audience as PackageAudience,
    version: row.version,
    builtAt: isoInstant(row.builtAt),
    builtBy: names.get(row.builtBy) ?? row.builtBy,
    sha256: row.sha256,
    manifestSha256: row.manifestSha256,
    size: row.size,
    files: row.entries.length,
    items: row.counts.items ?? 0,
    counts: row.counts,
    downloads: downloads
      .filter((d) => d.packageId === row.id)
      .map((d) => ({ by: names.get(d.actor) ?? d.actor, at: isoInstant(d.at), ip: d.ip })),
    receipts: receipts.map((r) => ({
      by: r.signerName,
      email: r.signerEmail,
      side: r.party,
      at: isoInstant(r.signedAt),
      statementId: r.id,
    })),
  };
}
export type PresentedPackage = ReturnType<typeof presentPackage>;

/** Records one download with its audit event, then gives the zip to stream (read from the blobs as it goes). */
export async function deliverPackage(
  app: App,
  row: DocumentationPackageRow,
  who: { actor: string; partyId: string | null; name: string; side: string },
  request: { ip: string; userAgent: string | undefined },
) {
  const at = now(app);
  const userAgent = request.userAgent?.slice(0, 500) ?? null;
  await transaction(app, async (tx: Tx) => {
    await packagesRepo.recordDownload(tx, {
      id: newId(),
      tenantId: row.tenantId,
      packageId: row.id,
      offboardingId: row.offboardingId,
      actor: who.actor,
      partyId: who.partyId,
      ip: request.ip,
      userAgent,
      at,
    });
    await appendAuditEvent(tx, row.tenantId, at, {
      actor: who.actor,
      action: 'package.downloaded',
      subject: { type: 'documentation-package', id: row.id },
      offboardingId: row.offboardingId,
      data: {
        audience: row.audience,
        version: row.version,
        sha256: row.sha256,
        manifestSha256: row.manifestSha256,
        by: who.name,
        side: who.side,
        ip: request.ip,
        userAgent,
      },
    });
  });
  return {
    filename: `documentation-v${row.version}-${row.audience}.zip`,
    mediaType: 'application/zip',
    sha256: row.sha256,
    size: row.size,
    pieces: packageZip(row.entries, isoInstant(row.builtAt), blobReader(app, row.tenantId)),
  };
}

/** A party's view of the packages it may take (see packagesSeenBy), with the state the gates are in. */
export async function portalPackages(q: Queryable, actor: PortalActor) {
  const { state, attestations } = await letInState(q, actor);
  const all = await packagesRepo.ofOffboarding(q, actor.tenantId, actor.offboardingId);
  return { state, attestations, packages: packagesSeenBy(actor, state, all) };
}

/** The package a party names, if it may take it. */
export async function portalPackage(q: Queryable, actor: PortalActor, id: string) {
  const { packages } = await portalPackages(q, actor);
  const row = packages.find((p) => p.id === id);
  if (!row) throw new NotFoundError('documentation package', id);
  return row;
}
