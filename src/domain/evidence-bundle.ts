/**
 * The evidence bundle of one offboarding and its offline verifier. A bundle is a set of files:
 *
 *   manifest.json                 canonical JSON: origin, offboarding, file list, artifacts
 *   events.jsonl                  the offboarding's audit events, one per line, the exact bytes hashed
 *   proofs/<seq>.tlog-proof       each event's inclusion proof against the final checkpoint (c2sp.org/tlog-proof)
 *   checkpoints/<size>.checkpoint signed checkpoints (c2sp.org/tlog-checkpoint), oldest first
 *   consistency/<a>-<b>.proof     consistency proofs chaining consecutive checkpoints
 *   head.checkpoint               the final checkpoint again, with the offboarding's head (event
 *                                 count and last event) as an extension line, signed by the log
 *   artifacts/<sha256>            optional: the files and statements the events cite by digest
 *   README.txt                    how to verify (informational, not verified)
 *
 * Pure: SHA-256 and Ed25519 are passed in; the caller unzips.
 */
import { Temporal } from 'temporal-polyfill';
import { z } from 'zod';
import { STATEMENT_TITLES } from './statements.ts';
import { canonicalJson } from './audit.ts';
import { verifyCosignature } from './cosignature.ts';
import { type Hash, type Sha256, leafHash, verifyConsistency, verifyInclusion } from './merkle.ts';
import {
  type Ed25519,
  type VerifierKey,
  FormatError,
  normalizePastedNote,
  parseCheckpoint,
  parseConsistencyProof,
  parseTlogProof,
  verifyNote,
} from './signed-note.ts';

export const BUNDLE_FORMAT = 'offboard-evidence/v1';
export const HEAD_FILE = 'head.checkpoint';

/**
 * An offboarding's head at a checkpoint: how many of its events the log holds at that size and
 * the last of them. Carried as an extension line of a checkpoint signed by the log's key (same
 * origin, size and root as the plain one), so a bundle or a client's copy that commits to it
 * cannot later be matched by a bundle with the tail of the offboarding dropped.
 */
export type OffboardingHead = { offboarding: string; events: number; lastSeq: number };
const HEAD_PREFIX = 'offboard-head ';

export function formatHeadExtension(h: OffboardingHead): string {
  return `${HEAD_PREFIX}${h.offboarding} ${h.events} ${h.lastSeq}`;
}

/** The heads a checkpoint's extension lines carry; other extension lines are not ours and are ignored. */
export function headsOf(extensions: readonly string[]): OffboardingHead[] {
  return extensions
    .filter((l) => l.startsWith(HEAD_PREFIX))
    .map((l) => {
      const m = /^offboard-head (\S+) ([1-9]\d{0,15}) ([1-9]\d{0,15})$/.exec(l);
      if (!m) throw new FormatError(`checkpoint: malformed offboarding head "${l.slice(0, 80)}"`);
      return { offboarding: m[1] as string, events: Number(m[2]), lastSeq: Number(m[3]) };
    });
}
export const README_FILE = 'README.txt';

const Sha256Hex = z.string().regex(/^[0-9a-f]{64}$/, 'must be 64 lowercase hex digits');

export const Manifest = z
  .object({
    format: z.literal(BUNDLE_FORMAT),
    origin: z.string().min(1),
    tenant: z.string().min(1),
    offboarding: z.object({ id: z.string().min(1), client: z.string(), type: z.string() }).strict(),
    exportedAt: z.string(),
    events: z.number().int().nonnegative(),
    checkpoints: z.array(z.number().int().positive()).min(1),
    artifacts: z.array(
      z.object({ sha256: Sha256Hex, kind: z.enum(['evidence', 'statement']), name: z.string(), included: z.boolean() }).strict(),
    ),
  })
  .strict();
export type Manifest = z.infer<typeof Manifest>;

/** An event as hashed: what the verifier reads of it. */
const BundleEvent = z
  .object({
    seq: z.number().int().positive(),
    tenant: z.string(),
    at: z.string(),
    actor: z.string(),
    by: z.object({ name: z.string(), role: z.string() }).strict().optional(),
    action: z.string(),
    subject: z.object({ type: z.string(), id: z.string() }).strict(),
    offboarding: z.string(),
    chain: z.object({ n: z.number().int().positive(), prev: z.number().int().positive().nullable() }).strict(),
    data: z.record(z.string(), z.unknown()),
  })
  .strict();
type BundleEvent = z.infer<typeof BundleEvent>;

export type BundleInput = {
  manifest: Manifest;
  /** Canonical bytes of each event, in sequence order. */
  events: readonly string[];
  proofs: ReadonlyMap<number, string>;
  checkpoints: readonly { size: number; note: string }[];
  /** The final checkpoint with the offboarding's head as an extension line. */
  head: string;
  consistency: readonly { from: number; to: number; text: string }[];
  artifacts: ReadonlyMap<string, Uint8Array>;
};

const utf8 = new TextEncoder();

export function bundleFiles(input: BundleInput): Map<string, Uint8Array> {
  const files = new Map<string, Uint8Array>();
  files.set('manifest.json', utf8.encode(canonicalJson(input.manifest)));
  files.set('events.jsonl', utf8.encode(input.events.map((e) => `${e}\n`).join('')));
  for (const [seq, text] of input.proofs) files.set(`proofs/${seq}.tlog-proof`, utf8.encode(text));
  for (const c of input.checkpoints) files.set(`checkpoints/${c.size}.checkpoint`, utf8.encode(c.note));
  for (const c of input.consistency) files.set(`consistency/${c.from}-${c.to}.proof`, utf8.encode(c.text));
  files.set(HEAD_FILE, utf8.encode(input.head));
  for (const [sha, bytes] of input.artifacts) files.set(`artifacts/${sha}`, bytes);
  files.set(README_FILE, utf8.encode(readme(input.manifest)));
  return files;
}

function readme(m: Manifest): string {
  return [
    `Evidence bundle: offboarding of ${m.offboarding.client} (${m.offboarding.id})`,
    `Log: ${m.origin}; ${m.events} events; exported ${m.exportedAt}.`,
    '',
    "Verify it offline with the MSP's verifier key (from any email they sent you):",
    '  offboard verify THIS.zip --key VERIFIER-KEY [--known-checkpoint CHECKPOINT-YOU-RECEIVED]',
    'The checkpoint you received is the attachment of the closing email, or its text pasted into a',
    'file. Without this repository: the single-file verifier offboard-verify.mjs (Node 18 or later)',
    "or the verify page, both served by the MSP's offboard server at /verify/.",
    '',
    'Every event is checked against a signed checkpoint by its inclusion proof; checkpoints are',
    'chained by consistency proofs; head.checkpoint and the checkpoint you received say how many',
    'events the offboarding had, so none can be left out; cited files are checked against their',
    'SHA-256. This file is informational and not verified.',
    '',
  ].join('\n');
}

/** A bundle that cannot be read at all (exit 2), as opposed to one that reads but does not verify (exit 1). */
export class MalformedBundle extends Error {}

export type Verdict = { valid: boolean; problems: string[]; summary: string[]; facts: string[] };

export type VerifyOptions = {
  keys: readonly VerifierKey[];
  knownCheckpoint?: string | undefined;
  /** Witnesses whose cosignature the final checkpoint must carry. */
  witnesses?: readonly VerifierKey[] | undefined;
  sha256: Sha256;
  ed25519: Ed25519;
};

const decoder = new TextDecoder('utf-8', { fatal: true });

function text(files: ReadonlyMap<string, Uint8Array>, name: string): string {
  const bytes = files.get(name);
  if (!bytes) throw new FormatError(`${name} is missing`);
  try {
    return decoder.decode(bytes);
  } catch {
    throw new FormatError(`${name} is not valid UTF-8`);
  }
}

const hex = (h: Uint8Array) => Array.from(h, (b) => b.toString(16).padStart(2, '0')).join('');

/** Reads the manifest strictly: canonical JSON of the declared shape, nothing else. */
export function readManifest(files: ReadonlyMap<string, Uint8Array>): Manifest {
  let raw: unknown;
  try {
    raw = JSON.parse(text(files, 'manifest.json'));
  } catch (e) {
    throw new MalformedBundle(`manifest.json: ${(e as Error).message}`);
  }
  const parsed = Manifest.safeParse(raw);
  if (!parsed.success)
    throw new MalformedBundle(
      `manifest.json: ${parsed.error.issues.map((i) => `${i.path.join('.') || '(root)'}: ${i.message}`).join('; ')}`,
    );
  if (canonicalJson(parsed.data) !== text(files, 'manifest.json')) throw new MalformedBundle('manifest.json: not canonical JSON');
  return parsed.data;
}

/**
 * Verifies a bundle: signatures of every checkpoint, the consistency chain between them (and to a
 * checkpoint the reader already holds), every event's inclusion proof, the per-offboarding chain
 * (nothing dropped, reordered or repeated), artifact digests, and that no file is unaccounted for.
 */
export function verifyBundle(files: ReadonlyMap<string, Uint8Array>, options: VerifyOptions): Verdict {
  const manifest = readManifest(files);
  const problems: string[] = [];
  const summary: string[] = [];
  const facts: string[] = [];
  const backing = emptyBacking();
  const expected = new Set(['manifest.json', 'events.jsonl', README_FILE, HEAD_FILE]);
  const fail = (message: string) => {
    problems.push(message);
    return { valid: false, problems, summary, facts };
  };
  try {
    // Checkpoints: each signed by a known key, of this log, growing, chained by consistency proofs.
    const checkpoints: { size: number; root: Hash; note: string }[] = [];
    for (const size of manifest.checkpoints) {
      const name = `checkpoints/${size}.checkpoint`;
      expected.add(name);
      const note = text(files, name);
      const { text: body, signedBy } = verifyNote(options.ed25519, note, options.keys);
      const cp = parseCheckpoint(body);
      if (cp.origin !== manifest.origin) return fail(`${name}: origin ${cp.origin} is not the bundle's log ${manifest.origin}`);
      if (cp.size !== size) return fail(`${name}: it is of size ${cp.size}`);
      const previous = checkpoints[checkpoints.length - 1];
      if (previous && previous.size >= size) return fail(`${name}: checkpoints are not in increasing size order`);
      if (previous) {
        const proofName = `consistency/${previous.size}-${size}.proof`;
        expected.add(proofName);
        const proof = parseConsistencyProof(text(files, proofName));
        if (proof.from !== previous.size || proof.to !== size) return fail(`${proofName}: it is from ${proof.from} to ${proof.to}`);
        try {
          verifyConsistency(options.sha256, previous.size, size, proof.proof, previous.root, cp.root);
        } catch (e) {
          return fail(`checkpoint ${size} is not an extension of checkpoint ${previous.size} (a forked log?): ${(e as Error).message}`);
        }
      }
      checkpoints.push({ size, root: cp.root, note });
      summary.push(`checkpoint ${size} signed by ${signedBy.map((k) => k.vkey.split('+').slice(0, 2).join('+')).join(', ')}`);
    }
    const final = checkpoints[checkpoints.length - 1] as { size: number; root: Hash; note: string };

    // Witnesses: each one asked for has cosigned the final checkpoint (it saw no other history).
    for (const w of options.witnesses ?? []) {
      const at = verifyCosignature(options.ed25519, final.note, w);
      if (at === undefined) return fail(`checkpoint ${final.size} carries no cosignature of witness ${w.name}`);
      summary.push(
        `checkpoint ${final.size} cosigned by witness ${w.name} at ${Temporal.Instant.fromEpochMilliseconds(at * 1000).toString()}`,
      );
    }

    // The offboarding's head at the final checkpoint, signed by the log: how many events it has there, and the last.
    const head = (() => {
      const cp = parseCheckpoint(verifyNote(options.ed25519, text(files, HEAD_FILE), options.keys).text);
      if (cp.origin !== manifest.origin || cp.size !== final.size || hex(cp.root) !== hex(final.root))
        return `${HEAD_FILE}: it is not the final checkpoint ${final.size} of ${manifest.origin}`;
      const mine = headsOf(cp.extensions).filter((h) => h.offboarding === manifest.offboarding.id);
      if (mine.length !== 1) return `${HEAD_FILE}: it does not name the head of offboarding ${manifest.offboarding.id}`;
      return mine[0] as OffboardingHead;
    })();
    if (typeof head === 'string') return fail(head);

    // A checkpoint the reader holds (the client's copy at close) must be one of the chain, root for
    // root; when it names this offboarding's head, the bundle must hold exactly those events up to it.
    let knownHead: (OffboardingHead & { size: number }) | undefined;
    if (options.knownCheckpoint !== undefined) {
      const known = parseCheckpoint(verifyNote(options.ed25519, normalizePastedNote(options.knownCheckpoint), options.keys).text);
      if (known.origin !== manifest.origin) return fail(`the checkpoint you hold is of log ${known.origin}, not ${manifest.origin}`);
      if (known.size > final.size)
        return fail(`the bundle is stale: it ends at checkpoint ${final.size}, but you hold checkpoint ${known.size}`);
      const same = checkpoints.find((c) => c.size === known.size);
      if (!same) return fail(`the bundle does not contain the checkpoint you hold (size ${known.size}), so it cannot show it extends it`);
      if (hex(same.root) !== hex(known.root))
        return fail(`forked log: at size ${known.size} the bundle's root differs from the checkpoint you hold`);
      const heads = headsOf(known.extensions);
      const mine = heads.find((h) => h.offboarding === manifest.offboarding.id);
      if (heads.length > 0 && !mine)
        return fail(
          `the checkpoint you hold is the record of another offboarding (${heads.map((h) => h.offboarding).join(', ')}), not ${manifest.offboarding.id}`,
        );
      knownHead = mine ? { ...mine, size: known.size } : undefined;
      summary.push(
        `consistent with the checkpoint you hold (size ${known.size}${mine ? `, naming ${mine.events} events of this offboarding` : ''})`,
      );
    }

    // Events: canonical, of this offboarding, in order, chained, each proven in the final checkpoint.
    const lines = text(files, 'events.jsonl');
    if (lines.length > 0 && !lines.endsWith('\n')) return fail('events.jsonl: does not end with a newline');
    const rawEvents = lines.length === 0 ? [] : lines.slice(0, -1).split('\n');
    if (rawEvents.length !== manifest.events)
      return fail(`events.jsonl has ${rawEvents.length} events, the manifest says ${manifest.events}`);
    let previous: BundleEvent | undefined;
    const parsedEvents: BundleEvent[] = [];
    const cited = new Map<string, string>();
    for (const [i, raw] of rawEvents.entries()) {
      const where = `events.jsonl line ${i + 1}`;
      let parsed: unknown;
      try {
        parsed = JSON.parse(raw);
      } catch {
        return fail(`${where}: not JSON`);
      }
      const event = BundleEvent.safeParse(parsed);
      if (!event.success) return fail(`${where}: ${event.error.issues.map((x) => `${x.path.join('.')}: ${x.message}`).join('; ')}`);
      const e = event.data;
      if (canonicalJson(e) !== raw) return fail(`${where}: not the canonical bytes of the event`);
      if (e.tenant !== manifest.tenant || e.offboarding !== manifest.offboarding.id)
        return fail(`${where}: event ${e.seq} belongs to another offboarding or tenant`);
      if (e.chain.n !== i + 1)
        return fail(
          `${where}: event ${e.seq} is number ${e.chain.n} of the offboarding, expected ${i + 1} (an event was dropped, repeated or reordered)`,
        );
      if (e.chain.prev !== (previous?.seq ?? null))
        return fail(
          `${where}: event ${e.seq} follows event ${e.chain.prev ?? 'none'}, but the bundle has ${previous?.seq ?? 'none'} before it (an event was dropped, repeated or reordered)`,
        );
      if (previous && e.seq <= previous.seq) return fail(`${where}: sequence number ${e.seq} is not after ${previous.seq}`);
      if (e.seq > final.size) return fail(`${where}: event ${e.seq} is beyond the final checkpoint (${final.size})`);
      const proofName = `proofs/${e.seq}.tlog-proof`;
      expected.add(proofName);
      const proof = parseTlogProof(text(files, proofName));
      if (proof.index !== e.seq - 1) return fail(`${proofName}: index ${proof.index} is not event ${e.seq}'s (${e.seq - 1})`);
      if (proof.extra !== null) return fail(`${proofName}: unexpected extra data`);
      if (proof.checkpoint !== final.note) return fail(`${proofName}: not proven against the final checkpoint ${final.size}`);
      try {
        verifyInclusion(options.sha256, proof.index, final.size, leafHash(options.sha256, utf8.encode(raw)), proof.proof, final.root);
      } catch (err) {
        return fail(`event ${e.seq} is not in the signed log: ${(err as Error).message}`);
      }
      if (i === 0) {
        if (e.action !== 'offboarding.started') return fail(`${where}: the first event is ${e.action}, not offboarding.started`);
        if (e.data.clientName !== manifest.offboarding.client || e.data.type !== manifest.offboarding.type)
          return fail('manifest.json: the client or type differs from the offboarding.started event');
      }
      for (const [digest, name] of citedDigests(e)) cited.set(digest, name);
      facts.push(describe(e, backing));
      noteBacking(e, backing);
      parsedEvents.push(e);
      previous = e;
    }

    // Nothing of the offboarding left out at the end: the signed heads agree with the events.
    const last = previous;
    if (rawEvents.length !== head.events || last?.seq !== head.lastSeq) {
      return fail(
        `the bundle has ${rawEvents.length} events of the offboarding ending at ${last?.seq ?? 'none'}, but the log's signed head at checkpoint ${final.size} says ${head.events} ending at ${head.lastSeq} (events left out at the end?)`,
      );
    }
    if (knownHead) {
      const upTo = parsedEvents.filter((e) => e.seq <= knownHead.size);
      if (upTo.length !== knownHead.events || upTo[upTo.length - 1]?.seq !== knownHead.lastSeq) {
        return fail(
          `the checkpoint you hold says the offboarding had ${knownHead.events} events up to entry ${knownHead.size}, ending at ${knownHead.lastSeq}; the bundle has ${upTo.length} (events left out?)`,
        );
      }
    }
    const delivery = clientCopyDelivery(parsedEvents);
    if (delivery) summary.push(delivery);
    summary.push(...credentialFates(parsedEvents));

    // Artifacts: every digest an event cites is listed; included files match their digest.
    const listed = new Map(manifest.artifacts.map((a) => [a.sha256, a] as const));
    if (listed.size !== manifest.artifacts.length) return fail('manifest.json: an artifact is listed twice');
    for (const digest of cited.keys()) if (!listed.has(digest)) return fail(`artifact ${digest} is cited by an event but not listed`);
    for (const a of manifest.artifacts) {
      const name = cited.get(a.sha256);
      if (name === undefined) return fail(`artifact ${a.sha256} is listed but no event cites it`);
      if (name !== a.name || a.kind !== (a.name.startsWith('statement: ') ? 'statement' : 'evidence'))
        return fail(`manifest.json: artifact ${a.sha256} is named "${a.name}", the events say "${name}"`);
      const file = `artifacts/${a.sha256}`;
      if (!a.included) continue;
      expected.add(file);
      const bytes = files.get(file);
      if (!bytes) return fail(`${file} is missing`);
      if (hex(options.sha256(bytes)) !== a.sha256) return fail(`${file}: its SHA-256 is not ${a.sha256} (the file was changed)`);
    }
    for (const name of files.keys()) if (!expected.has(name)) return fail(`${name}: a file the bundle does not account for`);
    summary.unshift(
      `${rawEvents.length} events of the offboarding of ${manifest.offboarding.client} (${manifest.offboarding.id}), all in log ${manifest.origin} at checkpoint ${final.size}`,
    );
    const included = manifest.artifacts.filter((a) => a.included).length;
    summary.push(`${manifest.artifacts.length} artifacts cited by digest, ${included} included and matching`);
    return { valid: true, problems, summary, facts };
  } catch (e) {
    if (e instanceof FormatError) return fail(e.message);
    throw e;
  }
}

/**
 * Each credential's fate, from the events themselves: what was decided for it, its change before
 * the hand-over, who took it and how, the recipient's confirmation that it changed, and its
 * revocation with what verified it. Never a secret: the events hold none.
 */
function credentialFates(events: readonly BundleEvent[]): string[] {
  const fates = new Map<string, { name: string; decided: string; steps: string[]; revoked: string }>();
  const of = (id: string, name: string) => {
    const known = fates.get(id) ?? { name, decided: 'no disposition recorded here', steps: [], revoked: '' };
    fates.set(id, known);
    return known;
  };
  for (const e of events) {
    const d = e.data;
    const str = (k: string) => (typeof d[k] === 'string' ? d[k] : '');
    const side = str('side').replaceAll('-', ' ');
    const day = e.at.slice(0, 10);
    const listed = Array.isArray(d.credentials) ? (d.credentials as { id?: unknown; name?: unknown }[]) : [];
    switch (e.action) {
      case 'credential.disposition-set':
        of(e.subject.id, str('name')).decided = str('inWords');
        break;
      case 'credential.rotated':
        of(e.subject.id, str('name')).steps.push(`changed at its system on ${day}`);
        break;
      case 'credential.revealed-in-portal':
        of(e.subject.id, str('name')).steps.push(`shown once in the portal to the ${side} on ${day}`);
        break;
      case 'credentials.exported':
        for (const c of listed) of(String(c.id), String(c.name)).steps.push(`exported, encrypted with age, to the ${side} on ${day}`);
        break;
      case 'credentials.change-confirmed':
        for (const c of listed) of(String(c.id), String(c.name)).steps.push(`confirmed changed by the ${side} on ${day}`);
        break;
      case 'revocation.recorded':
      case 'revocation.accounted':
        if (str('credentialId')) of(str('credentialId'), str('what')).revoked = str('inWords').slice(str('what').length + 2);
        break;
    }
  }
  return [...fates.values()].map((f) => `credential "${f.name}": ${[f.decided, ...f.steps, ...(f.revoked ? [f.revoked] : [])].join('; ')}`);
}

/** What became of the client's copy of the closing checkpoint, in words, from the events themselves. */
function clientCopyDelivery(events: readonly BundleEvent[]): string | undefined {
  const queued = events.filter((e) => e.action === 'checkpoint.queued-for-client' || e.action === 'checkpoint.sent-to-client');
  if (queued.length === 0) return undefined;
  return queued
    .map((q) => {
      const outcome = events.find(
        (e) => (e.action === 'notification.sent' || e.action === 'notification.failed') && e.subject.id === q.subject.id,
      );
      const who = String(q.data.recipient);
      if (!outcome) return `the client's copy of checkpoint ${String(q.data.size)} for ${who}: queued, no delivery recorded in this bundle`;
      if (outcome.action === 'notification.sent')
        return `the client's copy of checkpoint ${String(q.data.size)} for ${who}: accepted by the mail server at ${outcome.at}`;
      return `the client's copy of checkpoint ${String(q.data.size)} for ${who}: delivery FAILED at ${outcome.at} (${String(outcome.data.error)})`;
    })
    .join('; ');
}

/** SHA-256 digests of files and statements an event cites, with the name the bundle lists them under. */
export function citedDigests(e: { action: string; data: Record<string, unknown> }): [string, string][] {
  const d = e.data;
  if (e.action === 'evidence.attached' && typeof d.sha256 === 'string') return [[d.sha256, String(d.filename)]];
  if (e.action === 'attestation.recorded' && typeof d.statementSha256 === 'string')
    return [[d.statementSha256, `statement: ${String(d.gate)}`]];
  if ((e.action === 'statement.signed' || e.action === 'statement.recorded-from-document') && typeof d.statementSha256 === 'string')
    return [
      [d.statementSha256, `statement: ${String(d.kind)}`],
      ...(typeof d.certificateSha256 === 'string'
        ? [[d.certificateSha256, `signing-certificate-${String(d.kind)}.pdf`] as [string, string]]
        : []),
    ];
  return [];
}

/** Each statement kind, named as the record says it. */
const statementInWords = (kind: string): string => {
  const title = (STATEMENT_TITLES as Record<string, string | undefined>)[kind];
  return title ? title.charAt(0).toLowerCase() + title.slice(1) : kind;
};

/**
 * What backs each completed task, gathered from the bundle's own events as they go: the evidence
 * files attached to it so far, and the statement on file for each gate. A completion is described
 * by these, never by what the task's title claims.
 */
type Backing = { evidence: Map<string, number>; statements: Map<string, string>; evidenceWaived: Map<string, string> };
const emptyBacking = (): Backing => ({ evidence: new Map(), statements: new Map(), evidenceWaived: new Map() });

function noteBacking(e: BundleEvent, backing: Backing): void {
  const d = e.data;
  const str = (k: string) => (typeof d[k] === 'string' ? d[k] : '');
  if (e.action === 'evidence.attached') backing.evidence.set(str('task'), (backing.evidence.get(str('task')) ?? 0) + 1);
  if (e.action === 'task.evidence-waived')
    backing.evidenceWaived.set(str('key'), `the evidence requirement waived by ${actorInWords(e)} because ${str('reason')}`);
  const gate = str('gate');
  if (e.action === 'statement.signed' && gate)
    backing.statements.set(gate, `${statementInWords(str('kind'))} signed by ${str('signerName')} in the portal`);
  if (e.action === 'statement.recorded-from-document' && gate)
    backing.statements.set(gate, `${statementInWords(str('kind'))} of ${str('signerName')}, recorded from a signed document`);
  if (e.action === 'attestation.recorded' && gate)
    backing.statements.set(gate, `written ${gate} from ${str('signerName')}, recorded by staff`);
  if ((e.action === 'statement.signed' || e.action === 'statement.recorded-from-document') && str('kind') === 'authorization-withdrawal')
    backing.statements.delete('authorization');
}

function completionInWords(d: Record<string, unknown>, backing: Backing): string {
  const key = typeof d.key === 'string' ? d.key : '';
  const title = typeof d.title === 'string' && d.title ? d.title : key;
  const files = backing.evidence.get(key) ?? 0;
  const waived = backing.evidenceWaived.get(key);
  const evidence =
    files === 0 ? `with no evidence attached${waived ? ` (${waived})` : ''}` : `with ${files} evidence file${files === 1 ? '' : 's'}`;
  const gates = Array.isArray(d.gates) ? d.gates.map(String) : [];
  const statements = gates.map((g) => `; ${g}: ${backing.statements.get(g) ?? 'no statement in this bundle'}`).join('');
  return `"${title}" marked done ${evidence}${statements}${registerInWords(d.register)}${inventoryInWords(d.inventory)}${receivedInWords(d.credentialsReceived)}${revocationsInWords(d.revocations)}${packageInWords('package', d.package)}${packageInWords("the new provider's copy", d.newProviderPackage)} [${key}]`;
}

/**
 * A documentation package that backed its task: the version, the zip's digest, who took it and
 * who acknowledged receiving it, each when, or that nobody did.
 */
function packageInWords(name: string, delivery: unknown): string {
  if (typeof delivery !== 'object' || delivery === null) return '';
  const p = delivery as Record<string, unknown>;
  const s = (k: string) => (typeof p[k] === 'string' ? p[k] : '');
  const day = (k: string) => s(k).slice(0, 10);
  const downloaded = s('downloadedBy') ? `downloaded by ${s('downloadedBy')} on ${day('downloadedAt')}` : 'not downloaded';
  const acknowledged = s('acknowledgedBy')
    ? `receipt acknowledged by ${s('acknowledgedBy')} on ${day('acknowledgedAt')}`
    : 'receipt not acknowledged';
  return `; ${name} v${String(p.version)} (sha256 ${s('sha256').slice(0, 16)}...) ${downloaded}, ${acknowledged}`;
}

/** The ownership register that backed its task: how many items, whose, and the register file's digest. */
function registerInWords(register: unknown): string {
  if (typeof register !== 'object' || register === null) return '';
  const r = register as Record<string, unknown>;
  const n = (k: string) => (typeof r[k] === 'number' ? r[k] : 0);
  const digest = typeof r.sha256 === 'string' ? r.sha256.slice(0, 16) : '';
  return `; the ownership register gives every one of its ${n('items')} items an owner (the client ${n('client')}, the MSP ${n('msp')}, third parties ${n('third-party')}; register SHA-256 ${digest}...)`;
}

/** The recipients' acknowledgements that backed the credential transfer: who, when, how many, which list. */
function receivedInWords(received: unknown): string {
  if (typeof received !== 'object' || received === null) return '';
  const r = received as Record<string, unknown>;
  const side = (key: string, name: string) => {
    const s = r[key] as Record<string, unknown> | undefined;
    if (!s) return '';
    return `${name}: ${String(s.count)} acknowledged by ${String(s.by)} on ${String(s.at).slice(0, 10)} (list SHA-256 ${String(s.sha256).slice(0, 16)}...)`;
  };
  const parts = [side('client', 'the client'), side('newProvider', 'the new provider')].filter(Boolean);
  const digest = typeof r.recordSha256 === 'string' ? r.recordSha256.slice(0, 16) : '';
  return `; credentials received, in the recipients' own words: ${parts.join('; ')}; hand-over record SHA-256 ${digest}...`;
}

/** The revocation list that backed its task: each item's fate, naming what verified it. */
function revocationsInWords(revocations: unknown): string {
  if (!Array.isArray(revocations)) return '';
  return `; ${revocations.length} revoked: ${revocations.map(String).join('; ')}`;
}

/** The credential inventory that backed its task: how many credentials, what happens to them, and the inventory file's digest. */
function inventoryInWords(inventory: unknown): string {
  if (typeof inventory !== 'object' || inventory === null) return '';
  const r = inventory as Record<string, unknown>;
  const n = (k: string) => (typeof r[k] === 'number' ? r[k] : 0);
  const digest = typeof r.sha256 === 'string' ? r.sha256.slice(0, 16) : '';
  return `; the credential inventory gives every one of its ${n('credentials')} credentials a disposition (to the client ${n('toClient')}, to the new provider ${n('toNewProvider')}, of which ${n('rotateThenHandOver')} changed first; revoked ${n('revoke')}; inventory SHA-256 ${digest}...)`;
}

/**
 * The actor as the event names them (name and role when it happened); events appended before
 * names were recorded keep their reference (`user:<id>`).
 */
function actorInWords(e: BundleEvent): string {
  if (e.by) return `${e.by.name}, ${e.by.role.replaceAll('-', ' ')}`;
  if (e.actor.startsWith('system:psa:')) return `the PSA (${e.actor.split(':')[2] ?? ''})`;
  if (e.actor === 'system:cli') return 'offboard, from the command line';
  if (e.actor === 'system:ownership-register') return 'offboard, once the ownership register was complete';
  if (e.actor === 'system:credentials-receipt') return 'offboard, on the recipients’ acknowledgements of the credentials';
  if (e.actor === 'system:credential-inventory') return 'offboard, once every credential had a disposition';
  if (e.actor === 'system:package-receipt') return 'offboard, on the client’s acknowledgement of receipt';
  if (e.actor === 'system' || e.actor.startsWith('system:')) return 'offboard';
  return e.actor;
}

function describe(e: BundleEvent, backing: Backing): string {
  const d = e.data;
  const str = (k: string) => (typeof d[k] === 'string' ? d[k] : '');
  const who = actorInWords(e);
  const what = (() => {
    switch (e.action) {
      case 'offboarding.started':
        return `offboarding started (${str('type').replaceAll('-', ' ')}, notice ${str('noticeDate')}, contract end ${str('endDate')})`;
      case 'task.completed':
        return completionInWords(d, backing);
      case 'task.waived':
        return `"${str('title') || str('key')}" waived: ${str('reason')} [${str('key')}]`;
      case 'task.evidence-waived':
        return `"${str('title') || str('key')}" may be completed without its evidence: ${str('reason')} [${str('key')}]`;
      case 'evidence.attached':
        return `evidence "${str('filename')}" attached to ${str('task')} (SHA-256 ${str('sha256').slice(0, 16)}...)`;
      case 'attestation.recorded':
        return `written ${str('gate')} from ${str('signerName')} <${str('signerEmail')}> recorded (statement SHA-256 ${str('statementSha256').slice(0, 16)}...)`;
      case 'statement.signed': {
        const scopes = Array.isArray(d.scopes) ? `, covering ${d.scopes.map(String).join(', ')}` : '';
        return `${statementInWords(str('kind'))} signed by ${str('signerName')} <${str('signerEmail')}> in the portal, from ${str('ip')}${scopes} (statement SHA-256 ${str('statementSha256').slice(0, 16)}...${str('certificateSha256') ? `, signing certificate SHA-256 ${str('certificateSha256').slice(0, 16)}...` : ''})`;
      }
      case 'statement.recorded-from-document': {
        const scopes = Array.isArray(d.scopes) ? `, covering ${d.scopes.map(String).join(', ')}` : '';
        return `${statementInWords(str('kind'))} of ${str('signerName')} <${str('signerEmail')}>, signed on paper on ${str('signedOn')}, recorded from a signed document${scopes} (scan SHA-256 ${str('documentSha256').slice(0, 16)}..., statement SHA-256 ${str('statementSha256').slice(0, 16)}...)`;
      }
      case 'party.invited':
        return `${str('name')} <${str('email')}> (${str('side').replaceAll('-', ' ')}) sent a link to the portal, valid until ${str('expiresAt').slice(0, 10)}`;
      case 'party.added':
        return `${str('name')} <${str('email')}> (${str('side').replaceAll('-', ' ')}) added to the portal${str('waitingFor') ? `, their link waiting for the client's ${str('waitingFor')}` : ''}`;
      case 'portal.link-sent':
        return `a new portal link sent to ${str('email')}, as asked`;
      case 'message.posted': {
        const to = Array.isArray(d.to) ? d.to.map(String) : [];
        return `message in the conversation with the new provider, emailed to ${to.join(', ') || 'nobody'} (text SHA-256 ${str('bodySha256').slice(0, 16)}...)`;
      }
      case 'package.built':
        return `documentation package v${String(d.version)} for ${str('for') || str('audience')} built: ${String(d.files)} files, ${String(d.items)} items (zip SHA-256 ${str('sha256').slice(0, 16)}..., manifest SHA-256 ${str('manifestSha256').slice(0, 16)}...)`;
      case 'package.downloaded':
        return `documentation package v${String(d.version)} (${str('audience')} copy, SHA-256 ${str('sha256').slice(0, 16)}...) downloaded by ${str('by')} from ${str('ip')}`;
      case 'portal.file-uploaded':
        return `file "${str('filename')}" uploaded in the portal (SHA-256 ${str('sha256').slice(0, 16)}...)`;
      case 'portal.link-opened':
        return `portal link opened from ${str('ip')}`;
      case 'early-cutover.proposed':
        return `access cut-over on ${str('date')} proposed to the client, before the agreed ${str('revocationDate')}: ${str('reason')}`;
      case 'party.access-revoked':
        return `portal access of ${str('name')} <${str('email')}> revoked`;
      case 'phase.completed':
        return `phase ${String(d.phase)} completed`;
      case 'task.ready':
        return `${str('key')} could start${str('after') ? ` (after ${str('after')})` : ''}`;
      case 'task.started':
        return `${str('key')} started`;
      case 'task.reopened':
        return `${str('key')} reopened: ${str('reason')}`;
      case 'task.blocked':
        return `${str('key')} back to waiting on ${str('waitingOn')}`;
      case 'task.assigned':
        return `${str('key')} assigned to ${str('toName') || `user:${str('to')}`}`;
      case 'time.recorded':
        return `${String(d.minutes)} minutes of work recorded for ${str('workDate')} (total ${String(d.totalMinutes)}${d.overIncluded === true ? ', beyond the included hours' : ''})`;
      case 'client.status-changed':
        return `client status ${str('from')} -> ${str('to')}`;
      case 'offboarding.dates-changed':
        return 'dates changed and the plan recomputed';
      case 'offboarding.closing':
        return 'every task due by the end date closed; offboarding closing';
      case 'notification.sent':
        return str('kind') === 'client-checkpoint'
          ? `signed checkpoint email accepted by the mail server for ${str('recipient')}`
          : `${str('kind')} sent by ${str('channel')} to ${str('recipientName') || str('recipient')}`;
      case 'notification.failed':
        return `${str('kind')} by ${str('channel')} to ${str('recipientName') || str('recipient')} could not be delivered: ${str('error')}`;
      case 'offboarding.closed':
        return `offboarding closed (${str('departureReason')})`;
      case 'offboarding.cancelled':
        return `offboarding cancelled (${str('reason')})`;
      case 'checkpoint.queued-for-client':
        return `signed checkpoint ${String(d.size)} queued for email to ${str('recipient')} (whether it arrived is a later event)`;
      case 'checkpoint.sent-to-client':
        return `signed checkpoint ${String(d.size)} recorded for ${str('recipient')} before any delivery was attempted`;
      case 'credential.added':
        return `credential "${str('name')}" (${str('kind').replaceAll('-', ' ')}) added to the vault (secret digest ${str('secretDigest').slice(0, 16)}...)`;
      case 'credential.changed':
        return `credential "${str('name')}" changed${d.secretChanged === true ? ', its secret replaced' : ''}`;
      case 'credential.removed':
        return `credential "${str('name')}" removed from the vault`;
      case 'credential.revealed':
        return `the secret of "${str('name')}" shown to staff, from ${str('ip')}`;
      case 'credential.disposition-set':
        return `credential "${str('name')}": ${str('inWords')}`;
      case 'credential.rotated':
        return `credential "${str('name')}" changed at the system before the hand-over (new secret digest ${str('secretDigest').slice(0, 16)}...)`;
      case 'credential.revealed-in-portal':
        return `the secret of "${str('name')}" shown once in the portal to the ${str('side').replaceAll('-', ' ')}, from ${str('ip')} (secret digest ${str('secretDigest').slice(0, 16)}...)`;
      case 'credentials.exported':
        return `${String(d.count)} credentials exported in the portal to the ${str('side').replaceAll('-', ' ')}, encrypted with age for their ${str('encryptedFor') === 'passphrase' ? 'passphrase' : 'public key'}, from ${str('ip')} (list SHA-256 ${str('listSha256').slice(0, 16)}...)`;
      case 'credentials.change-confirmed': {
        const names = Array.isArray(d.credentials) ? d.credentials.map((c) => String((c as { name?: unknown }).name)) : [];
        return `the ${str('side').replaceAll('-', ' ')} confirmed changing ${names.map((n) => `"${n}"`).join(', ')}`;
      }
      case 'revocation.added':
        return `"${str('what')}" (${str('kind').replaceAll('-', ' ')}) added to the revocation list`;
      case 'revocation.recorded':
      case 'revocation.accounted':
        return `revocation: ${str('inWords')}`;
      default:
        return e.action;
    }
  })();
  return `${e.at}  #${e.seq}  ${what}  (by ${who})`;
}
