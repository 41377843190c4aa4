/** The session cookie: HttpOnly, SameSite=Lax, Secure whenever the request came over HTTPS. */
import type { Context } from 'hono';
import type { CookieOptions } from 'hono/utils/cookie';

export const SESSION_COOKIE = 'offboard_session';
/** The portal's session cookie: a party of one offboarding, never a staff session (routes/portal). */
export const PORTAL_COOKIE = 'offboard_portal';

export function sessionCookieOptions(c: Context): CookieOptions {
  const https = new URL(c.req.url).protocol === 'https:' || c.req.header('x-forwarded-proto') === 'https';
  return { path: '/', httpOnly: true, sameSite: 'Lax', secure: https };
}
