/** The conversation as staff and as the parties read it: oldest first, every message to everyone in it. */
import { and, asc, eq } from 'drizzle-orm';
import type { Queryable } from '../../storage/db.ts';
import { offboardingsRepo } from '../../storage/repositories.ts';
import { messages } from '../../storage/schema.ts';
import { NotFoundError } from '../../domain/errors.ts';
import type { Actor, App } from '../context.ts';
import { isoInstant } from '../present.ts';
import { type PortalActor, letInState } from './portal-access.ts';

async function messagesOf(q: Queryable, tenantId: string, offboardingId: string) {
  const rows = await q
    .select()
    .from(messages)
    .where(and(eq(messages.tenantId, tenantId), eq(messages.offboardingId, offboardingId)))
    .orderBy(asc(messages.seq));
  return rows.map((m) => ({ id: m.id, side: m.side, authorName: m.authorName, body: m.body, createdAt: isoInstant(m.createdAt) ?? '' }));
}

export async function listMessages(app: App, actor: Actor, offboardingId: string) {
  const db = app.database.db;
  if (!(await offboardingsRepo.get(db, actor.tenantId, offboardingId))) throw new NotFoundError('offboarding', offboardingId);
  return { items: await messagesOf(db, actor.tenantId, offboardingId) };
}

/** The new provider reads it only while the authorization is in force, as it sees nothing else before. */
export async function listPortalMessages(app: App, actor: PortalActor) {
  const db = app.database.db;
  await letInState(db, actor);
  return { items: await messagesOf(db, actor.tenantId, actor.offboardingId) };
}
