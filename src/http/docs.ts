/** A readable API reference page, rendered from the OpenAPI document itself (no scripts, no CDN). */
import { html, raw } from 'hono/html';

type OpenApiDoc = {
  paths?: Record<
    string,
    Record<string, { summary?: string; tags?: string[]; requestBody?: unknown; responses?: Record<string, { description?: string }> }>
  >;
};

export function apiReferencePage(document: object) {
  const doc = document as OpenApiDoc;
  const rows = Object.entries(doc.paths ?? {}).flatMap(([path, ops]) =>
    Object.entries(ops).map(([method, op]) => ({
      method: method.toUpperCase(),
      path,
      summary: op.summary ?? '',
      tag: op.tags?.[0] ?? '',
      responses: Object.keys(op.responses ?? {}).join(', '),
    })),
  );
  rows.sort((a, b) => a.tag.localeCompare(b.tag) || a.path.localeCompare(b.path));
  return html`<!doctype html>
    <html lang="en">
      <head>
        <meta charset="utf-8" />
        <title>offboard API reference</title>
        <meta name="viewport" content="width=device-width, initial-scale=1" />
        <style>
          body {
            font:
              15px/1.5 system-ui,
              sans-serif;
            max-width: 60rem;
            margin: 2rem auto;
            padding: 0 1rem;
            color: #1d2433;
          }
          code {
            font:
              13px ui-monospace,
              monospace;
          }
          table {
            border-collapse: collapse;
            width: 100%;
          }
          td,
          th {
            padding: 0.4rem 0.6rem;
            border-bottom: 1px solid #e3e6ec;
            text-align: left;
            vertical-align: top;
          }
          .m {
            font-weight: 600;
          }
        </style>
      </head>
      <body>
        <h1>offboard API</h1>
        <p>
          JSON over HTTP. Sign in with <code>POST /api/auth/sign-in</code> (session cookie) or send
          <code>Authorization: Bearer &lt;API token&gt;</code>. Errors are
          <code>{"error": {"code", "message", "details": [{"path", "message"}]}}</code>. Tasks carry an <code>ETag</code>; send it back in
          <code>If-Match</code> to be told (409) when someone else changed the task first. The machine-readable document is
          <a href="/api/openapi.json">/api/openapi.json</a> (OpenAPI 3.1).
        </p>
        <table>
          <thead>
            <tr>
              <th>area</th>
              <th>method</th>
              <th>path</th>
              <th>what</th>
              <th>answers</th>
            </tr>
          </thead>
          <tbody>
            ${raw(rows.map((r) => `<tr><td>${esc(r.tag)}</td><td class="m">${r.method}</td><td><code>${esc(r.path)}</code></td><td>${esc(r.summary)}</td><td>${esc(r.responses)}</td></tr>`).join(''))}
          </tbody>
        </table>
      </body>
    </html>`;
}

function esc(s: string): string {
  return s.replace(/[&<>"]/g, (ch) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;' })[ch] ?? ch);
}
