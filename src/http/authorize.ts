/** Attaches a policy action to a route: checked before the handler runs, and listed for the permission matrix. */
import type { RouteConfig } from '@hono/zod-openapi';
import type { MiddlewareHandler } from 'hono';
import { ForbiddenError } from '../domain/errors.ts';
import type { HttpEnv } from './context.ts';
import { type Action, allowed, refusal } from './policies.ts';

export type RoutePolicy = { method: string; path: string; action: Action };

/** Every route with its action, as registered (the permission matrix test walks this). */
export const ROUTE_POLICIES: RoutePolicy[] = [];

export function authorize(action: Action): MiddlewareHandler<HttpEnv> {
  return async (c, next) => {
    if (!allowed(c.get('actor').role, action)) throw new ForbiddenError(refusal(c.get('actor').role, action));
    await next();
  };
}

export function withPolicy<R extends RouteConfig>(route: R, action: Action): R {
  const path = route.path.replace(/\{(\w+)\}/g, ':$1');
  if (!ROUTE_POLICIES.some((p) => p.method === route.method && p.path === path))
    ROUTE_POLICIES.push({ method: route.method, path, action });
  return { ...route, middleware: [authorize(action)] };
}
