/**
 * The API as the web app calls it: openapi-fetch typed by the server's own OpenAPI document
 * (schema.d.ts, generated), TanStack Query hooks over it (openapi-react-query), and one error
 * shape. Integrators can use the same two packages and the same generated file.
 */
import createFetchClient, { type Middleware } from 'openapi-fetch';
import createQueryClient from 'openapi-react-query';
import type { components, paths } from './schema';

export type Schemas = components['schemas'];
export type Issue = { path: string; message: string };
type Choice = { tenantId: string; name: string };

export class ApiError extends Error {
  readonly status: number;
  readonly code: string;
  readonly details: Issue[];
  /** What to pick from to try again (the MSPs an address signs in to). */
  readonly choices: Choice[];
  constructor(status: number, code: string, message: string, details: Issue[] = [], choices: Choice[] = []) {
    super(message);
    this.status = status;
    this.code = code;
    this.details = details;
    this.choices = choices;
  }
}

/** Every answer that is not 2xx becomes an ApiError, so queries and mutations fail with one shape. */
const errors: Middleware = {
  async onResponse({ response }) {
    if (response.ok) return undefined;
    const body = (await response
      .clone()
      .json()
      .catch(() => null)) as { error?: { code: string; message: string; details?: Issue[]; choices?: Choice[] } } | null;
    throw new ApiError(
      response.status,
      body?.error?.code ?? 'error',
      body?.error?.message ?? `The server answered ${response.status}.`,
      body?.error?.details ?? [],
      body?.error?.choices ?? [],
    );
  },
  onError() {
    return new ApiError(0, 'network', 'The server cannot be reached. Check your connection and try again.');
  },
};

export const client = createFetchClient<paths>({ baseUrl: '', credentials: 'same-origin' });
client.use(errors);
export const $api = createQueryClient(client);

/** Whatever was thrown, as an ApiError the screens can show. */
export const asApiError = (error: unknown): ApiError =>
  error instanceof ApiError ? error : new ApiError(0, 'error', error instanceof Error ? error.message : String(error));

/** The If-Match header for a task as it was shown (its ETag is its version). */
export const ifMatch = (version: number) => ({ 'if-match': `"v${version}"` });
