import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { referenceOver } from '../../test/rfc6962-reference.ts';
import { ed25519, generateSigningKey, privateKeyFromPkcs8, sha256 } from '../crypto/node.ts';
import { cosign, decideAddCheckpoint, formatAddCheckpoint, parseAddCheckpoint, verifyCosignature, withSignatures } from './cosignature.ts';
import { leafHash } from './merkle.ts';
import { KEY_TYPES, formatCheckpoint, formatVerifierKey, parseNote, parseVerifierKey, signNote } from './signed-note.ts';

const utf8 = new TextEncoder();
const logKeyPair = generateSigningKey();
const logKey = parseVerifierKey(sha256, formatVerifierKey(sha256, 'offboard/test', logKeyPair.publicKey));
const witnessPair = generateSigningKey();
const witnessKey = parseVerifierKey(
  sha256,
  formatVerifierKey(sha256, 'witness.example', witnessPair.publicKey, KEY_TYPES.cosignature),
  KEY_TYPES.cosignature,
);

const leaves = Array.from({ length: 40 }, (_, i) => leafHash(sha256, utf8.encode(`event ${i}`)));
const forkLeaves = leaves.map((l, i) => (i === 3 ? leafHash(sha256, utf8.encode('rewritten')) : l));
const tree = referenceOver(leaves);
const fork = referenceOver(forkLeaves);
const checkpoint = (size: number, t = tree) =>
  signNote(
    sha256,
    ed25519,
    formatCheckpoint({ origin: 'offboard/test', size, root: t.root(size), extensions: [] }),
    logKey.name,
    logKey.publicKey,
    privateKeyFromPkcs8(logKeyPair.privateKeyPkcs8),
  );
const held = (size: number) => ({ origin: 'offboard/test', size, root: tree.root(size) });

describe('cosignatures (c2sp.org/tlog-cosignature, Ed25519)', () => {
  it('sign and verify over the checkpoint body with the time, and a changed byte or time fails', () => {
    const note = checkpoint(7);
    const line = cosign(ed25519, privateKeyFromPkcs8(witnessPair.privateKeyPkcs8), witnessKey, parseNote(note).text, 1_700_000_000);
    const cosigned = withSignatures(note, [line]);
    expect(verifyCosignature(ed25519, cosigned, witnessKey)).toBe(1_700_000_000);
    expect(withSignatures(cosigned, [line])).toBe(cosigned);
    expect(verifyCosignature(ed25519, note, witnessKey)).toBeUndefined();
    expect(() => verifyCosignature(ed25519, cosigned.replace('\n7\n', '\n8\n'), witnessKey)).toThrow(/does not verify/);
    const bytes = Buffer.from(line.split(' ').pop()!, 'base64');
    bytes[11] = (bytes[11] ?? 0) ^ 1; // the timestamp's last byte
    expect(() =>
      verifyCosignature(ed25519, withSignatures(note, [`${line.slice(0, line.lastIndexOf(' '))} ${bytes.toString('base64')}`]), witnessKey),
    ).toThrow(/does not verify/);
  });

  it('round-trips the add-checkpoint request', () => {
    const request = { oldSize: 5, proof: tree.proof(5, 9), checkpoint: checkpoint(9) };
    expect(parseAddCheckpoint(formatAddCheckpoint(request))).toEqual(request);
    expect(() => parseAddCheckpoint('old x\n\n')).toThrow();
  });

  it('cosigns only what extends what it holds: any consistent growth, never a fork, a rollback or another log (property)', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 39 }), fc.integer({ min: 1, max: 40 }), (m, n) => {
        const decide = (oldSize: number, proof: Uint8Array[], cp: string, known = held(m)) =>
          decideAddCheckpoint(sha256, ed25519, { oldSize, proof, checkpoint: cp }, [logKey], known);
        if (n > m) {
          expect(decide(m, tree.proof(m, n), checkpoint(n)).ok).toBe(true);
          // A fork that changed an entry the witness already covered (entry 3) is refused.
          if (m > 3) expect(decide(m, fork.proof(m, n), checkpoint(n, fork))).toMatchObject({ ok: false, status: 422 });
        }
        if (n < m) expect(decide(m, [], checkpoint(n))).toMatchObject({ ok: false, status: 409, size: m });
        expect(decide(m === 1 ? 2 : m - 1, [], checkpoint(n))).toMatchObject({ ok: false, status: 409, size: m });
      }),
    );
    const stranger = generateSigningKey();
    const foreign = signNote(
      sha256,
      ed25519,
      formatCheckpoint({ origin: 'offboard/test', size: 9, root: tree.root(9), extensions: [] }),
      'offboard/test',
      stranger.publicKey,
      privateKeyFromPkcs8(stranger.privateKeyPkcs8),
    );
    expect(decideAddCheckpoint(sha256, ed25519, { oldSize: 0, proof: [], checkpoint: foreign }, [logKey], undefined)).toMatchObject({
      ok: false,
      status: 403,
    });
    expect(decideAddCheckpoint(sha256, ed25519, { oldSize: 0, proof: [], checkpoint: checkpoint(9) }, [logKey], undefined)).toMatchObject({
      ok: true,
    });
    expect(
      decideAddCheckpoint(sha256, ed25519, { oldSize: 9, proof: [], checkpoint: checkpoint(9, fork) }, [logKey], held(9)),
    ).toMatchObject({ ok: false, status: 422 });
  });
});
