/**
 * Each tenant's transparency log: its signing keys, signed checkpoints, proofs, and the check
 * that recomputes everything from the leaves. Appends happen in `appendAuditEvents`.
 */
import { ed25519, generateSigningKey, privateKeyFromPkcs8, sha256 } from '../../crypto/node.ts';
import { ConflictError, InputError } from '../../domain/errors.ts';
import {
  type Hash,
  type LeafRange,
  type NodeId,
  appendToRange,
  consistencyProofRanges,
  hashOf,
  inclusionProofRanges,
  nodesFor,
  rootOfRange,
  sameBytes,
} from '../../domain/merkle.ts';
import {
  type VerifierKey,
  encodeBase64,
  formatCheckpoint,
  formatVerifierKey,
  keyIdOf,
  parseCheckpoint,
  parseNote,
  parseVerifierKey,
  signNote,
  verifyNote,
} from '../../domain/signed-note.ts';
import { leafOf, splitRange } from '../../storage/audit-repository.ts';
import type { Db, Queryable, Tx } from '../../storage/db.ts';
import { type CheckpointRow, type LogKeyRow, logRepo } from '../../storage/log-repository.ts';
import { auditEvents } from '../../storage/schema.ts';
import { and, asc, count, eq, gt, lte, max } from 'drizzle-orm';
import { type OffboardingHead, formatHeadExtension } from '../../domain/evidence-bundle.ts';
import { appendAuditEvent } from '../../storage/audit-repository.ts';
import { type Actor, type App, actorRef, afterCommit, now, transaction } from '../context.ts';
import { isoInstant } from '../present.ts';

/** The log's origin line and its key name: stable for the tenant's lifetime. */
export const logOrigin = (tenantId: string): string => `offboard/${tenantId}`;

export function verifierKeyOf(row: Pick<LogKeyRow, 'name' | 'publicKey'>): string {
  return formatVerifierKey(sha256, row.name, new Uint8Array(row.publicKey));
}

/** Creates the tenant's first signing key; does nothing when one is active. Needs the server's secret key. */
export async function ensureSigningKey(tx: Tx, app: App, tenantId: string): Promise<LogKeyRow | undefined> {
  const active = await logRepo.activeKey(tx, tenantId);
  if (active || !app.secrets) return active;
  return createKey(tx, app, tenantId);
}

async function createKey(tx: Tx, app: App, tenantId: string): Promise<LogKeyRow> {
  if (!app.secrets)
    throw new ConflictError('no secret key to protect a signing key: set OFFBOARD_SECRET_KEY or keep the data folder key file');
  const name = logOrigin(tenantId);
  const key = generateSigningKey();
  const row = {
    tenantId,
    keyId: keyIdOf(sha256, name, 1, key.publicKey),
    name,
    publicKey: key.publicKey,
    sealedPrivateKey: app.secrets.seal(key.privateKeyPkcs8),
    createdAt: now(app),
    retiredAt: null,
  };
  await logRepo.insertKey(tx, row);
  return row;
}

/** A new signing key; the old ones are retired but kept, so checkpoints they signed still verify. */
export async function rotateSigningKey(app: App, actor: Actor): Promise<{ verifierKey: string }> {
  const at = now(app);
  return transaction(app, async (tx) => {
    await logRepo.stateForUpdate(tx, actor.tenantId);
    await logRepo.retireKeys(tx, actor.tenantId, at);
    const key = await createKey(tx, app, actor.tenantId);
    const verifierKey = verifierKeyOf(key);
    await appendAuditEvent(tx, actor.tenantId, at, {
      actor: actorRef(actor),
      action: 'log.key-rotated',
      subject: { type: 'log-key', id: String(key.keyId) },
      data: { verifierKey },
    });
    await signCheckpoint(tx, app, actor.tenantId, 'key-rotated', at);
    return { verifierKey };
  });
}

function signWithKey(app: App, key: LogKeyRow, text: string): string {
  if (!app.secrets) throw new ConflictError('no secret key to open the signing key with');
  return signNote(
    sha256,
    ed25519,
    text,
    key.name,
    new Uint8Array(key.publicKey),
    privateKeyFromPkcs8(app.secrets.open(key.sealedPrivateKey)),
  );
}

export type CheckpointReason =
  'offboarding-started' | 'phase-completed' | 'offboarding-closed' | 'offboarding-cancelled' | 'daily' | 'export' | 'key-rotated';

/**
 * Signs a checkpoint of the log as it stands in this transaction, unless one of this size
 * exists. Without a secret key (some tests) nothing is signed; the server always has one.
 */
export async function signCheckpoint(
  tx: Tx,
  app: App,
  tenantId: string,
  reason: CheckpointReason,
  at: string,
): Promise<CheckpointRow | undefined> {
  const state = await logRepo.stateForUpdate(tx, tenantId);
  if (!state || state.size === 0) return undefined;
  const latest = await logRepo.latestCheckpoint(tx, tenantId);
  if (latest && latest.size >= state.size) return latest;
  const key = await ensureSigningKey(tx, app, tenantId);
  if (!key || !app.secrets) return undefined;
  const origin = logOrigin(tenantId);
  const root = rootOfRange(sha256, splitRange(state.range));
  const store = app.signedCheckpoints;
  const lastSigned = await store?.last(origin);
  if (lastSigned !== undefined) await refuseUnlessExtends(tx, tenantId, lastSigned, state.size, root);
  const text = formatCheckpoint({ origin, size: state.size, root, extensions: [] });
  const note = signWithKey(app, key, text);
  const row = await logRepo.insertCheckpoint(tx, { tenantId, size: state.size, root, note, reason, signedAt: at });
  if (store && row) afterCommit(tx, () => store.record(origin, state.size, note));
  return row;
}

/** The database's log no longer extends the last checkpoint this server signed: rolled back or rewritten. */
export class LogRewrittenError extends ConflictError {
  constructor(detail: string) {
    super(`refusing to sign: ${detail}; the database was rolled back or edited since (run offboard log check)`);
    this.name = 'LogRewrittenError';
  }
}

/** Before signing size `size` with `root`: the tree must still hold, at the size last signed, the root last signed. */
async function refuseUnlessExtends(tx: Tx, tenantId: string, lastSigned: string, size: number, root: Hash): Promise<void> {
  const last = parseCheckpoint(parseNote(lastSigned).text);
  if (last.size > size) throw new LogRewrittenError(`the log has ${size} entries, but this server signed checkpoint ${last.size}`);
  const then = last.size === size ? root : await rootIn(tx, tenantId, last.size);
  if (!sameBytes(then, last.root))
    throw new LogRewrittenError(`the log's entries up to ${last.size} are not those of the checkpoint this server signed at that size`);
}

/** The root at `size` from the stored subtrees, inside a transaction. */
async function rootIn(tx: Tx, tenantId: string, size: number): Promise<Hash> {
  const range = { start: 0, end: size };
  const nodes = await logRepo.nodesIn(tx, tenantId, nodesFor([range]));
  return hashOf(sha256, range, (id) => {
    const h = nodes.get(`${id.level}/${id.index}`);
    if (!h) throw new LogRewrittenError(`subtree ${id.level}/${id.index} under checkpoint ${size} is missing`);
    return h;
  });
}

/**
 * The offboarding's head at a signed checkpoint (its event count there and the last of them),
 * signed by the log's key as a checkpoint of the same size and root with the head as an
 * extension line. Ed25519 signatures are deterministic: the same head always gives the same note.
 */
export async function signOffboardingHead(
  q: Queryable,
  app: App,
  tenantId: string,
  offboardingId: string,
  checkpoint: { size: number; root: Uint8Array },
): Promise<{ note: string; head: OffboardingHead }> {
  const [counted] = await q
    .select({ events: count(), lastSeq: max(auditEvents.seq) })
    .from(auditEvents)
    .where(and(eq(auditEvents.tenantId, tenantId), eq(auditEvents.offboardingId, offboardingId), lte(auditEvents.seq, checkpoint.size)));
  const key = await logRepo.activeKey(q, tenantId);
  if (!key || !app.secrets || !counted?.lastSeq)
    throw new ConflictError('the offboarding has no signed events yet, or the log has no signing key');
  const head: OffboardingHead = { offboarding: offboardingId, events: Number(counted.events), lastSeq: Number(counted.lastSeq) };
  const text = formatCheckpoint({
    origin: logOrigin(tenantId),
    size: checkpoint.size,
    root: new Uint8Array(checkpoint.root),
    extensions: [formatHeadExtension(head)],
  });
  return { note: signWithKey(app, key, text), head };
}

export type LogStatus = {
  origin: string;
  size: number;
  root: string;
  verifierKeys: { verifierKey: string; active: boolean; createdAt: string }[];
  lastCheckpoint: { size: number; note: string; reason: string; signedAt: string } | null;
};

export async function logStatus(app: App, tenantId: string): Promise<LogStatus> {
  const q = app.database.db;
  const state = await logRepo.state(q, tenantId);
  const keys = await logRepo.keys(q, tenantId);
  const last = await logRepo.latestCheckpoint(q, tenantId);
  return {
    origin: logOrigin(tenantId),
    size: state?.size ?? 0,
    root: encodeBase64(rootOfRange(sha256, splitRange(state?.range ?? new Uint8Array()))),
    verifierKeys: keys.map((k) => ({ verifierKey: verifierKeyOf(k), active: k.retiredAt === null, createdAt: isoInstant(k.createdAt) })),
    lastCheckpoint: last ? { size: last.size, note: last.note, reason: last.reason, signedAt: isoInstant(last.signedAt) } : null,
  };
}

/** The tenant's verifier key for messages to clients, creating the signing key when missing. */
export async function currentVerifierKey(tx: Tx, app: App, tenantId: string): Promise<string | undefined> {
  const key = await ensureSigningKey(tx, app, tenantId);
  return key ? verifierKeyOf(key) : undefined;
}

/**
 * The hashes of many proofs' ranges, from one read of the stored subtrees they need; `size` is
 * the largest tree size asked about, refused (naming `what`) when the log is smaller.
 */
export async function proofHashes(q: Db, tenantId: string, proofs: readonly LeafRange[][], size: number, what: string): Promise<Hash[][]> {
  const { nodes: found, size: logSize } = await logRepo.nodesAndSize(q, tenantId, nodesFor(proofs.flat()));
  checkSize(size, logSize, what);
  const node = (id: NodeId) => {
    const h = found.get(`${id.level}/${id.index}`);
    if (!h) throw new Error(`the log is missing subtree ${id.level}/${id.index}; run offboard log check`);
    return h;
  };
  return proofs.map((ranges) => ranges.map((r) => hashOf(sha256, r, node)));
}

async function hashesOf(q: Db, tenantId: string, ranges: LeafRange[], size: number, what: string): Promise<Hash[]> {
  return (await proofHashes(q, tenantId, [ranges], size, what))[0] as Hash[];
}

function checkSize(size: number, logSize: number, what: string): void {
  if (!Number.isSafeInteger(size) || size < 0 || size > logSize)
    throw new InputError('invalid proof request', [{ path: what, message: `must be a whole number from 0 to the log size ${logSize}` }]);
}

/** The inclusion proof of leaf `index` in the tree of `size` leaves. */
export async function inclusionProof(q: Db, tenantId: string, index: number, size: number): Promise<Hash[]> {
  if (!Number.isSafeInteger(size) || size < 1)
    throw new InputError('invalid proof request', [{ path: 'size', message: 'must be a whole number from 1 to the log size' }]);
  if (!Number.isSafeInteger(index) || index < 0 || index >= size)
    throw new InputError('invalid proof request', [{ path: 'index', message: `must be below the size ${size}` }]);
  return hashesOf(q, tenantId, inclusionProofRanges(index, size), size, 'size');
}

/** The consistency proof from the tree of `from` leaves to the tree of `to` leaves. */
export async function consistencyProof(q: Db, tenantId: string, from: number, to: number): Promise<Hash[]> {
  if (!Number.isSafeInteger(to) || to < 1)
    throw new InputError('invalid proof request', [{ path: 'to', message: 'must be a whole number from 1 to the log size' }]);
  if (!Number.isSafeInteger(from) || from < 1 || from > to)
    throw new InputError('invalid proof request', [{ path: 'from', message: `must be from 1 to ${to}` }]);
  return hashesOf(q, tenantId, consistencyProofRanges(from, to), to, 'to');
}

/** The root of the tree at any size up to the log's, from stored subtrees. */
export async function rootAt(q: Db, tenantId: string, size: number): Promise<Hash> {
  const [root] = await hashesOf(q, tenantId, [{ start: 0, end: size }], size, 'size');
  return root as Hash;
}

export type LogCheck = { tenantId: string; events: number; nodes: number; checkpoints: number; problems: string[] };

/**
 * Recomputes the whole tree from the stored event bytes and compares every stored subtree, the
 * compact range, and every signed checkpoint (root and signature) with it.
 */
export async function checkLog(q: Queryable, tenantId: string, options: { lastSigned?: string | undefined } = {}): Promise<LogCheck> {
  const problems: string[] = [];
  // The last checkpoint this server signed, as kept outside the database: the database must still extend it.
  const lastSigned = options.lastSigned === undefined ? undefined : parseCheckpoint(parseNote(options.lastSigned).text);
  const state = await logRepo.state(q, tenantId);
  if (!state) throw new InputError('invalid tenant', [{ path: 'tenant', message: 'does not exist' }]);
  const checkpointRows = await logRepo.checkpoints(q, tenantId);
  const wantedRoots = new Set([...checkpointRows.map((c) => c.size), ...(lastSigned ? [lastSigned.size] : [])]);
  const computed = new Map<string, Hash>();
  let tree = { range: [] as Hash[], size: 0 };
  const rootsAt = new Map<number, Hash>();
  if (wantedRoots.has(0)) rootsAt.set(0, rootOfRange(sha256, []));
  for (let after = 0; ;) {
    const page = await q
      .select({ seq: auditEvents.seq, canonical: auditEvents.canonical })
      .from(auditEvents)
      .where(and(eq(auditEvents.tenantId, tenantId), gt(auditEvents.seq, after)))
      .orderBy(asc(auditEvents.seq))
      .limit(5000);
    if (page.length === 0) break;
    for (const e of page) {
      if (e.seq !== tree.size + 1) problems.push(`event ${tree.size + 1} is missing (next stored is ${e.seq})`);
      const canonicalSeq = (JSON.parse(e.canonical) as { seq?: unknown }).seq;
      if (canonicalSeq !== e.seq) problems.push(`event ${e.seq} says it is number ${String(canonicalSeq)}`);
      const next = appendToRange(sha256, tree.range, tree.size, [leafOf(e.canonical)]);
      for (const n of next.completed) computed.set(`${n.level}/${n.index}`, n.hash);
      tree = next;
      if (wantedRoots.has(tree.size)) rootsAt.set(tree.size, rootOfRange(sha256, tree.range));
      after = e.seq;
    }
  }
  if (tree.size !== state.seq) problems.push(`${tree.size} events stored, but ${state.seq} sequence numbers handed out`);
  if (state.size !== tree.size) problems.push(`the log says it has ${state.size} leaves, the events make ${tree.size}`);
  const storedRange = splitRange(state.range);
  if (storedRange.length !== tree.range.length || storedRange.some((h, i) => !sameBytes(h, tree.range[i] as Hash)))
    problems.push('the stored compact range differs from the one the events make');
  let stored = 0;
  for (let after: { level: number; idx: number } | null = null; ;) {
    const page = await logRepo.nodePage(q, tenantId, after, 10_000);
    if (page.length === 0) break;
    for (const n of page) {
      stored += 1;
      const want = computed.get(`${n.level}/${n.idx}`);
      if (!want) problems.push(`stored subtree ${n.level}/${n.idx} is not part of the tree the events make`);
      else if (!sameBytes(want, new Uint8Array(n.hash))) problems.push(`stored subtree ${n.level}/${n.idx} has the wrong hash`);
    }
    const last = page[page.length - 1] as { level: number; idx: number };
    after = { level: last.level, idx: last.idx };
  }
  if (stored !== computed.size) problems.push(`${stored} subtrees stored, the events make ${computed.size}`);
  if (lastSigned) {
    const root = rootsAt.get(lastSigned.size);
    if (!root)
      problems.push(
        `this server signed checkpoint ${lastSigned.size} (kept outside the database), but the database holds ${tree.size} events: the log was rolled back`,
      );
    else if (!sameBytes(root, lastSigned.root))
      problems.push(
        `the events up to ${lastSigned.size} are not those of the checkpoint this server signed at that size (kept outside the database): the log was rewritten`,
      );
  }
  const keys: VerifierKey[] = (await logRepo.keys(q, tenantId)).map((k) => parseVerifierKey(sha256, verifierKeyOf(k)));
  for (const c of checkpointRows) {
    try {
      const { text } = verifyNote(ed25519, c.note, keys);
      const cp = parseCheckpoint(text);
      if (cp.origin !== logOrigin(tenantId)) problems.push(`checkpoint ${c.size} has origin ${cp.origin}`);
      if (cp.size !== c.size) problems.push(`checkpoint ${c.size} says size ${cp.size}`);
      const root = rootsAt.get(c.size);
      if (!root) problems.push(`checkpoint ${c.size} is beyond the ${tree.size} events stored`);
      else if (!sameBytes(root, cp.root)) problems.push(`checkpoint ${c.size} signs a root the events do not make`);
    } catch (e) {
      problems.push(`checkpoint ${c.size}: ${(e as Error).message}`);
    }
  }
  return { tenantId, events: tree.size, nodes: stored, checkpoints: checkpointRows.length, problems };
}
