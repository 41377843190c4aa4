/**
 * The API as the web app calls it: JSON with the session cookie, and one error shape. The
 * types are the server's own schemas (type-only imports: nothing of the server is bundled).
 */
import type { z } from 'zod';
import type { Me } from '../../src/http/routes/accounts/accounts.schema.ts';
import type { OffboardingDetail, OffboardingSummary } from '../../src/http/routes/offboardings/offboardings.schema.ts';
import type { MyTask, Task } from '../../src/http/routes/tasks/tasks.schema.ts';

export type MeData = z.infer<typeof Me>;
export type OffboardingSummaryData = z.infer<typeof OffboardingSummary>;
export type OffboardingDetailData = z.infer<typeof OffboardingDetail>;
export type TaskData = z.infer<typeof Task>;
export type MyTaskData = z.infer<typeof MyTask>;
export type Page<T> = { items: T[]; nextOffset: number | null };

export type Issue = { path: string; message: string };

export class ApiError extends Error {
  readonly status: number;
  readonly code: string;
  readonly details: Issue[];
  /** What to pick from to try again (the MSPs an address signs in to). */
  readonly choices: { tenantId: string; name: string }[];
  constructor(status: number, code: string, message: string, details: Issue[], choices: { tenantId: string; name: string }[] = []) {
    super(message);
    this.status = status;
    this.code = code;
    this.details = details;
    this.choices = choices;
  }
}

export async function api<T>(
  method: string,
  path: string,
  body?: unknown,
  headers: Record<string, string> = {},
): Promise<{ data: T; etag: string | null }> {
  let response: Response;
  try {
    response = await fetch(path, {
      method,
      credentials: 'same-origin',
      headers: {
        accept: 'application/json',
        ...(body === undefined || body instanceof FormData ? {} : { 'content-type': 'application/json' }),
        ...headers,
      },
      ...(body === undefined ? {} : { body: body instanceof FormData ? body : JSON.stringify(body) }),
    });
  } catch {
    throw new ApiError(0, 'network', 'The server cannot be reached. Check your connection and try again.', []);
  }
  const text = await response.text();
  const parsed: unknown = text ? JSON.parse(text) : null;
  if (!response.ok) {
    const error = (
      parsed as { error?: { code: string; message: string; details: Issue[]; choices?: { tenantId: string; name: string }[] } } | null
    )?.error;
    throw new ApiError(
      response.status,
      error?.code ?? 'error',
      error?.message ?? `The server answered ${response.status}.`,
      error?.details ?? [],
      error?.choices ?? [],
    );
  }
  return { data: parsed as T, etag: response.headers.get('etag') };
}

export const get = async <T>(path: string): Promise<T> => (await api<T>('GET', path)).data;

/** Whatever was thrown, as an ApiError the screens can show. */
export const asApiError = (error: unknown): ApiError => (error instanceof ApiError ? error : new ApiError(0, 'error', String(error), []));
