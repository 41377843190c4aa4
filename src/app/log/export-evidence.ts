/**
 * Exports one offboarding's evidence bundle: its events with an inclusion proof each against a
 * fresh signed checkpoint, the checkpoints signed since it started chained by consistency
 * proofs, and the digests (optionally the bytes) of every file and statement the events cite.
 */
import { zipSync } from 'fflate';
import { and, asc, eq, inArray } from 'drizzle-orm';
import { type BundleInput, type Manifest, BUNDLE_FORMAT, bundleFiles, citedDigests } from '../../domain/evidence-bundle.ts';
import { ConflictError, NotFoundError } from '../../domain/errors.ts';
import { consistencyProofRanges, inclusionProofRanges } from '../../domain/merkle.ts';
import { formatConsistencyProof, formatTlogProof } from '../../domain/signed-note.ts';
import { appendAuditEvent } from '../../storage/audit-repository.ts';
import { logRepo } from '../../storage/log-repository.ts';
import { blobBytes, clientsRepo, offboardingsRepo } from '../../storage/repositories.ts';
import { attestations, auditEvents } from '../../storage/schema.ts';
import { type Actor, type App, actorRef, now, transaction } from '../context.ts';
import { sha256Hex } from '../digest.ts';
import { logOrigin, proofHashes, signCheckpoint, signOffboardingHead } from './transparency-log.ts';
import { cosignNow, cosignaturesOf } from './witnesses.ts';
import { withSignatures } from '../../domain/cosignature.ts';

export type EvidenceExport = { zip: Uint8Array; filename: string; manifest: Manifest; sha256: string };

export async function exportEvidence(
  app: App,
  actor: Actor,
  offboardingId: string,
  options: { includeFiles?: boolean } = {},
): Promise<EvidenceExport> {
  const q = app.database.db;
  const tenantId = actor.tenantId;
  const offboarding = await offboardingsRepo.get(q, tenantId, offboardingId);
  if (!offboarding) throw new NotFoundError('offboarding', offboardingId);
  const client = await clientsRepo.get(q, tenantId, offboarding.clientId);
  const at = now(app);
  // Everything the offboarding did so far is covered by a checkpoint signed now (unless one already is).
  const signed = await transaction(app, (tx) => signCheckpoint(tx, app, tenantId, 'export', at));
  if (!signed)
    throw new ConflictError(
      'the log has no signing key: the server needs its secret key (OFFBOARD_SECRET_KEY or the data folder key file)',
    );
  // The witnesses are asked now, so the final checkpoint carries their cosignatures (one that cannot be reached is left out).
  await cosignNow(app, tenantId);

  const events = await q
    .select({ seq: auditEvents.seq, canonical: auditEvents.canonical })
    .from(auditEvents)
    .where(and(eq(auditEvents.tenantId, tenantId), eq(auditEvents.offboardingId, offboardingId)))
    .orderBy(asc(auditEvents.seq));
  const inBundle = events.filter((e) => e.seq <= signed.size);
  const { note: head } = await signOffboardingHead(q, app, tenantId, offboardingId, signed);
  const firstSeq = inBundle[0]?.seq ?? signed.size;
  const stored = (await logRepo.checkpoints(q, tenantId, firstSeq)).filter((c) => c.size <= signed.size);
  const cosigned = await cosignaturesOf(
    app,
    tenantId,
    stored.map((c) => c.size),
  );
  const checkpoints = stored.map((c) => ({ ...c, note: withSignatures(c.note, cosigned.get(c.size) ?? []) }));
  const final = checkpoints[checkpoints.length - 1] as (typeof checkpoints)[number];

  const [inclusion, consistency] = [
    await proofHashes(
      q,
      tenantId,
      inBundle.map((e) => inclusionProofRanges(e.seq - 1, final.size)),
      final.size,
      'checkpoint',
    ),
    await proofHashes(
      q,
      tenantId,
      checkpoints.slice(1).map((c, i) => consistencyProofRanges((checkpoints[i] as { size: number }).size, c.size)),
      final.size,
      'checkpoint',
    ),
  ];

  const cited = new Map<string, string>();
  for (const e of inBundle)
    for (const [digest, name] of citedDigests(JSON.parse(e.canonical) as { action: string; data: Record<string, unknown> }))
      cited.set(digest, name);
  const artifacts = new Map<string, Uint8Array>();
  if (options.includeFiles && cited.size > 0) {
    const digests = [...cited.keys()];
    for (const digest of digests) {
      const bytes = await blobBytes(q, tenantId, digest);
      if (bytes) artifacts.set(digest, bytes);
    }
    for (const s of await q
      .select({ sha256: attestations.statementSha256, statement: attestations.statement })
      .from(attestations)
      .where(and(eq(attestations.tenantId, tenantId), inArray(attestations.statementSha256, digests))))
      artifacts.set(s.sha256, new TextEncoder().encode(s.statement));
  }

  const manifest: Manifest = {
    format: BUNDLE_FORMAT,
    origin: logOrigin(tenantId),
    tenant: tenantId,
    offboarding: { id: offboardingId, client: client?.name ?? '', type: offboarding.type },
    exportedAt: at,
    events: inBundle.length,
    checkpoints: checkpoints.map((c) => c.size),
    artifacts: [...cited].map(([digest, name]) => ({
      sha256: digest,
      kind: name.startsWith('statement: ') ? 'statement' : 'evidence',
      name,
      included: artifacts.has(digest),
    })),
  };
  const input: BundleInput = {
    manifest,
    events: inBundle.map((e) => e.canonical),
    proofs: new Map(
      inBundle.map((e, i) => [
        e.seq,
        formatTlogProof({ extra: null, index: e.seq - 1, proof: inclusion[i] ?? [], checkpoint: final.note }),
      ]),
    ),
    checkpoints: checkpoints.map((c) => ({ size: c.size, note: c.note })),
    head,
    consistency: checkpoints.slice(1).map((c, i) => {
      const from = (checkpoints[i] as { size: number }).size;
      return { from, to: c.size, text: formatConsistencyProof({ from, to: c.size, proof: consistency[i] ?? [] }) };
    }),
    artifacts,
  };
  const mtime = new Date(at);
  const zip = zipSync(Object.fromEntries([...bundleFiles(input)].map(([name, bytes]) => [name, [bytes, { mtime }]])), { level: 6 });
  const digest = sha256Hex(zip);
  await transaction(app, (tx) =>
    appendAuditEvent(tx, tenantId, now(app), {
      actor: actorRef(actor),
      action: 'evidence.exported',
      subject: { type: 'offboarding', id: offboardingId },
      data: { events: inBundle.length, checkpoint: final.size, includeFiles: Boolean(options.includeFiles), bundleSha256: digest },
    }),
  );
  return {
    zip,
    filename: `evidence-${(client?.name ?? 'offboarding').replace(/[^A-Za-z0-9]+/g, '-')}-${final.size}.zip`,
    manifest,
    sha256: digest,
  };
}
