/** Audit events: what changed, who did it, when; as canonical JSON, exactly as stored and hashed. */
import canonicalize from 'canonicalize';

export type AuditSubject = { type: string; id: string };

export type AuditEventInput = {
  /** `user:<id>`, `token:<id>`, `system`, `psa:<name>`. */
  actor: string;
  action: string;
  subject: AuditSubject;
  offboardingId?: string | undefined;
  /** What changed. Digests of files and messages, never their contents or any secret. */
  data: Record<string, unknown>;
};

/**
 * An offboarding's events form a chain inside the log: each says its number within the
 * offboarding and the log sequence number of the one before, so an evidence bundle that drops,
 * reorders or repeats one of them no longer verifies.
 */
export type OffboardingChain = { n: number; prev: number | null };

/**
 * Who the actor was when the event happened, in words: a person's name and the role they held,
 * or an API token's name and role. Written into the event when it is appended, so the record
 * (and `offboard verify`, which has nothing else) names people as they were then.
 */
export type ActorNamed = { name: string; role: string };

export type AuditEvent = AuditEventInput & {
  tenantId: string;
  seq: number;
  at: string;
  chain?: OffboardingChain | undefined;
  by?: ActorNamed | undefined;
};

/** Canonical JSON: sorted keys, no insignificant space (RFC 8785). */
export function canonicalJson(value: unknown): string {
  const text = canonicalize(value);
  if (text === undefined) throw new Error('value has no JSON form');
  return text;
}

export function canonicalEvent(event: AuditEvent): string {
  return canonicalJson({
    seq: event.seq,
    tenant: event.tenantId,
    at: event.at,
    actor: event.actor,
    ...(event.by ? { by: event.by } : {}),
    action: event.action,
    subject: event.subject,
    ...(event.offboardingId ? { offboarding: event.offboardingId } : {}),
    ...(event.chain ? { chain: event.chain } : {}),
    data: event.data,
  });
}
