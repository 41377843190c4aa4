/**
 * The HTTP API: Hono with zod validation at the edge, OpenAPI 3.1 generated from the same
 * schemas, sessions or API tokens, the permission table, and one error shape.
 */
import { OpenAPIHono } from '@hono/zod-openapi';
import type { MiddlewareHandler } from 'hono';
import { getCookie } from 'hono/cookie';
import { csrf } from 'hono/csrf';
import { HTTPException } from 'hono/http-exception';
import { requestId } from 'hono/request-id';
import type { Logger } from 'pino';
import { actorForToken } from '../app/api-tokens.ts';
import type { App } from '../app/context.ts';
import { actorForSession } from '../app/sign-in.ts';
import { DomainError } from '../domain/errors.ts';
import type { HttpEnv } from './context.ts';
import { apiReferencePage } from './docs.ts';
import { errorBody, sendError } from './errors.ts';
import { accountRoutes, publicAccountRoutes } from './routes/accounts.ts';
import { clientRoutes } from './routes/clients.ts';
import { offboardingRoutes } from './routes/offboardings.ts';
import { taskRoutes } from './routes/tasks.ts';
import { SESSION_COOKIE } from './session.ts';
import { validationHook } from './validation.ts';

const PUBLIC = new Set(['/api/health', '/api/auth/sign-in', '/api/auth/sign-out', '/api/openapi.json', '/api/docs']);

function authenticate(app: App): MiddlewareHandler<HttpEnv> {
  return async (c, next) => {
    if (PUBLIC.has(c.req.path)) return next();
    const bearer = /^Bearer\s+(\S+)$/i.exec(c.req.header('authorization') ?? '')?.[1];
    const cookie = getCookie(c, SESSION_COOKIE);
    const actor = bearer ? await actorForToken(app, bearer) : cookie ? await actorForSession(app, cookie) : undefined;
    if (!actor) return c.json(errorBody('unauthenticated', bearer ? 'the API token is not valid' : 'sign in first'), 401);
    c.set('actor', actor);
    return next();
  };
}

function remoteAddress(env: unknown): string {
  const incoming = (env as { incoming?: { socket?: { remoteAddress?: string } } } | undefined)?.incoming;
  return incoming?.socket?.remoteAddress?.replace(/^::ffff:/, '') ?? '127.0.0.1';
}

export function createHttpApp(app: App, options: { logger?: Logger | undefined } = {}) {
  const logger = options.logger;
  const http = new OpenAPIHono<HttpEnv>({ defaultHook: validationHook });

  http.use('*', requestId());
  http.use('*', async (c, next) => {
    c.set('app', app);
    c.set('clientIp', remoteAddress(c.env));
    const started = performance.now();
    await next();
    // Method, path, status and time only: never headers or bodies, so no secret reaches a log.
    logger?.info({ requestId: c.get('requestId'), method: c.req.method, path: c.req.path, status: c.res.status, ms: Math.round(performance.now() - started) }, 'request');
  });
  http.use('/api/*', csrf());
  http.use('/api/*', authenticate(app));

  http.get('/api/health', async (c) => {
    await app.database.query('select 1');
    return c.json({ status: 'ok', database: app.database.kind });
  });

  http.route('/', publicAccountRoutes);
  http.route('/', accountRoutes);
  http.route('/', clientRoutes);
  http.route('/', offboardingRoutes);
  http.route('/', taskRoutes);

  http.doc31('/api/openapi.json', {
    openapi: '3.1.0',
    info: { title: 'offboard API', version: '0.1.0', description: 'Offboarding of MSP clients: clients, offboardings, tasks, attestations, time, audit events.' },
    security: [{ session: [] }, { token: [] }],
  });
  http.openAPIRegistry.registerComponent('securitySchemes', 'session', { type: 'apiKey', in: 'cookie', name: SESSION_COOKIE });
  http.openAPIRegistry.registerComponent('securitySchemes', 'token', { type: 'http', scheme: 'bearer', description: 'An API token from POST /api/tokens' });
  http.get('/api/docs', (c) => c.html(apiReferencePage(http.getOpenAPI31Document({ openapi: '3.1.0', info: { title: 'offboard API', version: '0.1.0' } }))));

  http.notFound((c) => c.json(errorBody('not-found', `no route ${c.req.method} ${c.req.path}`), 404));
  http.onError((error, c) => {
    if (error instanceof HTTPException) {
      const status = error.status;
      const code = status === 400 ? 'invalid-input' : status === 403 ? 'forbidden' : status === 401 ? 'unauthenticated' : 'invalid-input';
      return c.json(errorBody(code, error.message || 'bad request', status === 400 ? [{ path: 'body', message: error.message }] : []), status);
    }
    if (!(error instanceof DomainError)) logger?.error({ requestId: c.get('requestId'), err: { name: error.name, message: error.message, stack: error.stack } }, 'unhandled error');
    return sendError(c, error);
  });
  return http;
}
