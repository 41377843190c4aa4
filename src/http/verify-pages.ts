/**
 * The verifiers a client runs without this repository, served publicly (no sign-in; they hold
 * nothing of anyone's): /verify/ the in-browser verify page, /verify/offboard-verify.mjs the
 * single-file verifier for Node.js 18 or later. Built into dist/verify by scripts/build-verifier.ts
 * (`npm start` builds them when missing).
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Context, Hono } from 'hono';
import type { HttpEnv } from './context.ts';
import { errorBody } from './errors.ts';

export const VERIFY_DIST = join(import.meta.dirname, '../../dist/verify');

export function mountVerifiers(http: Hono<HttpEnv>, dir = VERIFY_DIST): void {
  const serveFile = (name: string, type: string, disposition?: string) => (c: Context<HttpEnv>) => {
    const file = join(dir, name);
    if (!existsSync(file))
      return c.json(errorBody('not-found', 'the verifiers are not built on this server: run npm run build:verifier'), 404);
    c.header('Content-Type', type);
    c.header('Cache-Control', 'no-cache');
    c.header('X-Content-Type-Options', 'nosniff');
    if (disposition) c.header('Content-Disposition', disposition);
    return c.body(readFileSync(file));
  };
  http.get('/verify', (c) => c.redirect('/verify/', 301));
  http.get('/verify/', serveFile('index.html', 'text/html; charset=utf-8'));
  http.get(
    '/verify/offboard-verify.mjs',
    serveFile('offboard-verify.mjs', 'text/javascript; charset=utf-8', 'attachment; filename="offboard-verify.mjs"'),
  );
}
