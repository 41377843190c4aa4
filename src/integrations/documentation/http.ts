/**
 * Reading a documentation platform's API through the outbound guard: the key in the platform's
 * header, 429 answered by waiting what Retry-After says, 5xx and dropped connections retried
 * with backoff, 401/403 a clear refusal. The key is never in a message (ITFlow's rides in the URL).
 */
import { setTimeout as sleep } from 'node:timers/promises';
import { OutboundRefused, guardedFetch } from '../outbound.ts';
import { PlatformError } from './types.ts';

export const MAX_ATTEMPTS = 5;
/** The longest Retry-After honoured; a platform asking for more is reported, not waited for. */
export const MAX_RETRY_AFTER_SECONDS = 120;

export type GetOptions = {
  headers?: Record<string, string>;
  /** The URL as it may be shown (without a key in its query). */
  shown: string;
  platform: string;
  signal?: AbortSignal | undefined;
};

/** Seconds from a Retry-After value: delta-seconds or an HTTP date. */
export function retryAfterSeconds(value: string | null, now = Date.now()): number | undefined {
  if (!value) return undefined;
  if (/^\d+$/.test(value.trim())) return Number(value.trim());
  const at = Date.parse(value);
  return Number.isNaN(at) ? undefined : Math.max(0, Math.ceil((at - now) / 1000));
}

export async function getJson(url: string, options: GetOptions): Promise<unknown> {
  for (let attempt = 1; ; attempt++) {
    let response: Awaited<ReturnType<typeof guardedFetch>>;
    try {
      response = await guardedFetch(url, { headers: { accept: 'application/json', ...options.headers }, signal: options.signal });
    } catch (error) {
      if (error instanceof OutboundRefused) throw new PlatformError(error.message, 'url');
      if (options.signal?.aborted) throw error;
      if (attempt >= MAX_ATTEMPTS)
        throw new PlatformError(`${options.platform} could not be reached at ${options.shown} after ${attempt} attempts`, 'url');
      await sleep(backoff(attempt));
      continue;
    }
    if (response.status >= 200 && response.status < 300) {
      try {
        return await response.json();
      } catch {
        throw new PlatformError(`${options.platform} answered ${options.shown} with something that is not JSON`, 'url');
      }
    }
    await response.body?.cancel();
    const next = afterRefusal(response.status, response.headers.get('retry-after'), attempt, options);
    if (next instanceof PlatformError) throw next;
    await sleep(next);
  }
}

/** What to do after a non-2xx answer: wait this many milliseconds and ask again, or give up with this error. */
function afterRefusal(status: number, retryAfter: string | null, attempt: number, options: GetOptions): number | PlatformError {
  const { platform, shown } = options;
  if (status === 401 || status === 403)
    return new PlatformError(`${platform} refused the API key (${status}): check the key and its access to this organization`, 'key');
  if (status === 429) {
    const wait = retryAfterSeconds(retryAfter) ?? backoff(attempt) / 1000;
    if (wait > MAX_RETRY_AFTER_SECONDS)
      return new PlatformError(`${platform} asked to wait ${wait} s before the next request (429): try again later`, 'url');
    if (attempt >= MAX_ATTEMPTS) return new PlatformError(`${platform} kept answering 429 (too many requests) at ${shown}`, 'url');
    return wait * 1000;
  }
  if (status >= 500)
    return attempt >= MAX_ATTEMPTS
      ? new PlatformError(`${platform} answered ${status} at ${shown} ${attempt} times`, 'url')
      : backoff(attempt);
  if (status === 404) return new PlatformError(`${platform} has no ${shown} (404): check the URL`, 'url', 404);
  return new PlatformError(`${platform} answered ${status} at ${shown}`, 'url');
}

/** 0.5 s, 1 s, 2 s, 4 s (OFFBOARD_IMPORT_BACKOFF_MS scales it; tests make it short). */
function backoff(attempt: number): number {
  const base = Number(process.env.OFFBOARD_IMPORT_BACKOFF_MS) || 500;
  return base * 2 ** (attempt - 1);
}
