/**
 * Builds a new version of an offboarding's documentation package for an audience. The generated
 * files are stored as blobs first (content-addressed, so a build that fails leaves nothing that
 * matters), the zip is then read through once to measure its digest, and one transaction records
 * the version with its audit event, which carries the manifest's and the zip's digests.
 *
 * Building for the new provider builds the client's copy from the same items at the same time:
 * the client receives everything the new provider receives.
 */
import { sql } from 'drizzle-orm';
import { z } from 'zod';
import { type ItemOwner, registerGap, summarizeRegister } from '../../domain/documentation.ts';
import { AUDIENCE_WORDS, PACKAGE_AUDIENCES, type PackageAudience, itemGoesTo } from '../../domain/documentation-package.ts';
import { ConflictError, InputError } from '../../domain/errors.ts';
import { covers } from '../../domain/gates.ts';
import { type DocumentationPackageRow, packagesRepo } from '../../storage/documentation-repository.ts';
import { storedFilesInOrder } from '../../storage/blob-stream.ts';
import { offboardings } from '../../storage/schema.ts';
import type { Tx } from '../../storage/db.ts';
import { type OffboardingRow, partiesRepo } from '../../storage/repositories.ts';
import { packageReady } from '../../domain/messages.ts';
import { publicUrlOf, queueWrittenEmail } from '../portal/portal-links.ts';
import { type Actor, type App, actorRef, newId, now, parseInput, transaction } from '../context.ts';
import { gateStateOf, loadOffboarding } from '../offboardings/offboarding-facts.ts';
import { isLive, linkWords } from '../portal/parties.ts';
import { storeBlob } from '../portal/signing-certificate.ts';
import { audit } from '../tasks/task-changes.ts';
import { countedRegister } from './ownership-register.ts';
import { type PackagedItem, packageContent } from './package-content.ts';
import { type ReadBlobs, assertZipFits, measureZip, packageZip } from './package-zip.ts';

export const BuildPackageInput = z.object({ audience: z.enum(PACKAGE_AUDIENCES) }).strict();

/** Reads a tenant's stored files for zipping, a few pieces ahead. */
export const blobReader =
  (app: App, tenantId: string): ReadBlobs =>
  (files) =>
    storedFilesInOrder(app.database, tenantId, files);

export const PACKAGE_READY_KIND = 'package-ready';

/** Emails the parties of the copy's side (with access) that a version is ready, in the version's transaction. */
async function tellRecipients(
  tx: Tx,
  app: App,
  o: OffboardingRow,
  row: DocumentationPackageRow,
  words: { clientName: string; mspName: string },
  items: number,
  withNewProvider: DocumentationPackageRow | undefined,
): Promise<void> {
  const side = row.audience as PackageAudience;
  const recipients = (await partiesRepo.ofOffboarding(tx, o.tenantId, o.id)).filter((p) => p.side === side && !p.accessRevokedAt);
  const mail = packageReady({
    ...words,
    recipientSide: side,
    newProvider: o.newProvider?.name ?? null,
    version: row.version,
    items,
    files: row.entries.length,
    size: row.size,
    sha256: row.sha256,
    manifestSha256: row.manifestSha256,
    portalUrl: `${publicUrlOf(app)}/portal`,
    newProviderVersion: withNewProvider?.version,
  });
  for (const party of recipients)
    await queueWrittenEmail(tx, app, {
      tenantId: o.tenantId,
      key: `${o.id}:${PACKAGE_READY_KIND}:${row.id}`,
      offboardingId: o.id,
      kind: PACKAGE_READY_KIND,
      recipient: party.email,
      subject: mail.subject,
      body: mail.body,
      at: row.builtAt,
    });
}

export async function buildPackage(app: App, actor: Actor, offboardingId: string, input: unknown): Promise<DocumentationPackageRow[]> {
  const { audience } = parseInput(BuildPackageInput, input);
  const db = app.database.db;
  const loaded = await loadOffboarding(db, actor.tenantId, offboardingId);
  const o = loaded.offboarding;
  if (!isLive(o)) throw new ConflictError(`the offboarding is ${o.status}`);
  const state = gateStateOf(loaded.attestations);
  if (audience === 'new-provider') {
    if (!o.newProvider) throw new InputError('invalid package', [{ path: 'audience', message: 'this offboarding has no new provider' }]);
    if (!covers(state, 'documentation'))
      throw new ConflictError('nothing goes to the new provider before the client authorizes it', [
        { path: 'gates.authorization', message: 'no authorization covering documentation is on file' },
      ]);
  }
  const gap = registerGap(summarizeRegister(await countedRegister(db, actor.tenantId, o.clientId)));
  if (gap) throw new ConflictError('the ownership register is not complete', [{ path: 'documentation', message: gap }]);
  const rows = await packagesRepo.packagedItems(db, actor.tenantId, o.clientId);
  const words = await linkWords(db, o);
  const audiences: PackageAudience[] = audience === 'new-provider' ? ['new-provider', 'client'] : ['client'];
  const built: DocumentationPackageRow[] = [];
  const at = now(app);
  for (const each of audiences) {
    const items = rows.filter((r) => itemGoesTo({ owner: r.owner as ItemOwner, mspInternal: r.mspInternal }, each, true)) as PackagedItem[];
    const version = (await packagesRepo.latestVersion(db, actor.tenantId, o.id, each)) + 1;
    const content = await packageContent(
      {
        msp: words.mspName,
        client: words.clientName,
        newProvider: o.newProvider?.name ?? null,
        audience: each,
        version,
        builtAt: at,
        endDate: o.endDate,
      },
      items,
    );
    assertZipFits(content.entries);
    await transaction(app, async (tx) => {
      for (const file of content.generated) await storeBlob(tx, actor.tenantId, file.bytes);
    });
    const zip = await measureZip(packageZip(content.entries, at, blobReader(app, actor.tenantId)));
    const row: DocumentationPackageRow = {
      id: newId(),
      tenantId: actor.tenantId,
      offboardingId: o.id,
      audience: each,
      version,
      entries: content.entries,
      manifestSha256: content.manifestSha256,
      sha256: zip.sha256,
      size: zip.size,
      counts: content.counts,
      builtBy: actorRef(actor),
      builtAt: at,
    };
    await transaction(app, async (tx) => {
      // Builds of one offboarding take turns here, so each version number is given once.
      await tx.execute(sql`select 1 from ${offboardings} where ${offboardings.id} = ${o.id} for update`);
      if ((await packagesRepo.latestVersion(tx, actor.tenantId, o.id, each)) !== version - 1)
        throw new ConflictError(`another version of the ${each} package was built meanwhile; build again`);
      await packagesRepo.insert(tx, row);
      await tellRecipients(
        tx,
        app,
        o,
        row,
        words,
        items.length,
        each === 'client' ? built.find((p) => p.audience === 'new-provider') : undefined,
      );
      await audit(tx, actor, at, {
        action: 'package.built',
        subject: { type: 'documentation-package', id: row.id },
        offboardingId: o.id,
        data: {
          audience: each,
          version,
          manifestSha256: row.manifestSha256,
          sha256: row.sha256,
          size: row.size,
          files: content.entries.length,
          items: items.length,
          for: AUDIENCE_WORDS[each],
        },
      });
    });
    built.push(row);
  }
  return built;
}
