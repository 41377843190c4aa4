/**
 * Evidence bundles under exhaustive attack (`npm run test:exhaustive`): every single-byte change
 * of every file of a real bundle, random changes of a whole closed offboarding's bundle, and
 * fuzzed zips and files: the verifier answers each with a rejection (or MalformedBundle), never
 * a crash, and only the documented allow-list may change.
 */
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type BundleMaterial, allowListed, bundleMaterial, rejected, verifyWith, withFile } from '../../../test/bundle-fixture.ts';
import { readBundle } from '../../domain/bundle-verifier.ts';
import { MalformedBundle } from '../../domain/evidence-bundle.ts';

let m: BundleMaterial;
let small: Map<string, Uint8Array>;
let full: Map<string, Uint8Array>;

beforeAll(async () => {
  m = await bundleMaterial();
  ({ small, full } = m);
}, 60_000);
afterAll(async () => {
  await m.database.close();
});

const verify = (files: ReadonlyMap<string, Uint8Array>, knownCheckpoint?: string) => verifyWith(m.keys, files, knownCheckpoint);

describe('evidence bundle verification, exhaustively', () => {
  it('rejects every single-byte change of every file of a bundle, except the documented allow-list', () => {
    let tried = 0;
    let allowed = 0;
    for (const [name, bytes] of small) {
      const isAllowed = allowListed(name, bytes);
      for (let i = 0; i < bytes.length; i++) {
        const changed = bytes.slice();
        changed[i] = changed[i]! ^ 0x01;
        const verdict = verify(withFile(small, name, changed));
        if (isAllowed(i)) {
          allowed++;
          continue;
        }
        tried++;
        if (!rejected(verdict)) throw new Error(`flipping byte ${i} of ${name} still verifies`);
      }
    }
    expect(tried).toBeGreaterThan(5000);
    expect(allowed).toBeLessThan(1500);
  }, 120_000);

  it("rejects random single-byte changes of a whole closed offboarding's bundle (property)", () => {
    const names = [...full.keys()].filter((n) => n !== 'README.txt');
    fc.assert(
      fc.property(fc.constantFrom(...names), fc.nat(), fc.integer({ min: 1, max: 255 }), (name, at, xor) => {
        const bytes = full.get(name)!;
        const i = at % bytes.length;
        if (allowListed(name, bytes)(i)) return;
        const changed = bytes.slice();
        changed[i] = changed[i]! ^ xor;
        expect(rejected(verify(withFile(full, name, changed)))).toBe(true);
      }),
      { numRuns: 1500 },
    );
  }, 120_000);

  it('the zip reader and the bundle verifier answer any input with a verdict or MalformedBundle, never a crash (fuzz)', () => {
    const names = [...small.keys()];
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 2000 }), (bytes) => {
        try {
          readBundle(bytes);
        } catch (e) {
          expect(e).toBeInstanceOf(MalformedBundle);
        }
      }),
      { numRuns: 1000 },
    );
    fc.assert(
      fc.property(
        fc.constantFrom(...names),
        fc.oneof(fc.string({ unit: 'binary', maxLength: 300 }), fc.uint8Array({ maxLength: 300 })),
        (name, content) => {
          const v = verify(withFile(small, name, content));
          expect(rejected(v) || name === 'README.txt').toBe(true);
        },
      ),
      { numRuns: 1000 },
    );
  }, 120_000);
});
