/**
 * The offboarding with its tasks, as the database renders it (see storage/hot-queries.ts), with
 * its tag: it changes with any change to the offboarding or a task. An unchanged offboarding is
 * answered from the last rendering after one cheap version check.
 */
import { NotFoundError } from '../../domain/errors.ts';
import { offboardingDetailJson, offboardingDetailTag } from '../../storage/hot-queries.ts';
import type { Actor, App } from '../context.ts';

/** Rendered details by offboarding, kept while their tag (offboarding and task versions) holds. */
const rendered = new WeakMap<object, Map<string, { tag: string; json: string }>>();

/** The tag alone (for a 304), or undefined when there is no such offboarding here. */
export const offboardingTag = (app: App, actor: Actor, id: string): Promise<string | undefined> =>
  offboardingDetailTag(app.database, actor.tenantId, id);

export async function getOffboardingDetail(app: App, actor: Actor, id: string, knownTag?: string): Promise<{ tag: string; json: string }> {
  const { database } = app;
  const tag = knownTag ?? (await offboardingTag(app, actor, id));
  if (!tag) throw new NotFoundError('offboarding', id);
  let cache = rendered.get(database);
  if (!cache) rendered.set(database, (cache = new Map<string, { tag: string; json: string }>()));
  const key = `${actor.tenantId}:${id}`;
  let entry = cache.get(key);
  if (entry?.tag !== tag) {
    const found = await offboardingDetailJson(database, actor.tenantId, id);
    if (!found) throw new NotFoundError('offboarding', id);
    if (cache.size >= 1000) cache.clear();
    // Rendered after the tag was read: never older than the tag says, at worst newer.
    entry = { tag, json: found.json };
    cache.set(key, entry);
  }
  return entry;
}
