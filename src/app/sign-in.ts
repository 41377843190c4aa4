/**
 * Staff sign-in with email and password: database sessions (only a hash of the token is stored),
 * and failed attempts limited per email and per address.
 */
import { createHash, randomBytes } from 'node:crypto';
import { and, eq, gt, sql } from 'drizzle-orm';
import { z } from 'zod';
import { DomainError } from '../domain/errors.ts';
import type { StaffRole } from '../domain/vocabulary.ts';
import type { Queryable } from '../storage/db.ts';
import { usersRepo } from '../storage/repositories.ts';
import { hotQueries } from '../storage/hot-queries.ts';
import { cachedActor, forgetActor, rememberActor } from './auth-cache.ts';
import { isoInstant } from './present.ts';
import { loginAttempts, sessions } from '../storage/schema.ts';
import { type Actor, type App, now, parseInput, transaction } from './context.ts';
import { verifyPassword } from './passwords.ts';
import { audit } from './task-changes.ts';

export const SESSION_DAYS = 14;
export const MAX_FAILURES = 10;
export const FAILURE_WINDOW_MINUTES = 15;

export const SignInInput = z.object({ email: z.email().max(320), password: z.string().min(1, 'is required').max(200) }).strict();

export const tokenHash = (token: string): string => createHash('sha256').update(token).digest('hex');

export class AuthError extends DomainError {
  constructor(code: 'unauthenticated' | 'rate-limited', message: string) {
    super(code, message);
    this.name = 'AuthError';
  }
}

async function failures(q: Queryable, key: string, at: string): Promise<number> {
  const since = new Date(Date.parse(at) - FAILURE_WINDOW_MINUTES * 60_000).toISOString();
  const [row] = await q.select().from(loginAttempts).where(and(eq(loginAttempts.key, key), gt(loginAttempts.windowStart, since)));
  return row?.failures ?? 0;
}

async function recordFailure(q: Queryable, key: string, at: string): Promise<void> {
  const since = new Date(Date.parse(at) - FAILURE_WINDOW_MINUTES * 60_000).toISOString();
  await q
    .insert(loginAttempts)
    .values({ key, windowStart: at, failures: 1 })
    .onConflictDoUpdate({
      target: loginAttempts.key,
      set: {
        failures: sql`case when ${loginAttempts.windowStart} > ${since} then ${loginAttempts.failures} + 1 else 1 end`,
        windowStart: sql`case when ${loginAttempts.windowStart} > ${since} then ${loginAttempts.windowStart} else ${at}::timestamptz end`,
      },
    });
}

export async function signIn(app: App, input: z.input<typeof SignInInput>, ip: string): Promise<{ token: string; actor: Actor; expiresAt: string }> {
  const data = parseInput(SignInInput, input);
  const at = now(app);
  const keys = [`email:${data.email.toLowerCase()}`, `ip:${ip}`];
  for (const key of keys) {
    if ((await failures(app.database.db, key, at)) >= MAX_FAILURES) throw new AuthError('rate-limited', 'too many failed sign-ins; try again in 15 minutes');
  }
  const user = await usersRepo.byEmail(app.database.db, data.email);
  const ok = user?.passwordHash && !user.disabledAt ? await verifyPassword(data.password, user.passwordHash) : false;
  if (!user || !ok) {
    await transaction(app, async (tx) => {
      for (const key of keys) await recordFailure(tx, key, at);
    });
    throw new AuthError('unauthenticated', 'wrong email or password');
  }
  const token = randomBytes(32).toString('base64url');
  const expiresAt = new Date(Date.parse(at) + SESSION_DAYS * 86_400_000).toISOString();
  const actor: Actor = { tenantId: user.tenantId, kind: 'user', id: user.id, role: user.role as StaffRole };
  await transaction(app, async (tx) => {
    await tx.insert(sessions).values({ tokenHash: tokenHash(token), tenantId: user.tenantId, userId: user.id, expiresAt });
    await tx.delete(loginAttempts).where(eq(loginAttempts.key, keys[0] as string));
    await audit(tx, actor, at, { action: 'user.signed-in', subject: { type: 'user', id: user.id }, data: { ip } });
  });
  return { token, actor, expiresAt };
}

export async function signOut(app: App, token: string): Promise<void> {
  forgetActor(app, `session:${tokenHash(token)}`);
  await app.database.db.delete(sessions).where(eq(sessions.tokenHash, tokenHash(token)));
}

/** The actor behind a session token, if the session is live and the user enabled. */
type SessionActor = Actor & { name: string; email: string };

export async function actorForSession(app: App, token: string): Promise<SessionActor | undefined> {
  const hash = tokenHash(token);
  const cached = cachedActor<SessionActor>(app, `session:${hash}`);
  if (cached) return cached;
  const [row] = await hotQueries(app.database.db).sessionUser.execute({ hash, now: now(app) });
  if (!row || row.disabledAt) return undefined;
  const actor: SessionActor = { tenantId: row.tenantId, kind: 'user', id: row.userId, role: row.role as StaffRole, name: row.name, email: row.email };
  rememberActor(app, `session:${hash}`, actor, isoInstant(row.expiresAt));
  return actor;
}
