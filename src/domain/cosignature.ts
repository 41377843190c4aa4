/**
 * Witness cosignatures (c2sp.org/tlog-cosignature, Ed25519, cosignature/v1) and the request a log
 * sends a witness: the checkpoint with a consistency proof from the size the witness last
 * cosigned (the add-checkpoint body of c2sp.org/tlog-witness). Pure: Ed25519 is passed in.
 */
import { type Hash, type Sha256, sameBytes, verifyConsistency } from './merkle.ts';
import {
  type Ed25519,
  type VerifierKey,
  FormatError,
  decodeHash,
  encodeBase64,
  parseCheckpoint,
  parseDecimal,
  parseNote,
} from './signed-note.ts';

const utf8 = new TextEncoder();

/** The signed message: two header lines, then the checkpoint body exactly (extension lines included). */
export function cosignedMessage(checkpointBody: string, timestamp: number): Uint8Array {
  return utf8.encode(`cosignature/v1\ntime ${timestamp}\n${checkpointBody}`);
}

/** A cosignature line: `— <name> base64(key id || u64 timestamp || signature)`. */
export function cosignatureLine(key: Pick<VerifierKey, 'name' | 'keyId'>, timestamp: number, signature: Uint8Array): string {
  const bytes = new Uint8Array(4 + 8 + signature.length);
  const view = new DataView(bytes.buffer);
  view.setUint32(0, key.keyId);
  view.setBigUint64(4, BigInt(timestamp));
  bytes.set(signature, 12);
  return `\u2014 ${key.name} ${encodeBase64(bytes)}`;
}

export function cosign(
  ed25519: Ed25519,
  privateKey: unknown,
  key: Pick<VerifierKey, 'name' | 'keyId'>,
  checkpointBody: string,
  timestamp: number,
): string {
  return cosignatureLine(key, timestamp, ed25519.sign(privateKey, cosignedMessage(checkpointBody, timestamp)));
}

/** Appends signature lines to a signed note (each once). */
export function withSignatures(note: string, lines: readonly string[]): string {
  const present = new Set(note.slice(note.lastIndexOf('\n\n') + 2).split('\n'));
  const extra = lines.filter((l) => !present.has(l));
  return extra.length === 0 ? note : `${note}${extra.map((l) => `${l}\n`).join('')}`;
}

/** The time the witness cosigned the note's checkpoint, or undefined when it carries no cosignature of that key; a bad one is an error. */
export function verifyCosignature(ed25519: Ed25519, note: string, witness: VerifierKey): number | undefined {
  const parsed = parseNote(note);
  const sig = parsed.signatures.find((s) => s.name === witness.name && s.keyId === witness.keyId);
  if (!sig) return undefined;
  if (sig.signature.length !== 72) throw new FormatError(`the cosignature of ${witness.name} is ${sig.signature.length + 4} bytes, not 76`);
  const view = new DataView(sig.signature.buffer, sig.signature.byteOffset, 8);
  const timestamp = view.getBigUint64(0);
  if (timestamp > BigInt(Number.MAX_SAFE_INTEGER)) throw new FormatError(`the cosignature of ${witness.name} has an impossible time`);
  if (!ed25519.verify(witness.publicKey, cosignedMessage(parsed.text, Number(timestamp)), sig.signature.slice(8)))
    throw new FormatError(`the cosignature of ${witness.name} does not verify`);
  return Number(timestamp);
}

export type AddCheckpoint = { oldSize: number; proof: Hash[]; checkpoint: string };

export function formatAddCheckpoint(r: AddCheckpoint): string {
  return `old ${r.oldSize}\n${r.proof.map((h) => `${encodeBase64(h)}\n`).join('')}\n${r.checkpoint}`;
}

export function parseAddCheckpoint(body: string): AddCheckpoint {
  const split = body.indexOf('\n\n');
  if (split < 0) throw new FormatError('add-checkpoint: no blank line before the checkpoint');
  const [first, ...proofLines] = body.slice(0, split).split('\n') as [string, ...string[]];
  if (!first.startsWith('old ')) throw new FormatError('add-checkpoint: the first line must be "old <size>"');
  if (proofLines.length > 63) throw new FormatError('add-checkpoint: too many proof hashes');
  return {
    oldSize: parseDecimal(first.slice(4), 'add-checkpoint: old size'),
    proof: proofLines.map((l, i) => decodeHash(l, `add-checkpoint: proof line ${i + 1}`)),
    checkpoint: body.slice(split + 2),
  };
}

/** What a witness knows of one log: the largest checkpoint it cosigned. */
export type WitnessedLog = { origin: string; size: number; root: Hash };

export type WitnessDecision =
  | { ok: true; next: WitnessedLog; body: string }
  | { ok: false; status: 409; size: number; reason: string }
  | { ok: false; status: 403 | 422 | 400; reason: string };

/**
 * A witness's rule: the checkpoint is signed by a log it follows, and is consistent with the last
 * one it saw (the request says which size it extends, and must say the size the witness holds).
 * Never a smaller or a forked tree.
 */
export function decideAddCheckpoint(
  sha256: Sha256,
  ed25519: Ed25519,
  request: AddCheckpoint,
  logKeys: readonly VerifierKey[],
  known: WitnessedLog | undefined,
): WitnessDecision {
  let body: string;
  try {
    body = parseNote(request.checkpoint).text;
    const signed = parseNote(request.checkpoint).signatures.some((s) =>
      logKeys.some((k) => k.name === s.name && k.keyId === s.keyId && ed25519.verify(k.publicKey, utf8.encode(body), s.signature)),
    );
    if (!signed) return { ok: false, status: 403, reason: 'the checkpoint carries no valid signature of a log this witness follows' };
  } catch (e) {
    return { ok: false, status: 400, reason: (e as Error).message };
  }
  const cp = parseCheckpoint(body);
  const heldSize = known?.size ?? 0;
  if (request.oldSize !== heldSize)
    return { ok: false, status: 409, size: heldSize, reason: `this witness holds size ${heldSize}, not ${request.oldSize}` };
  if (cp.size < heldSize)
    return {
      ok: false,
      status: 409,
      size: heldSize,
      reason: `the checkpoint (size ${cp.size}) is older than the one this witness holds (${heldSize})`,
    };
  if (known && heldSize > 0) {
    try {
      if (cp.size === heldSize) {
        if (!sameBytes(cp.root, known.root))
          throw new FormatError(`at size ${heldSize} the root differs from the one this witness cosigned`);
        if (request.proof.length > 0) throw new FormatError('a proof between equal sizes must be empty');
      } else verifyConsistency(sha256, heldSize, cp.size, request.proof, known.root, cp.root);
    } catch (e) {
      return {
        ok: false,
        status: 422,
        reason: `not consistent with the checkpoint this witness cosigned at size ${heldSize} (a forked log?): ${(e as Error).message}`,
      };
    }
  }
  return { ok: true, next: { origin: cp.origin, size: cp.size, root: cp.root }, body };
}
