/**
 * The web app, built by Vite into web/dist (`npm start` builds it first when it is missing or
 * stale): hashed assets cached for good, and index.html for every page path, so links into the
 * app (/offboardings/...) load it. Without a build, the plain landing page stands in.
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { serveStatic } from '@hono/node-server/serve-static';
import type { Hono } from 'hono';
import type { HttpEnv } from './context.ts';
import { getCookie } from 'hono/cookie';
import { actorForSession } from '../app/accounts/sign-in.ts';
import { whoAmI } from '../app/accounts/who-am-i.ts';
import { landingPage } from './pages.ts';
import { SESSION_COOKIE } from './session.ts';

export const WEB_DIST = join(import.meta.dirname, '../../web/dist');

/** What the dashboard asks for first (web/src/pages/dashboard.tsx: the same path and query). */
const DASHBOARD_LIST = '/api/offboardings?limit=200';

/** Whether the web app is built; without it, the server's plain pages stand in. */
export const webAppBuilt = (): boolean => existsSync(join(WEB_DIST, 'index.html'));

export function mountWebApp(http: Hono<HttpEnv>): void {
  http.use(
    '/assets/*',
    serveStatic({
      root: WEB_DIST,
      onFound: (_path, c) => {
        c.header('Cache-Control', 'public, max-age=31536000, immutable');
      },
    }),
  );
  http.get('*', async (c, next) => {
    const path = c.req.path;
    if (path.startsWith('/api/') || path.startsWith('/webhooks/') || path.startsWith('/assets/') || path.startsWith('/verify/'))
      return next();
    const index = join(WEB_DIST, 'index.html');
    if (!existsSync(index)) return path === '/' ? c.html(landingPage()) : next();
    // The page carries who is signed in (what GET /api/auth/session would answer), so the app
    // asks for its first screen's data at once instead of after a round trip. Never cached: it is this person's.
    const token = getCookie(c, SESSION_COOKIE);
    const actor = token ? await actorForSession(c.get('app'), token) : undefined;
    const session = JSON.stringify({ user: actor ? await whoAmI(c.get('app'), actor) : null }).replaceAll('<', '\\u003c');
    // The dashboard's list is asked for while the app's code loads (every staff role may read it);
    // the app's own request for the same URL takes the preloaded answer.
    const preload = actor && path === '/' ? `<link rel="preload" href="${DASHBOARD_LIST}" as="fetch" crossorigin="anonymous">` : '';
    c.header('Cache-Control', 'no-store');
    return c.html(
      readFileSync(index, 'utf8').replace(
        '</head>',
        `${preload}<script type="application/json" id="offboard-session">${session}</script></head>`,
      ),
    );
  });
}
