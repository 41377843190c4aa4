/**
 * A short-lived cache of who a session or API token belongs to, so most requests skip that
 * query. Sign-out and revocation clear it at once in the process that handles them; other
 * processes (several web processes on one PostgreSQL) see them within AUTH_CACHE_MS.
 */
import type { Database } from '../storage/db.ts';
import type { Actor, App } from './context.ts';

export const AUTH_CACHE_MS = 5_000;
const MAX_ENTRIES = 10_000;

type Entry<A extends Actor> = { actor: A; until: number };
const caches = new WeakMap<Database, Map<string, Entry<Actor>>>();

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
export function rememberActor(app: App, key: string, actor: Actor, notAfter?: string): void {
  const cache = cacheOf(app);
  if (cache.size >= MAX_ENTRIES) cache.clear();
  const limit = notAfter === undefined ? Number.POSITIVE_INFINITY : Date.parse(notAfter);
  if (Number.isNaN(limit)) return; // an expiry we cannot read is never stretched by caching
  cache.set(key, { actor, until: Math.min(app.clock().getTime() + AUTH_CACHE_MS, limit) });
}

export function forgetActor(app: App, key: string): void {
  cacheOf(app).delete(key);
}
