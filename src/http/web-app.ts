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
import { landingPage } from './pages.ts';

export const WEB_DIST = join(import.meta.dirname, '../../web/dist');

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
    c.header('Cache-Control', 'no-cache');
    return c.html(readFileSync(index, 'utf8'));
  });
}
