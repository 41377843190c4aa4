import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { ed25519, generateSigningKey, privateKeyFromPkcs8, sha256 } from '../crypto/node.ts';
import {
  FormatError,
  formatCheckpoint,
  formatConsistencyProof,
  formatTlogProof,
  formatVerifierKey,
  parseCheckpoint,
  parseConsistencyProof,
  parseNote,
  parseTlogProof,
  parseVerifierKey,
  signNote,
  verifyNote,
} from './signed-note.ts';

// From c2sp.org/signed-note (../shared/reference/c2sp/signed-note.md).
const EXAMPLE_VKEY = 'example.com/foo+530d903a+AekyeRrm56hApGFkyQR4ZCbV54Id2LKaANYcrnKv3U2k';
const EXAMPLE_NOTE =
  'This is an example message.\n\n\u2014 example.com/foo Uw2QOkn8srV1yJGh2VYRlL1Tnagv1YEq6TfXppzi2ONncAlTgK7Ztg1ERYNZXsYjOBH3mFXmRKuwHjG1Yu72IneyaQM=\n';

describe('signed notes', () => {
  it('verifies the C2SP example note with its verifier key', () => {
    const key = parseVerifierKey(sha256, EXAMPLE_VKEY);
    expect(key.keyId).toBe(0x530d903a);
    expect(verifyNote(ed25519, EXAMPLE_NOTE, [key]).text).toBe('This is an example message.\n');
  });

  it('rejects the example with any single byte changed', () => {
    const key = parseVerifierKey(sha256, EXAMPLE_VKEY);
    const bytes = new TextEncoder().encode(EXAMPLE_NOTE);
    let rejected = 0;
    for (let i = 0; i < bytes.length; i++) {
      const changed = bytes.slice();
      changed[i] = changed[i]! ^ 0x01;
      const text = new TextDecoder('utf-8', { fatal: false }).decode(changed);
      expect(() => verifyNote(ed25519, text, [key]), `byte ${i}`).toThrow(FormatError);
      rejected += 1;
    }
    expect(rejected).toBe(bytes.length);
  });

  it('rejects a changed verifier key', () => {
    expect(() => parseVerifierKey(sha256, EXAMPLE_VKEY.replace('530d903a', '530d903b'))).toThrow(/key id does not match/);
    expect(() => parseVerifierKey(sha256, EXAMPLE_VKEY.replace('foo', 'fo+o'))).toThrow();
  });

  it('ignores signatures of unknown keys, but needs one known signature', () => {
    const ours = generateSigningKey();
    const theirs = generateSigningKey();
    const note = signNote(sha256, ed25519, 'hello\n', 'offboard/t1', ours.publicKey, privateKeyFromPkcs8(ours.privateKeyPkcs8));
    const other = signNote(sha256, ed25519, 'hello\n', 'someone/else', theirs.publicKey, privateKeyFromPkcs8(theirs.privateKeyPkcs8));
    const both = note + other.slice(other.indexOf('\u2014'));
    const key = parseVerifierKey(sha256, formatVerifierKey(sha256, 'offboard/t1', ours.publicKey));
    expect(verifyNote(ed25519, both, [key]).signedBy).toHaveLength(1);
    expect(() => verifyNote(ed25519, other, [key])).toThrow(/no signature from a known key/);
  });

  it('formats and parses checkpoints, tlog proofs and consistency proofs exactly', () => {
    const root = sha256(new TextEncoder().encode('root'));
    const text = formatCheckpoint({ origin: 'offboard/t1', size: 20852163, root, extensions: [] });
    expect(text).toBe(`offboard/t1\n20852163\n${Buffer.from(root).toString('base64')}\n`);
    expect(parseCheckpoint(text)).toEqual({ origin: 'offboard/t1', size: 20852163, root, extensions: [] });
    const note = `${text}\n\u2014 offboard/t1 AAAAAAAA\n`;
    const proof = formatTlogProof({ extra: null, index: 73894, proof: [root, root], checkpoint: note });
    expect(parseTlogProof(proof)).toEqual({ extra: null, index: 73894, proof: [root, root], checkpoint: note });
    const consistency = formatConsistencyProof({ from: 3, to: 9, proof: [root] });
    expect(parseConsistencyProof(consistency)).toEqual({ from: 3, to: 9, proof: [root] });
  });

  it('refuses malformed checkpoints with a reason', () => {
    expect(() => parseCheckpoint('o\n012\nAAAA\n')).toThrow(/leading zeros/);
    expect(() => parseCheckpoint('o\n12\nAAAA\n')).toThrow(/not a 32-byte hash/);
    expect(() => parseCheckpoint('o\n12\n')).toThrow(/origin, a size and a root/);
    expect(() => parseNote('text\n\u2014 k sig\n')).toThrow(/blank line/);
  });

  it('every parser answers any input with a value or a FormatError, never anything else (fuzz)', () => {
    const parsers = [
      (s: string) => parseNote(s),
      parseCheckpoint,
      parseTlogProof,
      parseConsistencyProof,
      (s: string) => parseVerifierKey(sha256, s),
      (s: string) => verifyNote(ed25519, s, [parseVerifierKey(sha256, EXAMPLE_VKEY)]),
    ];
    const near = fc.oneof(
      fc.string({ unit: 'binary', maxLength: 400 }),
      fc
        .constantFrom(
          EXAMPLE_NOTE,
          'c2sp.org/tlog-proof@v1\nindex 0\n\n' + EXAMPLE_NOTE,
          'offboard/consistency-proof@v1\nfrom 1\nto 2\n',
          EXAMPLE_VKEY,
        )
        .chain((base) =>
          fc
            .tuple(fc.nat(base.length), fc.nat(base.length), fc.string({ maxLength: 5 }))
            .map(([a, b, ins]) => base.slice(0, Math.min(a, b)) + ins + base.slice(Math.max(a, b))),
        ),
    );
    fc.assert(
      fc.property(near, (input) => {
        for (const parse of parsers) {
          try {
            parse(input);
          } catch (e) {
            expect(e).toBeInstanceOf(FormatError);
          }
        }
      }),
      { numRuns: 3000 },
    );
  }, 60_000);
});

describe('strict base64', () => {
  it('decodes and encodes exactly as Node does, and accepts only the canonical text (property)', async () => {
    const { decodeBase64, encodeBase64 } = await import('./signed-note.ts');
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 70 }), (bytes) => {
        const text = Buffer.from(bytes).toString('base64');
        expect(encodeBase64(bytes)).toBe(text);
        expect(Buffer.from(decodeBase64(text, 'x')).equals(Buffer.from(bytes))).toBe(true);
      }),
    );
    fc.assert(
      fc.property(fc.string({ maxLength: 24 }), (text) => {
        const canonical = Buffer.from(text, 'base64').toString('base64') === text;
        if (canonical) expect(encodeBase64(decodeBase64(text, 'x'))).toBe(text);
        else expect(() => decodeBase64(text, 'x')).toThrow(FormatError);
      }),
      { numRuns: 5000 },
    );
    expect(() => decodeBase64('AB==', 'x')).toThrow(/not canonical/);
    expect(() => decodeBase64('AAB=', 'x')).toThrow(/not canonical/);
    expect(() => decodeBase64('A=AA', 'x')).toThrow(/not standard/);
  });
});
