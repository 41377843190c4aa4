/**
 * The whole of `offboard verify` short of reading files: unzip strictly, parse the keys, verify,
 * and say the verdict in words with its exit code. The CLI, the single-file verifier for Node
 * and the in-browser verify page all run this, so they agree word for word. Pure: SHA-256 and
 * Ed25519 are passed in (node:crypto, or a JS hash and WebCrypto in the browser).
 */
import { unzipSync } from 'fflate';
import { MalformedBundle, type Verdict, verifyBundle } from './evidence-bundle.ts';
import type { Sha256 } from './merkle.ts';
import { type Ed25519, FormatError, KEY_TYPES, type VerifierKey, parseVerifierKey } from './signed-note.ts';

export const VERIFY_EXIT = { valid: 0, invalid: 1, malformed: 2 } as const;
const MAX_BUNDLE_ENTRIES = 1_000_000;

/** Unzips strictly: a damaged archive, a directory entry or a name twice makes the bundle malformed. */
export function readBundle(bytes: Uint8Array): Map<string, Uint8Array> {
  let entries: Record<string, Uint8Array>;
  const names: string[] = [];
  try {
    entries = unzipSync(bytes, {
      filter: (file) => {
        names.push(file.name);
        if (names.length > MAX_BUNDLE_ENTRIES) throw new MalformedBundle('too many files in the bundle');
        return true;
      },
    });
  } catch (e) {
    throw new MalformedBundle(`not a readable zip file: ${(e as Error).message}`);
  }
  if (new Set(names).size !== names.length) throw new MalformedBundle('a file name appears twice in the zip');
  return new Map(Object.entries(entries));
}

export type VerifyRequest = {
  bundle: Uint8Array;
  /** The MSP's verifier keys (name+keyid+key), several after a rotation. */
  keys: readonly string[];
  /** Witness verifier keys whose cosignature the final checkpoint must carry. */
  witnesses?: readonly string[] | undefined;
  /** A checkpoint the reader holds, as received (the email's attachment or its pasted text). */
  knownCheckpoint?: string | undefined;
  json?: boolean | undefined;
};

export type VerifyRun = { exitCode: 0 | 1 | 2; out: string; err: string; verdict?: Verdict };

/** What a malformed input says, the same from every verifier: the CLI adds its own reasons for unreadable files. */
export const malformedRun = (message: string, json: boolean | undefined): VerifyRun => ({
  exitCode: VERIFY_EXIT.malformed,
  out: json ? `${JSON.stringify({ valid: false, malformed: message })}\n` : '',
  err: `MALFORMED: ${message}\n`,
});

export function runVerify(request: VerifyRequest, crypto: { sha256: Sha256; ed25519: Ed25519 }): VerifyRun {
  let verdict: Verdict;
  try {
    const keys: VerifierKey[] = request.keys.map((k) => parseVerifierKey(crypto.sha256, k.trim()));
    const witnesses: VerifierKey[] = (request.witnesses ?? []).map((k) => parseVerifierKey(crypto.sha256, k.trim(), KEY_TYPES.cosignature));
    if (keys.length === 0) throw new FormatError("give the MSP's verifier key (--key)");
    verdict = verifyBundle(readBundle(request.bundle), { keys, witnesses, knownCheckpoint: request.knownCheckpoint, ...crypto });
  } catch (e) {
    if (e instanceof MalformedBundle || e instanceof FormatError) return malformedRun(e.message, request.json);
    throw e;
  }
  if (request.json)
    return {
      exitCode: verdict.valid ? VERIFY_EXIT.valid : VERIFY_EXIT.invalid,
      out: `${JSON.stringify(verdict, null, 2)}\n`,
      err: '',
      verdict,
    };
  if (verdict.valid) {
    const out = `VALID\n${verdict.summary.map((s) => `  ${s}\n`).join('')}\nWhat this bundle proves, in the log's order:\n${verdict.facts.map((f) => `  ${f}\n`).join('')}`;
    return { exitCode: VERIFY_EXIT.valid, out, err: '', verdict };
  }
  return { exitCode: VERIFY_EXIT.invalid, out: '', err: `INVALID: ${verdict.problems.join('; ')}\n`, verdict };
}

/**
 * For a platform whose Ed25519 is asynchronous (WebCrypto): run once answering every signature
 * check "valid" while collecting them, check them all, then run again with the real answers. The
 * second run takes the same path as the first up to the first signature that fails, so every
 * check it makes was collected.
 */
export async function runVerifyWithAsyncSignatures(
  request: VerifyRequest,
  sha256: Sha256,
  verifyAsync: (publicKey: Uint8Array, message: Uint8Array, signature: Uint8Array) => Promise<boolean>,
): Promise<VerifyRun> {
  const asked = new Map<string, { publicKey: Uint8Array; message: Uint8Array; signature: Uint8Array }>();
  const id = (publicKey: Uint8Array, message: Uint8Array, signature: Uint8Array) =>
    [publicKey, signature, message].map((b) => Array.from(b, (x) => x.toString(16).padStart(2, '0')).join('')).join(':');
  const collecting: Ed25519 = {
    sign: () => {
      throw new Error('verifiers do not sign');
    },
    verify: (publicKey, message, signature) => {
      asked.set(id(publicKey, message, signature), { publicKey, message, signature });
      return publicKey.length === 32 && signature.length === 64;
    },
  };
  runVerify(request, { sha256, ed25519: collecting });
  const answers = new Map<string, boolean>();
  for (const [key, c] of asked)
    answers.set(key, c.publicKey.length === 32 && c.signature.length === 64 && (await verifyAsync(c.publicKey, c.message, c.signature)));
  return runVerify(request, {
    sha256,
    ed25519: { sign: collecting.sign, verify: (publicKey, message, signature) => answers.get(id(publicKey, message, signature)) ?? false },
  });
}
