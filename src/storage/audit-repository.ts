/** Appends audit events: contiguous per-tenant sequence numbers, in the caller's transaction. */
import { eq, sql } from 'drizzle-orm';
import { type AuditEvent, type AuditEventInput, canonicalEvent } from '../domain/audit.ts';
import type { Tx } from './db.ts';
import { auditEvents, tenants } from './schema.ts';

/**
 * Takes the tenant's next sequence number by bumping its counter row: the row lock orders
 * concurrent writers, and a rolled-back transaction gives its number back, so numbers are
 * contiguous and never reused.
 */
export async function appendAuditEvent(tx: Tx, tenantId: string, at: string, input: AuditEventInput): Promise<AuditEvent> {
  const [row] = await tx
    .update(tenants)
    .set({ auditSeq: sql`${tenants.auditSeq} + 1` })
    .where(eq(tenants.id, tenantId))
    .returning({ seq: tenants.auditSeq });
  if (!row) throw new Error(`tenant ${tenantId} does not exist`);
  const event: AuditEvent = { ...input, tenantId, seq: row.seq, at };
  await tx.insert(auditEvents).values({
    tenantId,
    seq: row.seq,
    occurredAt: at,
    actor: input.actor,
    action: input.action,
    subjectType: input.subject.type,
    subjectId: input.subject.id,
    offboardingId: input.offboardingId ?? null,
    canonical: canonicalEvent(event),
  });
  return event;
}
