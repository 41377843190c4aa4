/** API tokens for integrations: shown once, stored hashed, scoped to a tenant and a role. */
import { randomBytes } from 'node:crypto';
import { and, eq, isNull, lt, or } from 'drizzle-orm';
import { z } from 'zod';
import { NotFoundError } from '../../domain/errors.ts';
import { STAFF_ROLES, type StaffRole } from '../../domain/vocabulary.ts';
import { hotQueries } from '../../storage/hot-queries.ts';
import { cachedActor, dueForTouch, forgetActor, rememberActor } from './auth-cache.ts';
import type { Tx } from '../../storage/db.ts';
import { apiTokens } from '../../storage/schema.ts';
import { type Actor, type App, newId, now, parseInput, transaction } from '../context.ts';
import { tokenHash } from './sign-in.ts';
import { audit } from '../tasks/task-changes.ts';

export const CreateTokenInput = z
  .object({ name: z.string().trim().min(1, 'must not be empty').max(200), role: z.enum(STAFF_ROLES) })
  .strict();

export const TOKEN_PREFIX = 'obt_';

export async function createApiToken(
  app: App,
  actor: Actor,
  input: z.input<typeof CreateTokenInput>,
): Promise<{ id: string; token: string }> {
  const data = parseInput(CreateTokenInput, input);
  const id = newId();
  const token = `${TOKEN_PREFIX}${randomBytes(32).toString('base64url')}`;
  const at = now(app);
  await transaction(app, async (tx) => {
    await tx.insert(apiTokens).values({
      id,
      tenantId: actor.tenantId,
      name: data.name,
      role: data.role,
      tokenHash: tokenHash(token),
      createdBy: actor.kind === 'user' ? actor.id : null,
    });
    await audit(tx, actor, at, { action: 'token.created', subject: { type: 'api-token', id }, data: { name: data.name, role: data.role } });
  });
  return { id, token };
}

export async function listApiTokens(app: App, actor: Actor) {
  return app.database.db
    .select({
      id: apiTokens.id,
      name: apiTokens.name,
      role: apiTokens.role,
      createdAt: apiTokens.createdAt,
      lastUsedAt: apiTokens.lastUsedAt,
    })
    .from(apiTokens)
    .where(and(eq(apiTokens.tenantId, actor.tenantId), isNull(apiTokens.revokedAt)));
}

export async function revokeApiToken(app: App, actor: Actor, id: string): Promise<void> {
  const at = now(app);
  await transaction(app, async (tx) => {
    const [row] = await tx
      .update(apiTokens)
      .set({ revokedAt: at })
      .where(and(eq(apiTokens.tenantId, actor.tenantId), eq(apiTokens.id, id), isNull(apiTokens.revokedAt)))
      .returning({ id: apiTokens.id, tokenHash: apiTokens.tokenHash });
    if (!row) throw new NotFoundError('api token', id);
    forgetActor(app, `token:${row.tokenHash}`);
    await audit(tx, actor, at, { action: 'token.revoked', subject: { type: 'api-token', id }, data: {} });
  });
}

/** A token's last use is written at most this often (per process, and per token in the database). */
export const LAST_USED_EVERY_MS = 60_000;

export async function actorForToken(app: App, token: string): Promise<Actor | undefined> {
  if (!token.startsWith(TOKEN_PREFIX)) return undefined;
  const hash = tokenHash(token);
  let actor = cachedActor(app, `token:${hash}`);
  if (!actor) {
    const [row] = await hotQueries(app.database.db).tokenByHash.execute({ hash });
    if (!row) return undefined;
    actor = { tenantId: row.tenantId, kind: 'token', id: row.id, role: row.role as StaffRole };
    rememberActor(app, `token:${hash}`, actor, row.createdBy);
  }
  if (dueForTouch(app, `token:${actor.id}`, LAST_USED_EVERY_MS)) await recordUse(app, actor.id);
  return actor;
}

async function recordUse(app: App, id: string): Promise<void> {
  const at = now(app);
  const stale = new Date(Date.parse(at) - LAST_USED_EVERY_MS).toISOString();
  await app.database.db
    .update(apiTokens)
    .set({ lastUsedAt: at })
    .where(and(eq(apiTokens.id, id), or(isNull(apiTokens.lastUsedAt), lt(apiTokens.lastUsedAt, stale))));
}

/** Disabling a person revokes the tokens they made (in the caller's transaction); returns their hashes. */
export async function revokeTokensMadeBy(tx: Tx, tenantId: string, userId: string, at: string): Promise<string[]> {
  const rows = await tx
    .update(apiTokens)
    .set({ revokedAt: at })
    .where(and(eq(apiTokens.tenantId, tenantId), eq(apiTokens.createdBy, userId), isNull(apiTokens.revokedAt)))
    .returning({ id: apiTokens.id });
  return rows.map((r) => r.id);
}
