/** Calling the API in-process (Hono's `request`), with a token or a cookie, and reading the answer. */

export type Call = { status: number; body: Record<string, unknown>; headers: Headers };

export type CallOptions = { token?: string; cookie?: string; body?: unknown; raw?: string; headers?: Record<string, string> };

type Requester = { request: (path: string, init: RequestInit) => Response | Promise<Response> };

/** A `call(method, path, options)` for one app. A body that is not JSON comes back as `{ text }`. */
export function apiCaller(http: Requester) {
  return async (method: string, path: string, options: CallOptions = {}): Promise<Call> => {
    const headers: Record<string, string> = { ...options.headers };
    if (options.token) headers.authorization = `Bearer ${options.token}`;
    if (options.cookie) headers.cookie = options.cookie;
    if (options.body !== undefined || options.raw !== undefined) headers['content-type'] ??= 'application/json';
    const res = await http.request(path, {
      method,
      headers,
      ...(options.raw !== undefined ? { body: options.raw } : options.body !== undefined ? { body: JSON.stringify(options.body) } : {}),
    });
    const text = await res.text();
    let body: Record<string, unknown>;
    try {
      body = text ? (JSON.parse(text) as Record<string, unknown>) : {};
    } catch {
      body = { text };
    }
    return { status: res.status, body, headers: res.headers };
  };
}
