/** An offboarding's audit events in order, who each actor was then, and how far the signed log covers them. */
import { and, eq, inArray } from 'drizzle-orm';
import { actorNamer } from '../../domain/actors.ts';
import { auditRepo } from '../../storage/repositories.ts';
import { logRepo } from '../../storage/log-repository.ts';
import { apiTokens, auditEvents, users } from '../../storage/schema.ts';
import type { Actor, App } from '../context.ts';
import { loadOffboarding } from './offboarding-facts.ts';

export async function listEvents(app: App, actor: Actor, offboardingId: string) {
  const db = app.database.db;
  const { offboarding } = await loadOffboarding(db, actor.tenantId, offboardingId);
  const events = await auditRepo.ofOffboarding(db, actor.tenantId, offboarding.id);
  const people = await db.select({ id: users.id, name: users.name }).from(users).where(eq(users.tenantId, actor.tenantId));
  const tokens = await db
    .select({ id: apiTokens.id, name: apiTokens.name, role: apiTokens.role })
    .from(apiTokens)
    .where(eq(apiTokens.tenantId, actor.tenantId));
  // Roles over time, from the log itself: who was what when.
  const changes = await db
    .select({ seq: auditEvents.seq, userId: auditEvents.subjectId, canonical: auditEvents.canonical })
    .from(auditEvents)
    .where(and(eq(auditEvents.tenantId, actor.tenantId), inArray(auditEvents.action, ['user.created', 'user.changed'])));
  const roleChanges = changes.flatMap((c) => {
    const role = (JSON.parse(c.canonical) as { data?: { role?: unknown } }).data?.role;
    return typeof role === 'string' ? [{ seq: c.seq, userId: c.userId, role }] : [];
  });
  const who = actorNamer(people, tokens, roleChanges);
  const names = new Map(people.map((p) => [p.id, p.name] as const));
  return {
    events: events.map((e) => {
      const parsed = JSON.parse(e.canonical) as { data?: Record<string, unknown>; by?: { name: string; role: string } };
      const data = parsed.data ?? {};
      // A notification to a person names them (newer events hold the name); an address stays as it is.
      const named = typeof data.recipientName === 'string' ? data.recipientName : undefined;
      const recipient = typeof data.recipient === 'string' ? (named ?? names.get(data.recipient) ?? data.recipient) : null;
      // The name and role the event recorded when it was appended; for older events, replayed from the log.
      return { ...e, data, actorInWords: parsed.by ?? who(e.actor, e.seq), recipient };
    }),
    signedThrough: (await logRepo.latestCheckpoint(db, actor.tenantId))?.size ?? 0,
  };
}
