/**
 * RFC 6962's MTH, PATH and PROOF exactly as the RFC defines them, recursively, over one fixed list
 * of leaf hashes (MTH of a subrange memoized by its bounds): the reference the tree is checked
 * against.
 */
import { sha256 } from '../src/crypto/node.ts';
import { type Hash, emptyRoot, nodeHash, splitPoint } from '../src/domain/merkle.ts';

export function referenceOver(leaves: readonly Hash[]) {
  const memo = new Map<number, Hash>();
  const width = leaves.length + 1;
  const mth = (a: number, b: number): Hash => {
    const key = a * width + b;
    let h = memo.get(key);
    if (!h) {
      const n = b - a;
      h = n === 0 ? emptyRoot(sha256) : n === 1 ? leaves[a]! : nodeHash(sha256, mth(a, a + splitPoint(n)), mth(a + splitPoint(n), b));
      memo.set(key, h);
    }
    return h;
  };
  const path = (m: number, a: number, b: number): Hash[] => {
    if (b - a <= 1) return [];
    const k = splitPoint(b - a);
    return m < k ? [...path(m, a, a + k), mth(a + k, b)] : [...path(m - k, a + k, b), mth(a, a + k)];
  };
  const subproof = (m: number, a: number, b: number, whole: boolean): Hash[] => {
    if (m === b - a) return whole ? [] : [mth(a, b)];
    const k = splitPoint(b - a);
    return m <= k ? [...subproof(m, a, a + k, whole), mth(a + k, b)] : [...subproof(m - k, a + k, b, false), mth(a, a + k)];
  };
  return {
    /** MTH(D[0:n]) */
    root: (n: number) => mth(0, n),
    /** PATH(m, D[0:n]) */
    path: (m: number, n: number) => path(m, 0, n),
    /** PROOF(m, D[0:n]) */
    proof: (m: number, n: number) => subproof(m, 0, n, true),
  };
}
