import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { sha256 } from '../crypto/node.ts';
import { referenceOver } from '../../test/rfc6962-reference.ts';
import {
  type Hash,
  type NodeId,
  appendToRange,
  consistencyProofRanges,
  hashOf,
  inclusionProofRanges,
  leafHash,
  rootOfRange,
  verifyConsistency,
  verifyInclusion,
} from './merkle.ts';

const VECTORS = join(import.meta.dirname, '../../../shared/vectors/rfc6962');
const b64 = (s: string | null | undefined) => new Uint8Array(Buffer.from(s ?? '', 'base64'));
const hex = (h: Uint8Array) => Buffer.from(h).toString('hex');

function jsonFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    return statSync(path).isDirectory() ? jsonFiles(path) : name.endsWith('.json') ? [path] : [];
  });
}

/** A tree built by appends, keeping every completed subtree as the database does. */
function buildStore(leaves: Hash[]) {
  const nodes = new Map<string, Hash>();
  let state = { range: [] as Hash[], size: 0 };
  const roots: Hash[] = [rootOfRange(sha256, [])];
  for (const leaf of leaves) {
    const next = appendToRange(sha256, state.range, state.size, [leaf]);
    for (const n of next.completed) nodes.set(`${n.level}/${n.index}`, n.hash);
    state = next;
    roots.push(rootOfRange(sha256, state.range));
  }
  const node = (id: NodeId) => {
    const h = nodes.get(`${id.level}/${id.index}`);
    if (!h) throw new Error(`missing node ${id.level}/${id.index}`);
    return h;
  };
  return {
    roots,
    inclusion: (m: number, n: number) => inclusionProofRanges(m, n).map((r) => hashOf(sha256, r, node)),
    consistency: (m: number, n: number) => consistencyProofRanges(m, n).map((r) => hashOf(sha256, r, node)),
  };
}

describe('RFC 6962 vectors', () => {
  it('roots of the test leaves for sizes 0-8 match roots.json', () => {
    const roots = JSON.parse(readFileSync(join(VECTORS, 'roots.json'), 'utf8')) as {
      leafInputsHex: string[];
      rootHashesHexBySize: string[];
    };
    const leaves = roots.leafInputsHex.map((h) => leafHash(sha256, new Uint8Array(Buffer.from(h, 'hex'))));
    const store = buildStore(leaves);
    expect(store.roots.map(hex)).toEqual(roots.rootHashesHexBySize);
    const reference = referenceOver(leaves);
    roots.rootHashesHexBySize.forEach((want, size) => expect(hex(reference.root(size))).toBe(want));
  });

  const inclusion = jsonFiles(join(VECTORS, 'testdata/inclusion'));
  it(`all ${inclusion.length} inclusion cases give the expected verdict`, () => {
    expect(inclusion.length).toBeGreaterThan(50);
    for (const file of inclusion) {
      const c = JSON.parse(readFileSync(file, 'utf8')) as {
        leafIdx: number;
        treeSize: number;
        root: string;
        leafHash: string;
        proof: string[] | null;
        wantErr: boolean;
      };
      const run = () => verifyInclusion(sha256, c.leafIdx, c.treeSize, b64(c.leafHash), (c.proof ?? []).map(b64), b64(c.root));
      if (c.wantErr) expect(run, file).toThrow();
      else expect(run, file).not.toThrow();
    }
  });

  const consistency = jsonFiles(join(VECTORS, 'testdata/consistency'));
  it(`all ${consistency.length} consistency cases give the expected verdict`, () => {
    expect(consistency.length).toBeGreaterThan(50);
    for (const file of consistency) {
      const c = JSON.parse(readFileSync(file, 'utf8')) as {
        size1: number;
        size2: number;
        root1: string;
        root2: string;
        proof: string[] | null;
        wantErr: boolean;
      };
      const run = () => verifyConsistency(sha256, c.size1, c.size2, (c.proof ?? []).map(b64), b64(c.root1), b64(c.root2));
      if (c.wantErr) expect(run, file).toThrow();
      else expect(run, file).not.toThrow();
    }
  });
});

describe('the append-only tree against the recursive reference', () => {
  const leaves = Array.from({ length: 2048 }, (_, i) => leafHash(sha256, new TextEncoder().encode(`event ${i}`)));
  const store = buildStore(leaves);
  const reference = referenceOver(leaves);

  it('agrees on the root of every size up to 2,048', { timeout: 60_000 }, () => {
    for (let n = 0; n <= 2048; n++) expect(hex(store.roots[n]!), `size ${n}`).toBe(hex(reference.root(n)));
  });

  it('agrees on every inclusion and consistency proof for all sizes up to 128, and they verify', { timeout: 120_000 }, () => {
    for (let n = 1; n <= 128; n++) {
      for (let m = 0; m < n; m++) {
        const proof = store.inclusion(m, n);
        expect(proof.map(hex), `inclusion ${m} in ${n}`).toEqual(reference.path(m, n).map(hex));
        verifyInclusion(sha256, m, n, leaves[m]!, proof, store.roots[n]!);
      }
      for (let m = 1; m <= n; m++) {
        const proof = store.consistency(m, n);
        expect(proof.map(hex), `consistency ${m} to ${n}`).toEqual(reference.proof(m, n).map(hex));
        verifyConsistency(sha256, m, n, proof, store.roots[m]!, store.roots[n]!);
      }
    }
  });

  it('agrees on sampled inclusion and consistency proofs for every size up to 2,048', { timeout: 120_000 }, () => {
    for (let n = 129; n <= 2048; n++) {
      for (const m of new Set([0, n - 1, (n * 7919) % n, Math.floor(n / 2)])) {
        const proof = store.inclusion(m, n);
        expect(proof.map(hex)).toEqual(reference.path(m, n).map(hex));
        verifyInclusion(sha256, m, n, leaves[m]!, proof, store.roots[n]!);
      }
      for (const m of new Set([1, n, n - 1, (n * 104729) % n || 1, Math.ceil(n / 3)])) {
        const proof = store.consistency(m, n);
        expect(proof.map(hex)).toEqual(reference.proof(m, n).map(hex));
        verifyConsistency(sha256, m, n, proof, store.roots[m]!, store.roots[n]!);
      }
    }
  });

  it('rejects any proof for the wrong index, size or root (property)', { timeout: 60_000 }, () => {
    fc.assert(
      fc.property(fc.integer({ min: 2, max: 300 }), fc.nat(), fc.nat(), (n, a, b) => {
        const m = a % n;
        const other = (m + 1 + (b % (n - 1))) % n;
        const proof = store.inclusion(m, n);
        expect(() => verifyInclusion(sha256, other, n, leaves[m]!, proof, store.roots[n]!)).toThrow();
        expect(() => verifyInclusion(sha256, m, n, leaves[other]!, proof, store.roots[n]!)).toThrow();
        const m1 = 1 + (a % (n - 1));
        expect(() => verifyConsistency(sha256, m1, n, store.consistency(m1, n), store.roots[m1 + 1]!, store.roots[n]!)).toThrow();
      }),
    );
  });
});
