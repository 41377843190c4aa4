/**
 * Local HTTP servers that speak the documentation platforms' formats (../shared/reference/
 * integrations.md section 5): IT Glue's JSON:API pages, Hudu's wrapped lists with short-page
 * ends, ITFlow's read.php with limit and offset. Each checks the key, counts requests, and can
 * be told to answer 429 (with Retry-After) or 500 once.
 */
import { type IncomingMessage, type ServerResponse, createServer } from 'node:http';
import type { AddressInfo } from 'node:net';

export type PlatformServer = {
  url: string;
  requests: string[];
  /** The next request to a path containing this text answers with this status (once). */
  failOnce: (pathContains: string, status: number, headers?: Record<string, string>) => void;
  close: () => Promise<void>;
};

type Handler = (url: URL, req: IncomingMessage) => { status?: number; body: unknown };

async function serve(key: string, keyOf: (url: URL, req: IncomingMessage) => string | undefined, handle: Handler): Promise<PlatformServer> {
  const requests: string[] = [];
  const failures: { contains: string; status: number; headers: Record<string, string> }[] = [];
  const server = createServer((req: IncomingMessage, res: ServerResponse) => {
    const url = new URL(req.url ?? '/', 'http://127.0.0.1');
    requests.push(`${url.pathname}${url.search}`);
    const failure = failures.findIndex((f) => url.pathname.includes(f.contains) || url.search.includes(f.contains));
    if (failure >= 0) {
      const [f] = failures.splice(failure, 1);
      res.writeHead(f?.status ?? 500, { 'content-type': 'application/json', ...f?.headers });
      res.end('{"errors":[{"title":"try later"}]}');
      return;
    }
    if (keyOf(url, req) !== key) {
      res.writeHead(401, { 'content-type': 'application/json' });
      res.end('{"errors":[{"status":"401","title":"Unauthorized"}]}');
      return;
    }
    const { status = 200, body } = handle(url, req);
    res.writeHead(status, { 'content-type': 'application/json' });
    res.end(JSON.stringify(body));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    requests,
    failOnce: (contains, status, headers = {}) => failures.push({ contains, status, headers }),
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

/**
 * IT Glue: `rows[path]` lists resources (`{id, attributes}`), served `pageSize` at a time with meta
 * next-page; `passwords[id]` is `/passwords/{id}`, which shows the password only with `show_password=true`.
 */
export function itGlueServer(
  key: string,
  lists: Record<string, { id: string; attributes: Record<string, unknown> }[]>,
  pageSize = 2,
  passwords: Record<string, Record<string, unknown>> = {},
) {
  return serve(
    key,
    (_url, req) => req.headers['x-api-key'] as string | undefined,
    (url) => {
      const single = /^\/passwords\/([^/]+)$/.exec(url.pathname)?.[1];
      if (single !== undefined) {
        const attributes = passwords[single];
        if (!attributes) return { status: 404, body: { errors: [{ status: '404' }] } };
        const { password, ...rest } = attributes;
        const shown = url.searchParams.get('show_password') === 'true' ? { password } : {};
        return { body: { data: { id: single, type: 'passwords', attributes: { ...rest, ...shown } } } };
      }
      const rows = lists[url.pathname];
      if (!rows) return { status: 404, body: { errors: [{ status: '404' }] } };
      const size = Math.min(pageSize, Number(url.searchParams.get('page[size]')) || pageSize);
      const n = Number(url.searchParams.get('page[number]')) || 1;
      const pages = Math.max(1, Math.ceil(rows.length / size));
      const data = rows.slice((n - 1) * size, n * size).map((r) => ({ ...r, type: url.pathname.split('/').at(-1) }));
      return {
        body: {
          data,
          meta: {
            'current-page': n,
            'next-page': n < pages ? n + 1 : null,
            'prev-page': n > 1 ? n - 1 : null,
            'total-pages': pages,
            'total-count': rows.length,
          },
          links: {},
        },
      };
    },
  );
}

/** Hudu: `/api/v1/<list>` wrapped as `{"<list>": [...]}`, `page` and `page_size`, filtered by company_id. */
export function huduServer(key: string, lists: Record<string, Record<string, unknown>[]>) {
  return serve(
    key,
    (_url, req) => req.headers['x-api-key'] as string | undefined,
    (url) => {
      const list = url.pathname.replace(/^\/api\/v1\//, '');
      const all = lists[list];
      if (!all) return { status: 404, body: { error: 'not found' } };
      const company = url.searchParams.get('company_id');
      const name = url.searchParams.get('name');
      const rows = all.filter((r) => (company === null || String(r.company_id) === company) && (name === null || r.name === name));
      const size = Number(url.searchParams.get('page_size')) || 25;
      const n = Number(url.searchParams.get('page')) || 1;
      return { body: { [list]: rows.slice((n - 1) * size, n * size) } };
    },
  );
}

/** ITFlow: `/api/v1/<list>/read.php?api_key=&limit=&offset=` answering success True/False. */
export function itFlowServer(key: string, lists: Record<string, Record<string, unknown>[]>) {
  return serve(
    key,
    (url) => url.searchParams.get('api_key') ?? undefined,
    (url) => {
      const list = /^\/api\/v1\/(\w+)\/read\.php$/.exec(url.pathname)?.[1] ?? '';
      const all = lists[list];
      if (!all) return { status: 404, body: { success: 'False', message: 'unknown' } };
      const limit = Number(url.searchParams.get('limit')) || 50;
      const offset = Number(url.searchParams.get('offset')) || 0;
      const rows = all.slice(offset, offset + limit);
      return rows.length === 0
        ? { body: { success: 'False', message: 'No resource (for this client) with the specified parameter(s).' } }
        : { body: { success: 'True', count: rows.length, data: rows } };
    },
  );
}
