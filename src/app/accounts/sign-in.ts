/**
 * Staff sign-in with email and password: database sessions (only a hash of the token is stored),
 * and attempts limited per email and per address (counted before the password is checked).
 */
import { createHash, randomBytes } from 'node:crypto';
import { eq, sql } from 'drizzle-orm';
import { z } from 'zod';
import { DomainError } from '../../domain/errors.ts';
import type { StaffRole } from '../../domain/vocabulary.ts';
import type { Queryable } from '../../storage/db.ts';
import { usersRepo } from '../../storage/repositories.ts';
import { hotQueries } from '../../storage/hot-queries.ts';
import { cachedActor, forgetActor, rememberActor } from './auth-cache.ts';
import { isoInstant } from '../present.ts';
import { loginAttempts, sessions } from '../../storage/schema.ts';
import { type Actor, type App, now, parseInput, transaction } from '../context.ts';
import { hashPassword, verifyPassword } from './passwords.ts';
import { audit } from '../tasks/task-changes.ts';

export const SESSION_DAYS = 14;
export const MAX_FAILURES = 10;
export const FAILURE_WINDOW_MINUTES = 15;

export const SignInInput = z
  .object({
    email: z.email().max(320),
    password: z.string().min(1, 'is required').max(200),
    /** Which MSP, when the address has accounts at several (the sign-in link of an MSP carries it). */
    tenantId: z.string().min(1).max(100).optional(),
  })
  .strict();

export const tokenHash = (token: string): string => createHash('sha256').update(token).digest('hex');

export class AuthError extends DomainError {
  constructor(code: 'unauthenticated' | 'rate-limited', message: string) {
    super(code, message);
    this.name = 'AuthError';
  }
}

/**
 * Counts an attempt for each key before any password is looked at, in one statement, so that
 * concurrent guesses cannot all pass a check made before the first of them is recorded. Returns
 * the highest count: attempts in the window so far, this one included.
 */
export async function countAttempt(q: Queryable, keys: string[], at: string): Promise<number> {
  const since = new Date(Date.parse(at) - FAILURE_WINDOW_MINUTES * 60_000).toISOString();
  const rows = await q
    .insert(loginAttempts)
    .values(keys.map((key) => ({ key, windowStart: at, failures: 1 })))
    .onConflictDoUpdate({
      target: loginAttempts.key,
      set: {
        failures: sql`case when ${loginAttempts.windowStart} > ${since} then ${loginAttempts.failures} + 1 else 1 end`,
        windowStart: sql`case when ${loginAttempts.windowStart} > ${since} then ${loginAttempts.windowStart} else ${at}::timestamptz end`,
      },
    })
    .returning({ failures: loginAttempts.failures });
  return Math.max(...rows.map((r) => r.failures));
}

/** A right password takes its attempt back: the address's count keeps only failures, and the email starts afresh. */
async function refundAttempt(q: Queryable, emailKey: string, ipKey: string): Promise<void> {
  await q.delete(loginAttempts).where(eq(loginAttempts.key, emailKey));
  await q
    .update(loginAttempts)
    .set({ failures: sql`greatest(${loginAttempts.failures} - 1, 0)` })
    .where(eq(loginAttempts.key, ipKey));
}

/** Checked when the address has no account, so an unknown address costs the same hashing as a wrong password. */
let decoyHash: Promise<string> | undefined;
const decoy = (): Promise<string> => (decoyHash ??= hashPassword(randomBytes(24).toString('base64')));

export class ChooseMspError extends DomainError {
  constructor(choices: { tenantId: string; name: string }[]) {
    super('choose-msp', 'this email signs in to several MSPs: choose one', [
      { path: 'tenantId', message: `is required: one of ${choices.map((c) => c.tenantId).join(', ')}` },
    ]);
    this.name = 'ChooseMspError';
    this.choices = choices;
  }
}

export async function signIn(
  app: App,
  input: z.input<typeof SignInInput>,
  ip: string,
): Promise<{ token: string; actor: Actor; expiresAt: string }> {
  const data = parseInput(SignInInput, input);
  const at = now(app);
  const emailKey = `email:${data.email.toLowerCase()}`;
  const ipKey = `ip:${ip}`;
  if ((await countAttempt(app.database.db, [emailKey, ipKey], at)) > MAX_FAILURES) {
    throw new AuthError('rate-limited', 'too many failed sign-ins; try again in 15 minutes');
  }
  const accounts = (await usersRepo.byEmail(app.database.db, data.email)).filter(
    (a) => data.tenantId === undefined || a.user.tenantId === data.tenantId,
  );
  // The same hashing work whether the address has an account or not, is disabled or has no password.
  const checked = await Promise.all(
    (accounts.length > 0 ? accounts : [undefined]).map(async (a) => {
      const usable = a?.user.passwordHash && !a.user.disabledAt;
      const ok = await verifyPassword(data.password, usable ? (a.user.passwordHash as string) : await decoy());
      return ok && usable ? a : undefined;
    }),
  );
  const matches = checked.filter((a) => a !== undefined);
  if (matches.length === 0) throw new AuthError('unauthenticated', 'wrong email or password');
  if (matches.length > 1) {
    await refundAttempt(app.database.db, emailKey, ipKey);
    throw new ChooseMspError(matches.map((m) => ({ tenantId: m.user.tenantId, name: m.tenantName })));
  }
  const user = (matches[0] as NonNullable<(typeof matches)[number]>).user;
  const token = randomBytes(32).toString('base64url');
  const expiresAt = new Date(Date.parse(at) + SESSION_DAYS * 86_400_000).toISOString();
  const actor: Actor = { tenantId: user.tenantId, kind: 'user', id: user.id, role: user.role as StaffRole };
  await transaction(app, async (tx) => {
    await tx.insert(sessions).values({ tokenHash: tokenHash(token), tenantId: user.tenantId, userId: user.id, expiresAt });
    await refundAttempt(tx, emailKey, ipKey);
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
  const actor: SessionActor = {
    tenantId: row.tenantId,
    kind: 'user',
    id: row.userId,
    role: row.role as StaffRole,
    name: row.name,
    email: row.email,
  };
  rememberActor(app, `session:${hash}`, actor, row.userId, isoInstant(row.expiresAt));
  return actor;
}
