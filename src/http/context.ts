/** What a request carries through the Hono app. */
import type { Context, TypedResponse } from 'hono';
import type { Actor, App } from '../app/context.ts';
import { InputError } from '../domain/errors.ts';

/** `maxUploadBytes`: the largest evidence file this server takes (OFFBOARD_MAX_UPLOAD_MB). */
export type HttpEnv = { Variables: { actor: Actor; app: App; requestId: string; clientIp: string; maxUploadBytes: number } };

export const actorOf = (c: Context<HttpEnv>): Actor => c.get('actor');
export const appOf = (c: Context<HttpEnv>): App => c.get('app');

/** `If-Match: "v3"` -> 3; absent -> undefined (last writer checks still apply). */
export function ifMatchVersion(c: Context<HttpEnv>): number | undefined {
  const header = c.req.header('if-match');
  if (header === undefined || header.trim() === '*') return undefined;
  // An offboarding's detail ETag is "v<offboarding>-<tasks>"; If-Match checks the offboarding's own part.
  const m = /^(?:W\/)?"v(\d{1,9})(?:-\d{1,12})?"$/.exec(header.trim());
  if (!m) throw new InputError('invalid If-Match header', [{ path: 'If-Match', message: 'must be an ETag this API gave you, like "v3"' }]);
  return Number(m[1]);
}

export const etag = (version: number): string => `"v${version}"`;

/**
 * JSON the database already rendered, sent as is. Typed as the route's declared answer; the
 * HTTP tests check the text against that schema.
 */
export function preRenderedJson<T, S extends 200 | 201>(
  c: Context<HttpEnv>,
  json: string,
  status: S,
  headers: Record<string, string> = {},
): TypedResponse<T, S, 'json'> {
  return c.body(json, status, { ...headers, 'content-type': 'application/json' }) as unknown as TypedResponse<T, S, 'json'>;
}
