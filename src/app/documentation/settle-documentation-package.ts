/**
 * The `documentation-package` task is backed by the package itself: the version the client
 * acknowledged receiving, its downloads and its manifest (filed as the task's evidence). It
 * completes by itself on the client's acknowledgement, as soon as its gates allow: at once when
 * there is no new provider, otherwise once the authorization covers the documentation.
 */
import { ConflictError } from '../../domain/errors.ts';
import type { Tx } from '../../storage/db.ts';
import { packagesRepo } from '../../storage/documentation-repository.ts';
import { type OffboardingRow, type TaskRow, attestationsRepo, blobBytes, evidenceRepo, tasksRepo } from '../../storage/repositories.ts';
import { type Actor, type App, newId } from '../context.ts';
import { gateStateOf, unmetGatesOf } from '../offboardings/offboarding-facts.ts';
import { isoInstant } from '../present.ts';
import { contentOf, fileAsEvidence } from '../tasks/attach-evidence.ts';
import { completeTaskIn } from '../tasks/complete-task.ts';
import { actorNames } from './list-packages.ts';
import { DOCUMENTATION_PACKAGE_TASK, receiptsOf } from './package-delivery.ts';

/** Who completes the task on the client's acknowledgement: offboard, on that statement. */
const receiptActor = (tenantId: string): Actor => ({ tenantId, kind: 'system', id: 'package-receipt', role: 'admin' });

/**
 * What backs a documentation-package completion when packages were built in the product: the
 * client's acknowledgement of a version is required, and its manifest becomes the task's evidence.
 * Without any package (an MSP that delivers elsewhere) the task needs an uploaded file like any other.
 */
export async function packageBacking(tx: Tx, actor: Actor, task: TaskRow, at: string) {
  const packages = await packagesRepo.ofOffboarding(tx, actor.tenantId, task.offboardingId);
  if (packages.length === 0) return undefined;
  const [attestations, downloads, names] = [
    await attestationsRepo.ofOffboarding(tx, actor.tenantId, task.offboardingId),
    await packagesRepo.downloadsOfOffboarding(tx, actor.tenantId, task.offboardingId),
    await actorNames(tx, actor.tenantId, task.offboardingId),
  ];
  const receipts = receiptsOf(attestations);
  const delivery = (audience: string) => {
    // The newest version this side acknowledged, else the newest built.
    const ofAudience = packages.filter((p) => p.audience === audience);
    const p = ofAudience.find((x) => (receipts.get(x.id) ?? []).some((r) => r.party === audience)) ?? ofAudience[0];
    if (!p) return undefined;
    const firstDownload = downloads.find((d) => d.packageId === p.id && d.partyId !== null);
    const receipt = (receipts.get(p.id) ?? []).find((r) => r.party === audience);
    return {
      row: p,
      words: {
        version: p.version,
        sha256: p.sha256,
        manifestSha256: p.manifestSha256,
        files: p.entries.length,
        downloadedBy: firstDownload ? (names.get(firstDownload.actor) ?? firstDownload.actor) : null,
        downloadedAt: firstDownload ? isoInstant(firstDownload.at) : null,
        acknowledgedBy: receipt?.signerName ?? null,
        acknowledgedAt: receipt ? isoInstant(receipt.signedAt) : null,
      },
    };
  };
  const client = delivery('client');
  if (!client?.words.acknowledgedBy)
    throw new ConflictError('the client has not acknowledged receipt of the documentation package', [
      {
        path: 'documentation',
        message: 'the client has not acknowledged receipt of a package yet (they do so in the portal, after downloading it)',
      },
    ]);
  const manifest = client.row.entries.find((e) => e.path === 'manifest.json');
  const attached = await evidenceRepo.ofTask(tx, actor.tenantId, task.id);
  if (manifest && !attached.some((e) => e.sha256 === manifest.sha256)) {
    const bytes = await blobBytes(tx, actor.tenantId, manifest.sha256);
    if (bytes)
      await fileAsEvidence(
        tx,
        actor,
        task,
        newId(),
        { filename: `manifest-v${client.row.version}.json`, mediaType: 'application/json' },
        contentOf(bytes),
        at,
      );
  }
  const newProvider = delivery('new-provider');
  return { package: client.words, ...(newProvider ? { newProviderPackage: newProvider.words } : {}) };
}

/** After a statement: completes the offboarding's package task when the client has acknowledged a package and the task may be done. */
export async function settleDocumentationPackage(tx: Tx, app: App, offboarding: OffboardingRow, at: string): Promise<void> {
  const attestations = await attestationsRepo.ofOffboarding(tx, offboarding.tenantId, offboarding.id);
  if (!attestations.some((a) => a.kind === 'package-receipt' && a.party === 'client')) return;
  const task = (await tasksRepo.ofOffboarding(tx, offboarding.tenantId, offboarding.id)).find(
    (t) => t.key === DOCUMENTATION_PACKAGE_TASK && (t.status === 'ready' || t.status === 'in-progress'),
  );
  if (!task || unmetGatesOf(task, gateStateOf(attestations)).length > 0) return;
  await completeTaskIn(tx, app, receiptActor(offboarding.tenantId), task.id, undefined, { note: undefined, checked: undefined }, at);
}
