/**
 * A short-lived cache of who a session or API token belongs to, so most requests skip that
 * query. Sign-out and revocation clear it at once in the process that handles them; other
 * processes (several web processes on one PostgreSQL) see them within AUTH_CACHE_MS.
 */
import type { Database } from '../../storage/db.ts';
import type { Actor, App } from '../context.ts';

export const AUTH_CACHE_MS = 5_000;
const MAX_ENTRIES = 10_000;

/** `userId`: the person the entry stands for (a session's user, a token's maker), so a change to them clears it. */
type Entry<A extends Actor> = { actor: A; until: number; userId: string | null };
const caches = new WeakMap<Database, Map<string, Entry<Actor>>>();
const touches = new WeakMap<Database, Map<string, number>>();

function cacheOf(app: App): Map<string, Entry<Actor>> {
  let cache = caches.get(app.database);
  if (!cache) {
    cache = new Map();
    caches.set(app.database, cache);
  }
  return cache;
}

export function cachedActor<A extends Actor>(app: App, key: string): A | undefined {
  const entry = cacheOf(app).get(key);
  if (!entry) return undefined;
  if (entry.until <= app.clock().getTime()) {
    cacheOf(app).delete(key);
    return undefined;
  }
  return entry.actor as A;
}

/** Remembers an actor until the cache time passes, or `notAfter` (a session's expiry), whichever is first. */
export function rememberActor(app: App, key: string, actor: Actor, userId: string | null, notAfter?: string): void {
  const cache = cacheOf(app);
  if (cache.size >= MAX_ENTRIES) cache.clear();
  const limit = notAfter === undefined ? Number.POSITIVE_INFINITY : Date.parse(notAfter);
  if (Number.isNaN(limit)) return; // an expiry we cannot read is never stretched by caching
  cache.set(key, { actor, until: Math.min(app.clock().getTime() + AUTH_CACHE_MS, limit), userId });
}

export function forgetActor(app: App, key: string): void {
  cacheOf(app).delete(key);
}

/** Disabling or demoting someone bites at once in this process: every session and token of theirs is looked up afresh. */
export function forgetUser(app: App, userId: string): void {
  const cache = cacheOf(app);
  for (const [key, entry] of cache) if (entry.userId === userId) cache.delete(key);
}

/**
 * True at most once per `everyMs` for a key in this process (and records that it was): for
 * bookkeeping writes such as a token's last use, which need not happen on every request.
 */
export function dueForTouch(app: App, key: string, everyMs: number): boolean {
  let seen = touches.get(app.database);
  if (!seen) {
    seen = new Map();
    touches.set(app.database, seen);
  }
  const at = app.clock().getTime();
  const last = seen.get(key);
  if (last !== undefined && at - last < everyMs) return false;
  if (seen.size >= MAX_ENTRIES) seen.clear();
  seen.set(key, at);
  return true;
}
