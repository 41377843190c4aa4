/** API tokens for integrations: shown once, stored hashed, scoped to a tenant and a role. */
import { randomBytes } from 'node:crypto';
import { and, eq, isNull } from 'drizzle-orm';
import { z } from 'zod';
import { NotFoundError } from '../domain/errors.ts';
import { STAFF_ROLES, type StaffRole } from '../domain/vocabulary.ts';
import { hotQueries } from '../storage/hot-queries.ts';
import { cachedActor, forgetActor, rememberActor } from './auth-cache.ts';
import { apiTokens } from '../storage/schema.ts';
import { type Actor, type App, newId, now, parseInput, transaction } from './context.ts';
import { tokenHash } from './sign-in.ts';
import { audit } from './task-changes.ts';

export const CreateTokenInput = z.object({ name: z.string().trim().min(1, 'must not be empty').max(200), role: z.enum(STAFF_ROLES) }).strict();

export const TOKEN_PREFIX = 'obt_';

export async function createApiToken(app: App, actor: Actor, input: z.input<typeof CreateTokenInput>): Promise<{ id: string; token: string }> {
  const data = parseInput(CreateTokenInput, input);
  const id = newId();
  const token = `${TOKEN_PREFIX}${randomBytes(32).toString('base64url')}`;
  const at = now(app);
  await transaction(app, async (tx) => {
    await tx.insert(apiTokens).values({ id, tenantId: actor.tenantId, name: data.name, role: data.role, tokenHash: tokenHash(token), createdBy: actor.kind === 'user' ? actor.id : null });
    await audit(tx, actor, at, { action: 'token.created', subject: { type: 'api-token', id }, data: { name: data.name, role: data.role } });
  });
  return { id, token };
}

export async function listApiTokens(app: App, actor: Actor) {
  return app.database.db
    .select({ id: apiTokens.id, name: apiTokens.name, role: apiTokens.role, createdAt: apiTokens.createdAt, lastUsedAt: apiTokens.lastUsedAt })
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

export async function actorForToken(app: App, token: string): Promise<Actor | undefined> {
  if (!token.startsWith(TOKEN_PREFIX)) return undefined;
  const hash = tokenHash(token);
  const cached = cachedActor(app, `token:${hash}`);
  if (cached) return cached;
  const [row] = await hotQueries(app.database.db).tokenByHash.execute({ hash });
  if (!row) return undefined;
  const actor: Actor = { tenantId: row.tenantId, kind: 'token', id: row.id, role: row.role as StaffRole };
  rememberActor(app, `token:${hash}`, actor);
  return actor;
}
