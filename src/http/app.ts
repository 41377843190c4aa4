/**
 * The HTTP API: Hono with zod validation at the edge, OpenAPI 3.1 generated from the same
 * schemas, sessions or API tokens, the permission table, and one error shape.
 */
import { OpenAPIHono } from '@hono/zod-openapi';
import type { MiddlewareHandler } from 'hono';
import { getCookie } from 'hono/cookie';
import { HTTPException } from 'hono/http-exception';
import { requestId } from 'hono/request-id';
import type { Logger } from 'pino';
import { actorForToken } from '../app/accounts/api-tokens.ts';
import type { App } from '../app/context.ts';
import { actorForSession } from '../app/accounts/sign-in.ts';
import { CreateTenantInput, createTenant } from '../app/accounts/create-tenant.ts';
import { parseInput } from '../app/context.ts';
import { InputError } from '../domain/errors.ts';
import { timingSafeEqual } from 'node:crypto';
import { setupPage } from './pages.ts';
import { mountWebApp, webAppBuilt } from './web-app.ts';
import { DomainError } from '../domain/errors.ts';
import type { HttpEnv } from './context.ts';
import { apiReferencePage } from './docs.ts';
import { errorBody, sendError } from './errors.ts';
import { accountRoutes, publicAccountRoutes } from './routes/accounts/accounts.ts';
import { clientRoutes } from './routes/clients/clients.ts';
import { offboardingRoutes } from './routes/offboardings/offboardings.ts';
import { taskRoutes } from './routes/tasks/tasks.ts';
import { inboxRoutes } from './routes/notifications/inbox.ts';
import { settingsRoutes } from './routes/settings/settings.ts';
import { deliveryRoutes } from './routes/notifications/deliveries.ts';
import { psaRoutes } from './routes/psa/psa.ts';
import { preferenceRoutes } from './routes/notifications/preferences.ts';
import { playbookRoutes } from './routes/settings/playbooks.ts';
import { logRoutes } from './routes/log/log.ts';
import { calendarRoutes } from './routes/settings/calendars.ts';
import { webhookRoutes } from './webhooks.ts';
import { PORTAL_COOKIE, SESSION_COOKIE } from './session.ts';
import { partyRoutes } from './routes/parties/parties.ts';
import { documentationRoutes } from './routes/documentation/documentation.ts';
import { credentialRoutes } from './routes/credentials/credentials.ts';
import { portalRoutes } from './routes/portal/portal.ts';
import { validationHook } from './validation.ts';
import { bearerToken, bodyLimits, crossSiteGuard, wellFormedText } from './guards.ts';
import { ROUTE_POLICIES } from './authorize.ts';
import { redactPath } from './redact.ts';
import { mountVerifiers } from './verify-pages.ts';
import { MAX_EVIDENCE_BYTES } from '../app/tasks/attach-evidence.ts';

const PUBLIC = new Set([
  '/api/health',
  '/api/auth/sign-in',
  '/api/auth/sign-out',
  '/api/auth/session',
  '/api/openapi.json',
  '/api/docs',
  '/api/setup',
]);

function authenticate(app: App): MiddlewareHandler<HttpEnv> {
  return async (c, next) => {
    // The portal has its own sessions (routes/portal): no staff credential is read or honoured there.
    if (PUBLIC.has(c.req.path) || c.req.path.startsWith('/api/portal/')) return next();
    const bearer = bearerToken(c.req.header('authorization'));
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

export type HttpOptions = {
  logger?: Logger | undefined;
  /** One-time token for creating the first MSP and admin on an empty database. */
  setupToken?: string | undefined;
  /** The largest evidence file (default OFFBOARD_MAX_UPLOAD_MB, 25 MB); JSON bodies stop at 1 MB. */
  maxUploadBytes?: number | undefined;
};

export function createHttpApp(app: App, options: HttpOptions = {}) {
  const logger = options.logger;
  const http = new OpenAPIHono<HttpEnv>({ defaultHook: validationHook });

  http.use('*', requestId());
  const maxUploadBytes = options.maxUploadBytes ?? MAX_EVIDENCE_BYTES;
  http.use('*', async (c, next) => {
    c.set('app', app);
    c.set('maxUploadBytes', maxUploadBytes);
    c.set('clientIp', remoteAddress(c.env));
    const started = performance.now();
    await next();
    // Method, path, status and time only: never headers, bodies or query strings, and secrets in paths redacted.
    logger?.info(
      {
        requestId: c.get('requestId'),
        method: c.req.method,
        path: redactPath(c.req.path),
        status: c.res.status,
        ms: Math.round(performance.now() - started),
      },
      'request',
    );
  });
  // The multipart envelope around the file: a little more than the file itself.
  http.use('/api/*', bodyLimits(maxUploadBytes + 64 * 1024));
  http.use('/api/*', crossSiteGuard());
  http.use(
    '/api/*',
    wellFormedText(() => ROUTE_POLICIES),
  );
  http.use('/api/*', authenticate(app));

  http.get('/api/health', async (c) => {
    await app.database.query('select 1');
    return c.json({ status: 'ok', database: app.database.kind });
  });

  // The web app has the setup screen; the plain page stands in when it is not built.
  http.get('/setup', (c, next) => (webAppBuilt() ? next() : c.html(setupPage())));
  http.post('/api/setup', async (c) => {
    const body: unknown = await c.req.json().catch(() => {
      throw new InputError('invalid request', [{ path: 'body', message: 'must be JSON' }]);
    });
    const { token, ...input } = (typeof body === 'object' && body !== null ? body : {}) as { token?: unknown };
    if (!options.setupToken || typeof token !== 'string' || !safeEqual(token, options.setupToken) || (await hasTenants(app))) {
      return c.json(errorBody('forbidden', 'this setup link is not valid (it works once, on an empty database)'), 403);
    }
    const created = await createTenant(app, parseInput(CreateTenantInput.required({ admin: true }), input, 'setup'));
    options.setupToken = undefined;
    return c.json({ tenantId: created.tenantId, adminId: created.adminId ?? null }, 201);
  });

  http.route('/', publicAccountRoutes);
  http.route('/', accountRoutes);
  http.route('/', clientRoutes);
  http.route('/', offboardingRoutes);
  http.route('/', taskRoutes);
  http.route('/', inboxRoutes);
  http.route('/', settingsRoutes);
  http.route('/', deliveryRoutes);
  http.route('/', psaRoutes);
  http.route('/', preferenceRoutes);
  http.route('/', playbookRoutes);
  http.route('/', calendarRoutes);
  http.route('/', logRoutes);
  http.route('/', webhookRoutes);
  http.route('/', partyRoutes);
  http.route('/', documentationRoutes);
  http.route('/', credentialRoutes);
  http.route('/', portalRoutes);

  http.doc31('/api/openapi.json', {
    openapi: '3.1.0',
    info: {
      title: 'offboard API',
      version: '0.1.0',
      description: 'Offboarding of MSP clients: clients, offboardings, tasks, attestations, time, audit events.',
    },
    security: [{ session: [] }, { token: [] }],
  });
  http.openAPIRegistry.registerComponent('securitySchemes', 'session', { type: 'apiKey', in: 'cookie', name: SESSION_COOKIE });
  http.openAPIRegistry.registerComponent('securitySchemes', 'portalSession', { type: 'apiKey', in: 'cookie', name: PORTAL_COOKIE });
  http.openAPIRegistry.registerComponent('securitySchemes', 'token', {
    type: 'http',
    scheme: 'bearer',
    description: 'An API token from POST /api/tokens',
  });
  http.get('/api/docs', (c) =>
    c.html(apiReferencePage(http.getOpenAPI31Document({ openapi: '3.1.0', info: { title: 'offboard API', version: '0.1.0' } }))),
  );

  mountVerifiers(http);
  mountWebApp(http);

  http.notFound((c) => c.json(errorBody('not-found', `no route ${c.req.method} ${redactPath(c.req.path)}`), 404));
  http.onError((error, c) => {
    if (error instanceof HTTPException) {
      const status = error.status;
      const code =
        status === 400
          ? 'invalid-input'
          : status === 403
            ? 'forbidden'
            : status === 401
              ? 'unauthenticated'
              : status === 413
                ? 'too-large'
                : 'invalid-input';
      const details =
        status === 400
          ? [{ path: 'body', message: error.message }]
          : status === 415
            ? [{ path: 'Content-Type', message: `${error.message}: see the API reference for this route` }]
            : status === 413
              ? [{ path: 'file', message: error.message }]
              : [];
      return c.json(errorBody(code, error.message || 'bad request', details), status);
    }
    if (!(error instanceof DomainError))
      logger?.error(
        { requestId: c.get('requestId'), err: { name: error.name, message: error.message, stack: error.stack } },
        'unhandled error',
      );
    return sendError(c, error);
  });
  return http;
}

function safeEqual(a: string, b: string): boolean {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
}

export async function hasTenants(app: App): Promise<boolean> {
  const rows = await app.database.query<{ n: number }>('select count(*)::int as n from tenants');
  return (rows[0]?.n ?? 0) > 0;
}
