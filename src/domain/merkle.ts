/**
 * The RFC 6962 / RFC 9162 Merkle tree of a tenant's audit log: leaf and node hashes, the compact
 * range an append needs, which stored subtrees a proof is made of, and proof verification.
 *
 * Pure: SHA-256 is passed in (Node's in the server and the verifier), and indexes are plain
 * numbers used arithmetically, never with 32-bit bit operators, so sizes up to 2^53 work.
 */

export type Hash = Uint8Array;
/** SHA-256 of the concatenation of the parts. */
export type Sha256 = (...parts: Uint8Array[]) => Hash;

/** A perfect subtree: leaves [index * 2^level, (index + 1) * 2^level). Level 0 is a leaf. */
export type NodeId = { level: number; index: number };
export type StoredNode = NodeId & { hash: Hash };
/** Leaves [start, end) of the tree, as the RFC's recursion splits it. */
export type LeafRange = { start: number; end: number };

const LEAF_PREFIX = Uint8Array.of(0);
const NODE_PREFIX = Uint8Array.of(1);

export class ProofError extends Error {}

export function leafHash(sha256: Sha256, leaf: Uint8Array): Hash {
  return sha256(LEAF_PREFIX, leaf);
}

export function nodeHash(sha256: Sha256, left: Hash, right: Hash): Hash {
  return sha256(NODE_PREFIX, left, right);
}

export function emptyRoot(sha256: Sha256): Hash {
  return sha256();
}

/** The largest power of two strictly less than n (n >= 2): the size of the RFC's left subtree. */
export function splitPoint(n: number): number {
  let k = 1;
  while (k * 2 < n) k *= 2;
  return k;
}

const odd = (n: number) => n % 2 === 1;
const half = (n: number) => Math.floor(n / 2);

/**
 * The compact range of a tree of `size` leaves: the hashes of the perfect subtrees its size
 * decomposes into, largest (leftmost) first. Appending costs O(log n) and yields every subtree
 * completed on the way, which is what the store keeps.
 */
export function appendToRange(
  sha256: Sha256,
  range: readonly Hash[],
  size: number,
  leaves: readonly Hash[],
): { range: Hash[]; size: number; completed: StoredNode[] } {
  const next = [...range];
  const completed: StoredNode[] = [];
  let n = size;
  for (const leaf of leaves) {
    let hash = leaf;
    let level = 0;
    let index = n;
    completed.push({ level, index, hash });
    while (odd(index)) {
      const left = next.pop();
      if (!left) throw new Error(`compact range too short for size ${n}`);
      hash = nodeHash(sha256, left, hash);
      level += 1;
      index = half(index);
      completed.push({ level, index, hash });
    }
    next.push(hash);
    n += 1;
  }
  return { range: next, size: n, completed };
}

/** The root of a tree from its compact range. */
export function rootOfRange(sha256: Sha256, range: readonly Hash[]): Hash {
  if (range.length === 0) return emptyRoot(sha256);
  let root = range[range.length - 1] as Hash;
  for (let i = range.length - 2; i >= 0; i--) root = nodeHash(sha256, range[i] as Hash, root);
  return root;
}

/** The perfect subtrees whose hashes, folded from the right, give MTH of leaves [start, end). */
export function coverOf({ start, end }: LeafRange): NodeId[] {
  const nodes: NodeId[] = [];
  let a = start;
  while (a < end) {
    let size = 1;
    while (a % (size * 2) === 0 && a + size * 2 <= end) size *= 2;
    let level = 0;
    for (let s = size; s > 1; s = half(s)) level += 1;
    nodes.push({ level, index: a / size });
    a += size;
  }
  return nodes;
}

/** The compact range (as node ids) of a tree of `size` leaves. */
export function rangeNodes(size: number): NodeId[] {
  return coverOf({ start: 0, end: size });
}

/** MTH of a leaf range from the stored perfect subtrees. */
export function hashOf(sha256: Sha256, range: LeafRange, node: (id: NodeId) => Hash): Hash {
  if (range.end <= range.start) return emptyRoot(sha256);
  const cover = coverOf(range).map(node);
  let hash = cover[cover.length - 1] as Hash;
  for (let i = cover.length - 2; i >= 0; i--) hash = nodeHash(sha256, cover[i] as Hash, hash);
  return hash;
}

/** RFC 9162 2.1.3.1 PATH(m, D[n]): the ranges whose hashes form the inclusion proof, leaf's sibling first. */
export function inclusionProofRanges(index: number, size: number): LeafRange[] {
  if (!Number.isSafeInteger(index) || !Number.isSafeInteger(size) || index < 0 || index >= size)
    throw new ProofError(`index ${index} is not in a tree of size ${size}`);
  const ranges: LeafRange[] = [];
  let start = 0;
  let end = size;
  while (end - start > 1) {
    const k = splitPoint(end - start);
    if (index < start + k) {
      ranges.push({ start: start + k, end });
      end = start + k;
    } else {
      ranges.push({ start, end: start + k });
      start += k;
    }
  }
  return ranges.reverse();
}

/** RFC 9162 2.1.4.1 PROOF(m, D[n]): the ranges whose hashes form the consistency proof. */
export function consistencyProofRanges(size1: number, size2: number): LeafRange[] {
  if (!Number.isSafeInteger(size1) || !Number.isSafeInteger(size2) || size1 < 0 || size1 > size2)
    throw new ProofError(`no consistency proof from size ${size1} to size ${size2}`);
  if (size1 === 0 || size1 === size2) return [];
  const ranges: LeafRange[] = [];
  let start = 0;
  let end = size2;
  let whole = true;
  while (size1 !== end) {
    const k = splitPoint(end - start);
    if (size1 <= start + k) {
      ranges.push({ start: start + k, end });
      end = start + k;
    } else {
      ranges.push({ start, end: start + k });
      start += k;
      whole = false;
    }
  }
  if (!whole) ranges.push({ start, end });
  return ranges.reverse();
}

/** Every stored node a set of ranges needs, each once. */
export function nodesFor(ranges: readonly LeafRange[]): NodeId[] {
  const seen = new Map<string, NodeId>();
  for (const r of ranges) for (const n of coverOf(r)) seen.set(`${n.level}/${n.index}`, n);
  return [...seen.values()];
}

function sameBytes(a: Uint8Array, b: Uint8Array): boolean {
  if (a.length !== b.length) return false;
  let diff = 0;
  for (let i = 0; i < a.length; i++) diff |= (a[i] as number) ^ (b[i] as number);
  return diff === 0;
}

/** The root an inclusion proof leads to (RFC 9162 2.1.3.2 steps 1-5, without the final comparison). */
export function rootFromInclusionProof(sha256: Sha256, index: number, size: number, leaf: Hash, proof: readonly Hash[]): Hash {
  if (!Number.isSafeInteger(index) || !Number.isSafeInteger(size) || index < 0)
    throw new ProofError('the index and size must be whole numbers');
  if (index >= size) throw new ProofError(`index ${index} is beyond the tree size ${size}`);
  if (leaf.length !== 32) throw new ProofError(`the leaf hash has ${leaf.length} bytes, not 32`);
  let fn = index;
  let sn = size - 1;
  let r = leaf;
  for (const p of proof) {
    if (sn === 0) throw new ProofError('the inclusion proof is longer than the tree is deep');
    if (odd(fn) || fn === sn) {
      r = nodeHash(sha256, p, r);
      if (!odd(fn)) {
        while (!odd(fn) && fn !== 0) {
          fn = half(fn);
          sn = half(sn);
        }
      }
    } else {
      r = nodeHash(sha256, r, p);
    }
    fn = half(fn);
    sn = half(sn);
  }
  if (sn !== 0) throw new ProofError('the inclusion proof is too short for the tree size');
  return r;
}

export function verifyInclusion(sha256: Sha256, index: number, size: number, leaf: Hash, proof: readonly Hash[], root: Hash): void {
  const computed = rootFromInclusionProof(sha256, index, size, leaf, proof);
  if (!sameBytes(computed, root)) throw new ProofError(`the inclusion proof for index ${index} does not lead to the root of size ${size}`);
}

/** RFC 9162 2.1.4.2, with the edge cases of equal and empty sizes made explicit. */
export function verifyConsistency(sha256: Sha256, size1: number, size2: number, proof: readonly Hash[], root1: Hash, root2: Hash): void {
  if (!Number.isSafeInteger(size1) || !Number.isSafeInteger(size2) || size1 < 0) throw new ProofError('the sizes must be whole numbers');
  if (size1 > size2) throw new ProofError(`size ${size1} is larger than size ${size2}`);
  // As the RFC 6962 test vectors expect: nothing is proven about the empty tree, even to itself.
  if (size1 === 0) throw new ProofError('a consistency proof from the empty tree proves nothing');
  if (size1 === size2) {
    if (proof.length > 0) throw new ProofError('equal sizes need an empty proof');
    if (!sameBytes(root1, root2)) throw new ProofError(`two different roots for size ${size1}`);
    return;
  }
  if (proof.length === 0) throw new ProofError('the consistency proof is empty');
  const path = isPowerOfTwo(size1) ? [root1, ...proof] : [...proof];
  let fn = size1 - 1;
  let sn = size2 - 1;
  while (odd(fn)) {
    fn = half(fn);
    sn = half(sn);
  }
  let fr = path[0] as Hash;
  let sr = path[0] as Hash;
  for (const c of path.slice(1)) {
    if (sn === 0) throw new ProofError('the consistency proof is longer than needed');
    if (odd(fn) || fn === sn) {
      fr = nodeHash(sha256, c, fr);
      sr = nodeHash(sha256, c, sr);
      if (!odd(fn)) {
        while (!odd(fn) && fn !== 0) {
          fn = half(fn);
          sn = half(sn);
        }
      }
    } else {
      sr = nodeHash(sha256, sr, c);
    }
    fn = half(fn);
    sn = half(sn);
  }
  if (sn !== 0) throw new ProofError('the consistency proof is too short');
  if (!sameBytes(fr, root1)) throw new ProofError(`the consistency proof does not lead to the root of size ${size1}`);
  if (!sameBytes(sr, root2)) throw new ProofError(`the consistency proof does not lead to the root of size ${size2}`);
}

function isPowerOfTwo(n: number): boolean {
  let k = 1;
  while (k < n) k *= 2;
  return k === n;
}

export { sameBytes };
