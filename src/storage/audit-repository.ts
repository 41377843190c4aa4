/**
 * Appends audit events and their leaves in the tenant's transparency log, in the caller's
 * transaction: contiguous per-tenant sequence numbers, and the tree's completed subtrees.
 */
import { and, asc, desc, eq, gt, inArray, lt, sql } from 'drizzle-orm';
import { type ActorNamed, type AuditEvent, type AuditEventInput, type OffboardingChain, canonicalEvent } from '../domain/audit.ts';
import { type Hash, appendToRange, leafHash } from '../domain/merkle.ts';
import { sha256 } from '../crypto/node.ts';
import type { Tx } from './db.ts';
import { apiTokens, auditEvents, logNodes, parties, tenants, users } from './schema.ts';

const utf8 = new TextEncoder();

export function splitRange(bytes: Uint8Array): Hash[] {
  const range: Hash[] = [];
  for (let i = 0; i < bytes.length; i += 32) range.push(bytes.slice(i, i + 32));
  return range;
}

export function joinRange(range: readonly Hash[]): Uint8Array {
  const bytes = new Uint8Array(range.length * 32);
  range.forEach((h, i) => bytes.set(h, i * 32));
  return bytes;
}

/** The event and the hash of its canonical bytes, the leaf of the log. */
export function leafOf(canonical: string): Hash {
  return leafHash(sha256, utf8.encode(canonical));
}

/**
 * Takes the tenant's next sequence numbers by bumping its counter row: the row lock orders
 * concurrent writers, and a rolled-back transaction gives its numbers back, so numbers are
 * contiguous and never reused. The same lock covers the tree, so appends are serialized too.
 */
export async function appendAuditEvents(tx: Tx, tenantId: string, at: string, inputs: readonly AuditEventInput[]): Promise<AuditEvent[]> {
  if (inputs.length === 0) return [];
  const [row] = await tx
    .update(tenants)
    .set({ auditSeq: sql`${tenants.auditSeq} + ${inputs.length}` })
    .where(eq(tenants.id, tenantId))
    .returning({ seq: tenants.auditSeq, logSize: tenants.logSize, logRange: tenants.logRange });
  if (!row) throw new Error(`tenant ${tenantId} does not exist`);
  const first = row.seq - inputs.length + 1;
  const leaves: Hash[] = [];
  if (row.logSize < first - 1) {
    // Events written before the log existed: they join the tree first, as they were stored.
    const earlier = await tx
      .select({ canonical: auditEvents.canonical })
      .from(auditEvents)
      .where(and(eq(auditEvents.tenantId, tenantId), gt(auditEvents.seq, row.logSize), lt(auditEvents.seq, first)))
      .orderBy(asc(auditEvents.seq));
    if (earlier.length !== first - 1 - row.logSize) throw new Error(`audit events ${row.logSize + 1}-${first - 1} are missing`);
    for (const e of earlier) leaves.push(leafOf(e.canonical));
  }
  const named = await actorsNamed(tx, tenantId, inputs);
  const chains = new Map<string, { n: number; seq: number }>();
  const events: AuditEvent[] = [];
  const rows: (typeof auditEvents.$inferInsert)[] = [];
  for (const [i, input] of inputs.entries()) {
    const seq = first + i;
    let chain: OffboardingChain | undefined;
    if (input.offboardingId) {
      const before = chains.get(input.offboardingId) ?? (await lastInChain(tx, tenantId, input.offboardingId));
      chain = { n: (before?.n ?? 0) + 1, prev: before ? before.seq : null };
      chains.set(input.offboardingId, { n: chain.n, seq });
    }
    const by = named.get(input.actor);
    const event: AuditEvent = { ...input, tenantId, seq, at, ...(chain ? { chain } : {}), ...(by ? { by } : {}) };
    const canonical = canonicalEvent(event);
    leaves.push(leafOf(canonical));
    events.push(event);
    rows.push({
      tenantId,
      seq,
      occurredAt: at,
      actor: input.actor,
      action: input.action,
      subjectType: input.subject.type,
      subjectId: input.subject.id,
      offboardingId: input.offboardingId ?? null,
      offboardingN: chain?.n ?? null,
      canonical,
    });
  }
  const tree = appendToRange(sha256, splitRange(row.logRange), row.logSize, leaves);
  await tx.insert(auditEvents).values(rows);
  await tx.insert(logNodes).values(tree.completed.map((n) => ({ tenantId, level: n.level, idx: n.index, hash: n.hash })));
  await tx
    .update(tenants)
    .set({ logSize: tree.size, logRange: joinRange(tree.range) })
    .where(eq(tenants.id, tenantId));
  return events;
}

/** The people and API tokens acting in these events, by name and role as they are now, in the appending transaction. */
async function actorsNamed(tx: Tx, tenantId: string, inputs: readonly AuditEventInput[]): Promise<Map<string, ActorNamed>> {
  const ids = (kind: string) => [
    ...new Set(inputs.filter((i) => i.actor.startsWith(`${kind}:`)).map((i) => i.actor.slice(kind.length + 1))),
  ];
  const userIds = ids('user');
  const tokenIds = ids('token');
  const named = new Map<string, ActorNamed>();
  if (userIds.length > 0) {
    const rows = await tx
      .select({ id: users.id, name: users.name, role: users.role })
      .from(users)
      .where(and(eq(users.tenantId, tenantId), inArray(users.id, userIds)));
    for (const r of rows) named.set(`user:${r.id}`, { name: r.name, role: r.role });
  }
  if (tokenIds.length > 0) {
    const rows = await tx
      .select({ id: apiTokens.id, name: apiTokens.name, role: apiTokens.role })
      .from(apiTokens)
      .where(and(eq(apiTokens.tenantId, tenantId), inArray(apiTokens.id, tokenIds)));
    for (const r of rows) named.set(`token:${r.id}`, { name: `API token "${r.name}"`, role: r.role });
  }
  const partyIds = ids('party');
  if (partyIds.length > 0) {
    // People outside the MSP, acting in the portal: named with their address, the side they act for as the role.
    const rows = await tx
      .select({ id: parties.id, name: parties.name, email: parties.email, side: parties.side })
      .from(parties)
      .where(and(eq(parties.tenantId, tenantId), inArray(parties.id, partyIds)));
    for (const r of rows) named.set(`party:${r.id}`, { name: `${r.name} <${r.email}>`, role: r.side });
  }
  return named;
}

export async function appendAuditEvent(tx: Tx, tenantId: string, at: string, input: AuditEventInput): Promise<AuditEvent> {
  const [event] = await appendAuditEvents(tx, tenantId, at, [input]);
  return event as AuditEvent;
}

async function lastInChain(tx: Tx, tenantId: string, offboardingId: string): Promise<{ n: number; seq: number } | undefined> {
  const [last] = await tx
    .select({ seq: auditEvents.seq, n: auditEvents.offboardingN })
    .from(auditEvents)
    .where(and(eq(auditEvents.tenantId, tenantId), eq(auditEvents.offboardingId, offboardingId)))
    .orderBy(desc(auditEvents.seq))
    .limit(1);
  // An offboarding whose earlier events predate the chain starts counting where it is.
  return last ? { seq: last.seq, n: last.n ?? 0 } : undefined;
}
