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

export type AuditEvent = AuditEventInput & { tenantId: string; seq: number; at: string };

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
    action: event.action,
    subject: event.subject,
    ...(event.offboardingId ? { offboarding: event.offboardingId } : {}),
    data: event.data,
  });
}
