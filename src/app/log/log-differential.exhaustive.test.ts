/**
 * Differential test of the stored tree: 2,048 events appended through the database in batches of
 * varying size; for every size up to 2,048 the root read from the stored subtrees, and every
 * inclusion and consistency proof built from them, equal the RFC 6962 definitions computed
 * recursively from the leaves.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testApp } from '../../../test/app-fixture.ts';
import { testDatabaseKind } from '../../../test/db.ts';
import { sha256 } from '../../crypto/node.ts';
import { referenceOver } from '../../../test/rfc6962-reference.ts';
import { type Hash, type NodeId, consistencyProofRanges, hashOf, inclusionProofRanges, sameBytes } from '../../domain/merkle.ts';
import { appendAuditEvents, leafOf } from '../../storage/audit-repository.ts';
import type { Database } from '../../storage/db.ts';
import type { App } from '../context.ts';
import { createTenant } from '../accounts/create-tenant.ts';
import { consistencyProof, inclusionProof, rootAt } from './transparency-log.ts';

const N = 2048;
let app: App;
let database: Database;
let tenantId: string;
let leaves: Hash[];
let stored: Map<number, Hash>;
let ref: ReturnType<typeof referenceOver>;

beforeAll(async () => {
  ({ app, database } = await testApp());
  ({ tenantId } = await createTenant(app, { name: 'Differential MSP' }));
  for (let i = 1, batch = 1; i < N; i += batch, batch = (batch % 37) + 1) {
    const count = Math.min(batch, N - i);
    await database.db.transaction((tx) =>
      appendAuditEvents(
        tx,
        tenantId,
        '2026-03-02T12:00:00.000Z',
        Array.from({ length: count }, (_, k) => ({
          actor: 'system',
          action: 'test.leaf',
          subject: { type: 'leaf', id: String(i + k) },
          data: { i: i + k },
        })),
      ),
    );
  }
  const events = await database.query<{ canonical: string }>('select canonical from audit_events where tenant_id = $1 order by seq', [
    tenantId,
  ]);
  leaves = events.map((e) => leafOf(e.canonical));
  ref = referenceOver(leaves);
  const nodes = await database.query<{ level: number; idx: string | number; hash: Uint8Array }>(
    'select level, idx, hash from log_nodes where tenant_id = $1',
    [tenantId],
  );
  stored = new Map(nodes.map((n) => [n.level * 4096 + Number(n.idx), new Uint8Array(n.hash)]));
}, 120_000);
afterAll(() => database.close());

const hex = (hashes: Hash[]) => hashes.map((h) => Buffer.from(h).toString('hex')).join(',');
const same = (a: Hash[], b: Hash[]) => a.length === b.length && a.every((h, i) => sameBytes(h, b[i]!));

describe(`the stored tree against the RFC 6962 definitions (${testDatabaseKind})`, () => {
  const node = (id: NodeId) => stored.get(id.level * 4096 + id.index)!;
  // hashOf is a pure function of the range and the stored subtrees: each range is hashed once, then reused.
  const rangeHashes = new Map<number, Hash>();
  const fromStore = (ranges: ReturnType<typeof inclusionProofRanges>) =>
    ranges.map((r) => {
      const key = r.start * 4096 + r.end;
      let h = rangeHashes.get(key);
      if (!h) rangeHashes.set(key, (h = hashOf(sha256, r, node)));
      return h;
    });

  it('holds 2,048 leaves and one subtree per completed node', () => {
    expect(leaves).toHaveLength(N);
    expect(stored.size).toBe(2 * N - 1);
  });

  it('agrees on the root at every size up to 2,048, read from the database', async () => {
    for (let n = 1; n <= N; n++)
      expect(Buffer.from(await rootAt(database.db, tenantId, n)).toString('hex'), `size ${n}`).toBe(
        Buffer.from(ref.root(n)).toString('hex'),
      );
  }, 120_000);

  it('agrees on every inclusion proof at every size up to 2,048', () => {
    for (let n = 1; n <= N; n++)
      for (let m = 0; m < n; m++)
        if (!same(fromStore(inclusionProofRanges(m, n)), ref.path(m, n))) throw new Error(`inclusion proof ${m} in ${n} differs`);
  }, 300_000);

  it('agrees on every consistency proof between every two sizes up to 2,048', () => {
    for (let n = 1; n <= N; n++)
      for (let m = 1; m <= n; m++)
        if (!same(fromStore(consistencyProofRanges(m, n)), ref.proof(m, n))) throw new Error(`consistency proof ${m} to ${n} differs`);
  }, 300_000);

  it('serves the same proofs through the database queries (sampled)', async () => {
    for (const [m, n] of [
      [0, 1],
      [0, 2048],
      [2047, 2048],
      [1000, 1337],
      [5, 6],
    ] as const)
      expect(hex(await inclusionProof(database.db, tenantId, m, n))).toBe(hex(ref.path(m, n)));
    for (const [m, n] of [
      [1, 2048],
      [1024, 2048],
      [1000, 1337],
      [7, 8],
      [2048, 2048],
    ] as const)
      expect(hex(await consistencyProof(database.db, tenantId, m, n))).toBe(hex(ref.proof(m, n)));
  });
});
