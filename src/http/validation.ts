/** Request validation failures become 400 with every field named as `path: message`. */
import type { Hook } from '@hono/zod-openapi';
import { zodIssues } from '../domain/parse.ts';
import type { HttpEnv } from './context.ts';
import { errorBody } from './errors.ts';

export const validationHook: Hook<unknown, HttpEnv, string, unknown> = (result, c) => {
  if (!result.success) {
    const target = (result as { target?: string }).target;
    const prefix = target === 'json' || target === undefined ? '' : `${target}.`;
    const details = zodIssues(result.error).map((i) => ({ ...i, path: prefix && i.path ? `${prefix}${i.path}` : i.path || target || '' }));
    return c.json(errorBody('invalid-input', 'invalid request', details), 400);
  }
  return undefined;
};
