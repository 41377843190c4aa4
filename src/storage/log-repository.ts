/** SQL for the transparency log: stored subtrees, signing keys and checkpoints. */
import { and, asc, desc, eq, isNull, sql } from 'drizzle-orm';
import type { Hash, NodeId } from '../domain/merkle.ts';
import type { Db, Queryable } from './db.ts';
import { hotQueries } from './hot-queries.ts';
import { checkpoints, logKeys, logNodes, tenants } from './schema.ts';

export type CheckpointRow = typeof checkpoints.$inferSelect;
export type LogKeyRow = typeof logKeys.$inferSelect;

const bytes = (b: Uint8Array) => new Uint8Array(b);

export const logRepo = {
  /** The tree's state; inside a transaction that appended, this is what it just wrote. */
  state: async (q: Queryable, tenantId: string) => {
    const [row] = await q
      .select({ size: tenants.logSize, range: tenants.logRange, seq: tenants.auditSeq })
      .from(tenants)
      .where(eq(tenants.id, tenantId));
    return row ? { size: row.size, range: bytes(row.range), seq: row.seq } : undefined;
  },
  /**
   * The tree's state, locking the tenant's row as an append does (FOR NO KEY UPDATE), so no append
   * moves it meanwhile. Not FOR UPDATE: that would also wait for every transaction holding the
   * row's KEY SHARE lock (any insert referencing the tenant), and deadlock with them.
   */
  stateForUpdate: async (q: Queryable, tenantId: string) => {
    const [row] = await q
      .select({ size: tenants.logSize, range: tenants.logRange, seq: tenants.auditSeq })
      .from(tenants)
      .where(eq(tenants.id, tenantId))
      .for('no key update');
    return row ? { size: row.size, range: bytes(row.range), seq: row.seq } : undefined;
  },
  /**
   * Stored subtrees by id and the log's size, in one statement of one shape per 5,000 ids (the ids
   * as two arrays; a proof needs about 2 log n): a proof request is one round trip.
   */
  // A prepared statement of the database, so never inside a transaction (proofs are reads).
  nodesAndSize: async (db: Db, tenantId: string, ids: readonly NodeId[]): Promise<{ nodes: Map<string, Hash>; size: number }> => {
    const nodes = new Map<string, Hash>();
    let size = 0;
    for (let i = 0; i === 0 || i < ids.length; i += 5000) {
      const chunk = ids.slice(i, i + 5000);
      const levels = `{${chunk.map((n) => n.level).join(',')}}`;
      const indexes = `{${chunk.map((n) => n.index).join(',')}}`;
      const rows = await hotQueries(db).proofNodes.execute({ tenantId, levels, indexes });
      for (const r of rows) {
        size = r.size;
        if (r.hash) nodes.set(`${r.level}/${r.idx}`, bytes(r.hash));
      }
    }
    return { nodes, size };
  },
  /** Stored subtrees by id, inside a transaction (no prepared statement). */
  nodesIn: async (q: Queryable, tenantId: string, ids: readonly NodeId[]): Promise<Map<string, Hash>> => {
    const nodes = new Map<string, Hash>();
    if (ids.length === 0) return nodes;
    const levels = `{${ids.map((n) => n.level).join(',')}}`;
    const indexes = `{${ids.map((n) => n.index).join(',')}}`;
    const rows = await q
      .select({ level: logNodes.level, idx: logNodes.idx, hash: logNodes.hash })
      .from(logNodes)
      .where(
        and(
          eq(logNodes.tenantId, tenantId),
          sql`(${logNodes.level}, ${logNodes.idx}) in (select * from unnest(${levels}::smallint[], ${indexes}::bigint[]))`,
        ),
      );
    for (const r of rows) nodes.set(`${r.level}/${r.idx}`, bytes(r.hash));
    return nodes;
  },
  /** Stored subtrees in (level, idx) order, a page at a time. */
  nodePage: (q: Queryable, tenantId: string, after: { level: number; idx: number } | null, limit: number) =>
    q
      .select({ level: logNodes.level, idx: logNodes.idx, hash: logNodes.hash })
      .from(logNodes)
      .where(
        and(
          eq(logNodes.tenantId, tenantId),
          after ? sql`(${logNodes.level}, ${logNodes.idx}) > (${after.level}, ${after.idx})` : undefined,
        ),
      )
      .orderBy(asc(logNodes.level), asc(logNodes.idx))
      .limit(limit),
  activeKey: async (q: Queryable, tenantId: string) =>
    (
      await q
        .select()
        .from(logKeys)
        .where(and(eq(logKeys.tenantId, tenantId), isNull(logKeys.retiredAt)))
        .orderBy(desc(logKeys.createdAt))
        .limit(1)
    )[0],
  keys: (q: Queryable, tenantId: string) => q.select().from(logKeys).where(eq(logKeys.tenantId, tenantId)).orderBy(asc(logKeys.createdAt)),
  insertKey: (q: Queryable, row: typeof logKeys.$inferInsert) => q.insert(logKeys).values(row),
  retireKeys: (q: Queryable, tenantId: string, at: string) =>
    q
      .update(logKeys)
      .set({ retiredAt: at })
      .where(and(eq(logKeys.tenantId, tenantId), isNull(logKeys.retiredAt))),
  latestCheckpoint: async (q: Queryable, tenantId: string) =>
    (await q.select().from(checkpoints).where(eq(checkpoints.tenantId, tenantId)).orderBy(desc(checkpoints.size)).limit(1))[0],
  checkpoints: (q: Queryable, tenantId: string, fromSize = 0) =>
    q
      .select()
      .from(checkpoints)
      .where(and(eq(checkpoints.tenantId, tenantId), sql`${checkpoints.size} >= ${fromSize}`))
      .orderBy(asc(checkpoints.size)),
  insertCheckpoint: async (q: Queryable, row: typeof checkpoints.$inferInsert) =>
    (await q.insert(checkpoints).values(row).onConflictDoNothing().returning())[0],
};
