/** The one place domain error codes become HTTP statuses, and every error the same JSON shape. */
import type { Context } from 'hono';
import type { ContentfulStatusCode } from 'hono/utils/http-status';
import { type DomainErrorCode, DomainError, type Issue } from '../domain/errors.ts';

const STATUS: Record<DomainErrorCode, ContentfulStatusCode> = {
  'invalid-input': 400,
  'invalid-playbook': 400,
  'waiver-reason-required': 400,
  unauthenticated: 401,
  forbidden: 403,
  'not-found': 404,
  conflict: 409,
  'invalid-transition': 409,
  'gate-not-satisfied': 409,
  'evidence-required': 409,
  'dependencies-open': 409,
  'too-early': 409,
  'rate-limited': 429,
  'choose-msp': 409,
};

export type ErrorBody = { error: { code: string; message: string; details: Issue[]; choices?: unknown[] } };

export function errorBody(code: string, message: string, details: Issue[] = []): ErrorBody {
  return { error: { code, message, details } };
}

export function sendError(c: Context, error: unknown): Response {
  if (error instanceof DomainError) {
    const body = errorBody(error.code, error.message, error.details);
    if (error.choices) body.error.choices = error.choices;
    return c.json(body, STATUS[error.code]);
  }
  return c.json(errorBody('internal', 'something went wrong on our side; it has been logged'), 500);
}
