/**
 * C2SP signed notes (c2sp.org/signed-note), checkpoints (c2sp.org/tlog-checkpoint) and tlog
 * proofs (c2sp.org/tlog-proof): strict parsers and exact formatters. Pure: SHA-256 and Ed25519
 * are passed in.
 */
import type { Hash, Sha256 } from './merkle.ts';

export class FormatError extends Error {}

export type Ed25519 = {
  sign: (privateKey: unknown, message: Uint8Array) => Uint8Array;
  verify: (publicKey: Uint8Array, message: Uint8Array, signature: Uint8Array) => boolean;
};

export type NoteSignature = { name: string; keyId: number; signature: Uint8Array };
export type Note = { text: string; signatures: NoteSignature[] };
export type VerifierKey = { name: string; keyId: number; type: number; publicKey: Uint8Array; vkey: string };

const ED25519_TYPE = 0x01;
const MAX_SIGNATURES = 100;
const utf8 = new TextEncoder();

const ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/';
const SEXTET = new Int8Array(128).fill(-1);
for (let i = 0; i < ALPHABET.length; i++) SEXTET[ALPHABET.charCodeAt(i)] = i;

/**
 * Standard base64 (RFC 4648 section 4), strictly: only the alphabet, padding only at the end, and
 * the unused bits before the padding zero, so every value has exactly one accepted text.
 */
export function decodeBase64(text: string, what: string): Uint8Array {
  const length = text.length;
  if (length % 4 !== 0) throw new FormatError(`${what}: not standard base64`);
  const pad = length === 0 ? 0 : text.charCodeAt(length - 1) !== 0x3d ? 0 : text.charCodeAt(length - 2) === 0x3d ? 2 : 1;
  const out = new Uint8Array((length / 4) * 3 - pad);
  const sextet = (i: number) => {
    const code = text.charCodeAt(i);
    const v = code < 128 ? (SEXTET[code] as number) : -1;
    if (v < 0) throw new FormatError(`${what}: not standard base64`);
    return v;
  };
  let o = 0;
  for (let i = 0; i < length; i += 4) {
    const last = i + 4 === length;
    const a = sextet(i);
    const b = sextet(i + 1);
    const c = last && pad === 2 ? 0 : sextet(i + 2);
    const d = last && pad >= 1 ? 0 : sextet(i + 3);
    if (last && ((pad === 2 && (b & 0x0f) !== 0) || (pad === 1 && (c & 0x03) !== 0)))
      throw new FormatError(`${what}: not canonical base64`);
    const n = (a << 18) | (b << 12) | (c << 6) | d;
    out[o++] = (n >> 16) & 0xff;
    if (o < out.length) out[o++] = (n >> 8) & 0xff;
    if (o < out.length) out[o++] = n & 0xff;
  }
  return out;
}

export function encodeBase64(bytes: Uint8Array): string {
  let text = '';
  for (let i = 0; i < bytes.length; i += 3) {
    const a = bytes[i] as number;
    const b = i + 1 < bytes.length ? (bytes[i + 1] as number) : 0;
    const c = i + 2 < bytes.length ? (bytes[i + 2] as number) : 0;
    const n = (a << 16) | (b << 8) | c;
    text += ALPHABET[(n >> 18) & 63] as string;
    text += ALPHABET[(n >> 12) & 63] as string;
    text += i + 1 < bytes.length ? (ALPHABET[(n >> 6) & 63] as string) : '=';
    text += i + 2 < bytes.length ? (ALPHABET[n & 63] as string) : '=';
  }
  return text;
}

/** A 32-byte SHA-256 hash in base64. */
export function decodeHash(text: string, what: string): Hash {
  const bytes = decodeBase64(text, what);
  if (bytes.length !== 32) throw new FormatError(`${what}: ${bytes.length} bytes, not a 32-byte hash`);
  return bytes;
}

/** ASCII decimal with no leading zeros, as a safe integer. */
export function parseDecimal(text: string, what: string): number {
  if (!/^(0|[1-9][0-9]{0,15})$/.test(text)) throw new FormatError(`${what}: "${clip(text)}" is not a decimal number without leading zeros`);
  const n = Number(text);
  if (!Number.isSafeInteger(n)) throw new FormatError(`${what}: ${clip(text)} is too large`);
  return n;
}

function clip(text: string): string {
  return text.length > 40 ? `${text.slice(0, 40)}...` : text;
}

function checkText(text: string, what: string): void {
  // eslint-disable-next-line no-control-regex
  if (/[\u0000-\u0009\u000b-\u001f]/.test(text)) throw new FormatError(`${what}: contains a control character`);
}

function checkKeyName(name: string, what: string): void {
  if (name.length === 0) throw new FormatError(`${what}: the key name is empty`);
  if (/[\s+]/u.test(name)) throw new FormatError(`${what}: the key name "${clip(name)}" contains a space or a plus`);
}

/** key ID = SHA-256(key name || 0x0A || type || public key)[:4], as a big-endian uint32. */
export function keyIdOf(sha256: Sha256, name: string, type: number, publicKey: Uint8Array): number {
  const digest = sha256(utf8.encode(name), Uint8Array.of(0x0a, type), publicKey);
  return new DataView(digest.buffer, digest.byteOffset, 4).getUint32(0);
}

const hex8 = (n: number) => n.toString(16).padStart(8, '0');

/** Signature types: a log's Ed25519 note signature, and an Ed25519 cosignature (c2sp.org/tlog-cosignature). */
export const KEY_TYPES = { ed25519: ED25519_TYPE, cosignature: 0x04 } as const;

export function formatVerifierKey(sha256: Sha256, name: string, publicKey: Uint8Array, type: number = ED25519_TYPE): string {
  checkKeyName(name, 'verifier key');
  const keyId = keyIdOf(sha256, name, type, publicKey);
  return `${name}+${hex8(keyId)}+${encodeBase64(Uint8Array.of(type, ...publicKey))}`;
}

/** `<name>+<hex key id>+<base64(type || public key)>`; Ed25519 keys of the expected type, and the key id must match. */
export function parseVerifierKey(sha256: Sha256, vkey: string, type: number = ED25519_TYPE): VerifierKey {
  // The base64 key may itself contain '+': split at the first two only.
  const first = vkey.indexOf('+');
  const second = first < 0 ? -1 : vkey.indexOf('+', first + 1);
  if (second < 0) throw new FormatError('verifier key: expected name+keyid+key');
  const [name, idHex, keyText] = [vkey.slice(0, first), vkey.slice(first + 1, second), vkey.slice(second + 1)];
  checkKeyName(name, 'verifier key');
  if (!/^[0-9a-f]{8}$/.test(idHex)) throw new FormatError('verifier key: the key id must be 8 lowercase hex digits');
  const material = decodeBase64(keyText, 'verifier key');
  const expected = type === ED25519_TYPE ? 'Ed25519 (1)' : `Ed25519 cosignature (${type})`;
  if (material[0] !== type) throw new FormatError(`verifier key: signature type ${material[0] ?? 'missing'} is not ${expected}`);
  if (material.length !== 33) throw new FormatError(`verifier key: an Ed25519 key has 32 bytes, not ${material.length - 1}`);
  const publicKey = material.slice(1);
  const keyId = Number.parseInt(idHex, 16);
  if (keyIdOf(sha256, name, type, publicKey) !== keyId) throw new FormatError('verifier key: the key id does not match the name and key');
  return { name, keyId, type, publicKey, vkey };
}

/** Splits a signed note into its text and signature lines, strictly. */
export function parseNote(note: string): Note {
  checkText(note, 'signed note');
  if (!note.endsWith('\n')) throw new FormatError('signed note: does not end with a newline');
  const split = note.lastIndexOf('\n\n');
  if (split < 0) throw new FormatError('signed note: no blank line before the signatures');
  const text = note.slice(0, split + 1);
  const lines = note.slice(split + 2, -1).split('\n');
  if (lines.length > MAX_SIGNATURES) throw new FormatError(`signed note: more than ${MAX_SIGNATURES} signatures`);
  const signatures = lines.map((line, i) => {
    const what = `signed note: signature line ${i + 1}`;
    if (!line.startsWith('\u2014 ')) throw new FormatError(`${what} does not start with an em dash and a space`);
    const rest = line.slice(2);
    const space = rest.lastIndexOf(' ');
    if (space < 0) throw new FormatError(`${what} has no signature`);
    const name = rest.slice(0, space);
    checkKeyName(name, what);
    const bytes = decodeBase64(rest.slice(space + 1), what);
    if (bytes.length < 5) throw new FormatError(`${what} is too short`);
    return { name, keyId: new DataView(bytes.buffer, bytes.byteOffset, 4).getUint32(0), signature: bytes.slice(4) };
  });
  return { text, signatures };
}

export function formatNote(text: string, signatures: readonly NoteSignature[]): string {
  if (!text.endsWith('\n')) throw new FormatError('note text must end with a newline');
  const lines = signatures.map((s) => {
    const bytes = new Uint8Array(4 + s.signature.length);
    new DataView(bytes.buffer).setUint32(0, s.keyId);
    bytes.set(s.signature, 4);
    return `\u2014 ${s.name} ${encodeBase64(bytes)}\n`;
  });
  return `${text}\n${lines.join('')}`;
}

export function signNote(sha256: Sha256, ed25519: Ed25519, text: string, name: string, publicKey: Uint8Array, privateKey: unknown): string {
  checkKeyName(name, 'signing key');
  const keyId = keyIdOf(sha256, name, ED25519_TYPE, publicKey);
  return formatNote(text, [{ name, keyId, signature: ed25519.sign(privateKey, utf8.encode(text)) }]);
}

/**
 * Verifies a note against known keys: signatures from unknown keys are ignored; one from a known
 * key that fails rejects the note; at least one known key must have signed. Returns the note's
 * text and the verifier keys that signed it.
 */
/**
 * A signed note as a person holds it after a mail client: CRLF line ends, trailing spaces,
 * blank lines around it, perhaps the "--- checkpoint ---" markers of our email copied along.
 * Returns the canonical text (LF, no trailing whitespace, one final newline); the signature is
 * then checked over exactly that, so a changed character still fails.
 */
export function normalizePastedNote(pasted: string): string {
  let lines = pasted.split(/\r\n?|\n/).map((l) => l.replace(/[ \t\u00a0]+$/, ''));
  const begin = lines.findIndex((l) => /^-{3,} *checkpoint *-{3,}$/i.test(l));
  if (begin >= 0) {
    lines = lines.slice(begin + 1);
    const end = lines.findIndex((l) => /^-{3,} *end of checkpoint *-{3,}$/i.test(l));
    if (end >= 0) lines = lines.slice(0, end);
  }
  while (lines.length > 0 && lines[0] === '') lines.shift();
  while (lines.length > 0 && lines[lines.length - 1] === '') lines.pop();
  return `${lines.join('\n')}\n`;
}

export function verifyNote(ed25519: Ed25519, note: string, keys: readonly VerifierKey[]): { text: string; signedBy: VerifierKey[] } {
  const parsed = parseNote(note);
  const message = utf8.encode(parsed.text);
  const signedBy: VerifierKey[] = [];
  for (const sig of parsed.signatures) {
    const key = keys.find((k) => k.name === sig.name && k.keyId === sig.keyId);
    if (!key) continue;
    if (!ed25519.verify(key.publicKey, message, sig.signature))
      throw new FormatError(`the signature of ${key.name}+${hex8(key.keyId)} does not verify`);
    signedBy.push(key);
  }
  if (signedBy.length === 0) throw new FormatError('no signature from a known key');
  return { text: parsed.text, signedBy };
}

export type Checkpoint = { origin: string; size: number; root: Hash; extensions: string[] };

export function formatCheckpoint(checkpoint: Checkpoint): string {
  return [checkpoint.origin, String(checkpoint.size), encodeBase64(checkpoint.root), ...checkpoint.extensions].join('\n') + '\n';
}

/** The note text of a checkpoint: origin, tree size, root hash, optional extension lines. */
export function parseCheckpoint(text: string): Checkpoint {
  checkText(text, 'checkpoint');
  if (!text.endsWith('\n')) throw new FormatError('checkpoint: does not end with a newline');
  const lines = text.slice(0, -1).split('\n');
  if (lines.length < 3) throw new FormatError('checkpoint: needs an origin, a size and a root hash');
  const [origin, size, root, ...extensions] = lines as [string, string, string, ...string[]];
  if (origin.length === 0) throw new FormatError('checkpoint: the origin is empty');
  if (extensions.some((l) => l.length === 0)) throw new FormatError('checkpoint: an extension line is empty');
  return { origin, size: parseDecimal(size, 'checkpoint: tree size'), root: decodeHash(root, 'checkpoint: root hash'), extensions };
}

export type TlogProof = { extra: Uint8Array | null; index: number; proof: Hash[]; checkpoint: string };

const TLOG_PROOF_HEADER = 'c2sp.org/tlog-proof@v1';

export function formatTlogProof(p: TlogProof): string {
  return (
    [TLOG_PROOF_HEADER, ...(p.extra ? [`extra ${encodeBase64(p.extra)}`] : []), `index ${p.index}`, ...p.proof.map(encodeBase64), ''].join(
      '\n',
    ) +
    '\n' +
    p.checkpoint
  );
}

export function parseTlogProof(text: string): TlogProof {
  checkText(text, 'tlog proof');
  const lines = text.split('\n');
  if (lines[0] !== TLOG_PROOF_HEADER) throw new FormatError(`tlog proof: the first line is not ${TLOG_PROOF_HEADER}`);
  let i = 1;
  let extra: Uint8Array | null = null;
  if (lines[i]?.startsWith('extra ')) {
    extra = decodeBase64((lines[i] as string).slice(6), 'tlog proof: extra');
    i += 1;
  }
  const indexLine = lines[i] ?? '';
  if (!indexLine.startsWith('index ')) throw new FormatError('tlog proof: no index line');
  const index = parseDecimal(indexLine.slice(6), 'tlog proof: index');
  i += 1;
  const proof: Hash[] = [];
  while (i < lines.length && lines[i] !== '') {
    if (proof.length >= 64) throw new FormatError('tlog proof: more than 64 hashes');
    proof.push(decodeHash(lines[i] as string, `tlog proof: hash ${proof.length + 1}`));
    i += 1;
  }
  if (i >= lines.length) throw new FormatError('tlog proof: no blank line before the checkpoint');
  const checkpoint = lines.slice(i + 1).join('\n');
  if (checkpoint.length === 0) throw new FormatError('tlog proof: no checkpoint');
  return { extra, index, proof, checkpoint };
}

export type ConsistencyProof = { from: number; to: number; proof: Hash[] };

const CONSISTENCY_HEADER = 'offboard/consistency-proof@v1';

/** Our own small text format, in the style of tlog-proof: header, `from N`, `to M`, one hash per line. */
export function formatConsistencyProof(p: ConsistencyProof): string {
  return [CONSISTENCY_HEADER, `from ${p.from}`, `to ${p.to}`, ...p.proof.map(encodeBase64)].join('\n') + '\n';
}

export function parseConsistencyProof(text: string): ConsistencyProof {
  checkText(text, 'consistency proof');
  if (!text.endsWith('\n')) throw new FormatError('consistency proof: does not end with a newline');
  const lines = text.slice(0, -1).split('\n');
  if (lines[0] !== CONSISTENCY_HEADER) throw new FormatError(`consistency proof: the first line is not ${CONSISTENCY_HEADER}`);
  const from = lines[1]?.startsWith('from ') ? parseDecimal(lines[1].slice(5), 'consistency proof: from') : null;
  const to = lines[2]?.startsWith('to ') ? parseDecimal(lines[2].slice(3), 'consistency proof: to') : null;
  if (from === null || to === null) throw new FormatError('consistency proof: needs "from N" and "to M" lines');
  const hashes = lines.slice(3);
  if (hashes.length > 128) throw new FormatError('consistency proof: more than 128 hashes');
  return { from, to, proof: hashes.map((h, i) => decodeHash(h, `consistency proof: hash ${i + 1}`)) };
}
