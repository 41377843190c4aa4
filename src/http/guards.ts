/**
 * What every /api request passes before a route sees it: a size limit on the body, a refusal of
 * text no field may hold (NUL, lone UTF-16 surrogates), and the cross-site check for requests a
 * browser's cookie would authenticate.
 */
import type { MiddlewareHandler } from 'hono';
import { bodyLimit } from 'hono/body-limit';
import { getCookie } from 'hono/cookie';
import { pathToString } from '../domain/errors.ts';
import type { HttpEnv } from './context.ts';
import { errorBody } from './errors.ts';
import { PORTAL_COOKIE, SESSION_COOKIE } from './session.ts';

/** JSON bodies: far above any real request, far below what could hurt the process. */
export const MAX_JSON_BYTES = 1024 * 1024;

const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);

/** The API token a request carries, only from `Authorization: Bearer ...`; any other scheme is not one. */
export function bearerToken(header: string | undefined): string | undefined {
  return /^Bearer\s+(\S+)$/i.exec(header ?? '')?.[1];
}

/**
 * Refuses a body over its limit with 413 while it streams in (a declared Content-Length over
 * the limit is refused before reading anything). Uploads (multipart) get `uploadBytes`.
 */
export function bodyLimits(uploadBytes: number): MiddlewareHandler<HttpEnv> {
  const limited = (maxSize: number, what: string): MiddlewareHandler<HttpEnv> =>
    bodyLimit({
      maxSize,
      onError: (c) =>
        c.json(errorBody('too-large', `the ${what} is too large`, [{ path: 'body', message: `must be at most ${maxSize} bytes` }]), 413),
    });
  const json = limited(MAX_JSON_BYTES, 'request body');
  const upload = limited(uploadBytes, 'upload');
  return (c, next) => (/^multipart\/form-data/i.test(c.req.header('content-type') ?? '') ? upload(c, next) : json(c, next));
}

/** A string no field may hold: PostgreSQL cannot store NUL, and a lone surrogate is not text. */
export function malformedText(s: string): string | undefined {
  if (s.includes('\0')) return 'must not contain a NUL character';
  if (!s.isWellFormed()) return 'must be valid Unicode (it has a lone UTF-16 surrogate)';
  return undefined;
}

function findMalformed(value: unknown, path: (string | number)[]): { path: string; message: string } | undefined {
  if (typeof value === 'string') {
    const message = malformedText(value);
    return message ? { path: pathToString(path) || 'body', message } : undefined;
  }
  if (Array.isArray(value)) {
    for (let i = 0; i < value.length; i++) {
      const found = findMalformed(value[i], [...path, i]);
      if (found) return found;
    }
    return undefined;
  }
  if (typeof value === 'object' && value !== null) {
    for (const [key, inner] of Object.entries(value)) {
      const keyProblem = malformedText(key);
      if (keyProblem) return { path: pathToString([...path, key]), message: `names a field that ${keyProblem.replace(/^must/, 'must')}` };
      const found = findMalformed(inner, [...path, key]);
      if (found) return found;
    }
  }
  return undefined;
}

/**
 * Route templates (`/api/clients/:id`) to name a path segment by its parameter. Filled from the
 * routes as they register, so a new route is covered without a list to keep.
 */
export type RouteTemplates = () => readonly { path: string }[];

function segmentName(templates: RouteTemplates, segments: string[], index: number): string {
  for (const { path } of templates()) {
    const parts = path.split('/');
    if (parts.length !== segments.length) continue;
    if (parts.every((p, i) => p.startsWith(':') || i === index || p === segments[i]) && parts[index]?.startsWith(':'))
      return parts[index].slice(1);
  }
  return 'path';
}

/** 400 naming the field for NUL or a lone surrogate in a path segment, a query parameter or any JSON string (or key). */
export function wellFormedText(templates: RouteTemplates): MiddlewareHandler<HttpEnv> {
  const refuse = (c: Parameters<MiddlewareHandler<HttpEnv>>[0], issue: { path: string; message: string }) =>
    c.json(errorBody('invalid-input', 'invalid request', [issue]), 400);
  return async (c, next) => {
    const raw = new URL(c.req.url).pathname;
    const segments = raw.split('/');
    for (let i = 0; i < segments.length; i++) {
      let decoded: string;
      try {
        decoded = decodeURIComponent(segments[i] as string);
      } catch {
        return refuse(c, { path: segmentName(templates, segments, i), message: 'must be valid UTF-8, percent-encoded' });
      }
      const message = malformedText(decoded);
      if (message) return refuse(c, { path: segmentName(templates, segments, i), message });
    }
    for (const [key, values] of Object.entries(c.req.queries())) {
      for (const value of [key, ...values]) {
        const message = malformedText(value);
        if (message) return refuse(c, { path: `query.${key.replace(/[^\w.-]/g, '?')}`, message });
      }
    }
    if (!SAFE_METHODS.has(c.req.method) && /^application\/([\w.+-]+\+)?json/i.test(c.req.header('content-type') ?? '')) {
      let body: unknown;
      try {
        body = JSON.parse(await c.req.text());
      } catch {
        return next(); // not JSON: the route's own validation says so
      }
      const found = findMalformed(body, []);
      if (found) return refuse(c, found);
    }
    return next();
  };
}

/**
 * Cross-site request forgery: a state-changing request that a browser could send with the
 * session cookie must come from our own origin. Browsers always send Origin (and Sec-Fetch-Site)
 * on such requests; a client without either has no business sending the cookie and should use
 * an API token. A request authenticates by a token only when it carries `Bearer <token>`: any
 * other Authorization header leaves the cookie in charge, and the check with it.
 */
export function crossSiteGuard(): MiddlewareHandler<HttpEnv> {
  const refuse = (c: Parameters<MiddlewareHandler<HttpEnv>>[0], why: string) =>
    c.json(errorBody('forbidden', `cross-site request refused: ${why}`), 403);
  return async (c, next) => {
    if (SAFE_METHODS.has(c.req.method) || bearerToken(c.req.header('authorization'))) return next();
    const origin = c.req.header('origin');
    const site = c.req.header('sec-fetch-site')?.toLowerCase();
    if (site !== undefined && site !== 'same-origin' && site !== 'none') return refuse(c, `Sec-Fetch-Site is ${site}`);
    if (origin !== undefined && !ownOrigins(c).includes(origin.toLowerCase())) return refuse(c, `Origin ${origin} is not this server`);
    const cookie = getCookie(c, SESSION_COOKIE) ?? getCookie(c, PORTAL_COOKIE);
    if (cookie !== undefined && origin === undefined && site !== 'same-origin') {
      return refuse(c, 'a request with the session cookie must carry Origin or Sec-Fetch-Site (use an API token for scripts)');
    }
    return next();
  };
}

/** This server's origin as the browser sees it: the request URL's, or the proxy's scheme on the same host. */
function ownOrigins(c: Parameters<MiddlewareHandler<HttpEnv>>[0]): string[] {
  const url = new URL(c.req.url);
  const proto = c.req.header('x-forwarded-proto')?.split(',')[0]?.trim().toLowerCase();
  const origins = [url.origin.toLowerCase()];
  if (proto === 'https' || proto === 'http') origins.push(`${proto}://${url.host}`.toLowerCase());
  return origins;
}
