/**
 * The defects an outside probe found (issue 10), each reproduced as the probe did it: concurrent
 * guessing, sign-in timing, email addresses across MSPs, disabling and demoting, who works a
 * task, cross-site requests, NUL and lone surrogates, oversized bodies, and secrets in paths.
 */
import { createHash } from 'node:crypto';
import { readdirSync } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { type SeededMsp, type TestClock, seedMsp, testApp } from '../../test/app-fixture.ts';
import { testDatabaseKind } from '../../test/db.ts';
import { type Call, type CallOptions, apiCaller } from '../../test/http-fixture.ts';
import { createApiToken } from '../app/accounts/api-tokens.ts';
import type { App } from '../app/context.ts';
import { MAX_FAILURES } from '../app/accounts/sign-in.ts';
import { startOffboarding } from '../app/offboardings/start-offboarding.ts';
import { startTask } from '../app/tasks/start-task.ts';
import { permits } from '../domain/policies.ts';
import { STAFF_ROLES, type StaffRole } from '../domain/vocabulary.ts';
import type { Database } from '../storage/db.ts';
import { createHttpApp } from './app.ts';
import { ROUTE_POLICIES } from './authorize.ts';
import { MAX_JSON_BYTES } from './guards.ts';
import { UPLOAD_DIR } from './uploads.ts';

let app: App;
let database: Database;
let clock: TestClock;
let http: ReturnType<typeof createHttpApp>;
let a: SeededMsp;
let b: SeededMsp;
let offboardingA: string;
const PASSWORD = 'correct horse battery';

beforeAll(async () => {
  ({ app, database, clock } = await testApp());
  http = createHttpApp(app);
  a = await seedMsp(app, 'MSP A');
  b = await seedMsp(app, 'MSP B');
  offboardingA = (
    await startOffboarding(app, a.admin, {
      clientId: a.clientId,
      type: 'provider-switch',
      noticeDate: '2026-03-02',
      endDate: '2026-03-31',
      newProvider: { name: 'Northwind IT', contact: 'n@northwind.example' },
    })
  ).id;
});
afterAll(async () => {
  await database.close();
});
// Every test signs in from the same address; each starts with a clean slate of attempts.
afterEach(async () => {
  await database.query('delete from login_attempts');
});

const call = (method: string, path: string, options: CallOptions = {}) => apiCaller(http)(method, path, options);

const emailOf = async (id: string) =>
  (await database.query<{ email: string }>('select email from users where id = $1', [id]))[0]?.email as string;
const setPassword = async (id: string, hash: string) => database.query('update users set password_hash = $2 where id = $1', [id, hash]);
const hashOf = async (id: string) =>
  (await database.query<{ password_hash: string }>('select password_hash from users where id = $1', [id]))[0]?.password_hash as string;
const auditCount = async () => (await database.query<{ n: number }>('select count(*)::int as n from audit_events'))[0]?.n ?? 0;
const errorOf = (c: Call) =>
  c.body.error as {
    code: string;
    message: string;
    details: { path: string; message: string }[];
    choices?: { tenantId: string; name: string }[];
  };

async function signIn(email: string, password = PASSWORD, extra: Record<string, unknown> = {}) {
  const r = await call('POST', '/api/auth/sign-in', { body: { email, password, ...extra } });
  return { ...r, cookie: (r.headers.get('set-cookie') ?? '').split(';')[0] as string };
}

describe(`accounts and sessions (${testDatabaseKind})`, () => {
  it('counts each attempt before checking the password: 100 concurrent guesses evaluate at most the limit', async () => {
    const email = await emailOf(a.admin.id);
    const attempts = Array.from({ length: 100 }, (_, i) => (i === 76 ? PASSWORD : `wrong guess ${i}`));
    const results = await Promise.all(attempts.map((password) => call('POST', '/api/auth/sign-in', { body: { email, password } })));
    const evaluated = results.filter((r) => r.status === 200 || r.status === 401).length;
    expect(evaluated).toBeLessThanOrEqual(MAX_FAILURES);
    expect(results.filter((r) => r.status === 429).length).toBeGreaterThanOrEqual(100 - MAX_FAILURES);
    expect(results.every((r) => [200, 401, 429].includes(r.status))).toBe(true);
  });

  it('a right password takes its attempt back: a busy office behind one address is not locked out', async () => {
    const email = await emailOf(a.admin.id);
    for (let i = 0; i < MAX_FAILURES + 5; i++) expect((await signIn(email)).status).toBe(200);
  });

  it('spends the same hashing work on an unknown address as on a wrong password', async () => {
    const known = await emailOf(a.users.billing);
    await setPassword(a.users.billing, await hashOf(a.admin.id));
    const time = async (email: string) => {
      const started = performance.now();
      expect((await call('POST', '/api/auth/sign-in', { body: { email, password: 'not the password' } })).status).toBe(401);
      return performance.now() - started;
    };
    const median = (xs: number[]) => [...xs].sort((x, y) => x - y)[Math.floor(xs.length / 2)] as number;
    const knownTimes: number[] = [];
    const unknownTimes: number[] = [];
    for (let i = 0; i < 4; i++) {
      knownTimes.push(await time(known));
      unknownTimes.push(await time(`nobody${i}@nowhere.example`));
    }
    // Before the fix: about 345 ms against 14 ms. The same scrypt work keeps them within a factor of two.
    expect(median(unknownTimes)).toBeGreaterThan(median(knownTimes) / 2);
  });

  it("keeps staff emails per MSP: another MSP's address is neither an oracle nor blocked", async () => {
    const taken = await emailOf(a.users.technician);
    const bToken = (await createApiToken(app, b.admin, { name: 'b admin', role: 'admin' })).token;
    const created = await call('POST', '/api/users', {
      token: bToken,
      body: { email: taken.toUpperCase(), name: 'Same Address', role: 'technician', password: 'another long password' },
    });
    expect(created.status).toBe(201);
    // Within one MSP an address is still unique.
    const again = await call('POST', '/api/users', { token: bToken, body: { email: taken, name: 'Twice', role: 'technician' } });
    expect(again.status).toBe(409);
    // Each password signs in to its own MSP.
    await setPassword(a.users.technician, await hashOf(a.admin.id));
    const intoB = await signIn(taken, 'another long password');
    expect(intoB.status).toBe(200);
    expect(intoB.body.tenantId).toBe(b.tenantId);
    const intoA = await signIn(taken);
    expect(intoA.body.tenantId).toBe(a.tenantId);
    // The same password at both: asked which MSP (only after the password is proven), then signed in to the chosen one.
    await setPassword(created.body.id as string, await hashOf(a.admin.id));
    const ask = await signIn(taken);
    expect(ask.status).toBe(409);
    expect(errorOf(ask).code).toBe('choose-msp');
    expect(
      errorOf(ask)
        .choices?.map((c) => c.name)
        .sort(),
    ).toEqual(['MSP A', 'MSP B']);
    expect(errorOf(ask).details[0]?.path).toBe('tenantId');
    expect((await signIn(taken, 'a wrong password')).status).toBe(401);
    const chosen = await signIn(taken, PASSWORD, { tenantId: b.tenantId });
    expect(chosen.status).toBe(200);
    expect(chosen.body.tenantId).toBe(b.tenantId);
    expect((await signIn(taken, PASSWORD, { tenantId: 'no-such-msp' })).status).toBe(401);
  });

  it('disabling or demoting bites at once in this process; disabling revokes the tokens the person made', async () => {
    const adminEmail = await emailOf(a.admin.id);
    const admin = await signIn(adminEmail);
    const origin = { origin: 'http://localhost' };
    const second = await call('POST', '/api/users', {
      cookie: admin.cookie,
      headers: origin,
      body: { email: 'second.admin@a.example', name: 'Second Admin', role: 'admin', password: 'second admin password' },
    });
    expect(second.status).toBe(201);
    const secondId = second.body.id as string;
    const session = await signIn('second.admin@a.example', 'second admin password');
    const made = await call('POST', '/api/tokens', {
      cookie: session.cookie,
      headers: origin,
      body: { name: 'made by second', role: 'admin' },
    });
    expect(made.status).toBe(201);
    const token = made.body.token as string;
    expect((await call('GET', '/api/me', { cookie: session.cookie })).status).toBe(200);
    expect((await call('GET', '/api/me', { token })).status).toBe(200);

    // Demoted: the cached admin identity is gone at once (no clock change).
    expect(
      (await call('PATCH', `/api/users/${secondId}`, { cookie: admin.cookie, headers: origin, body: { role: 'technician' } })).status,
    ).toBe(200);
    expect(
      (await call('POST', '/api/tokens', { cookie: session.cookie, headers: origin, body: { name: 'x', role: 'admin' } })).status,
    ).toBe(403);
    // Disabled: the session and the token they made stop at once, and the token is revoked for every process.
    expect(
      (await call('PATCH', `/api/users/${secondId}`, { cookie: admin.cookie, headers: origin, body: { disabled: true } })).status,
    ).toBe(200);
    expect((await call('GET', '/api/me', { cookie: session.cookie })).status).toBe(401);
    expect((await call('POST', '/api/tokens', { token, body: { name: 'sneaky', role: 'admin' } })).status).toBe(401);
    const row = await database.query<{ revoked_at: string | null }>('select revoked_at from api_tokens where id = $1', [made.body.id]);
    expect(row[0]?.revoked_at).not.toBeNull();
  });

  it("records a token's last use, at most once a minute", async () => {
    const { id, token } = await createApiToken(app, a.admin, { name: 'used', role: 'auditor' });
    const lastUsed = async () =>
      (await database.query<{ t: string | null }>('select last_used_at::text as t from api_tokens where id = $1', [id]))[0]?.t ?? null;
    expect(await lastUsed()).toBeNull();
    const start = clock().toISOString();
    expect((await call('GET', '/api/me', { token })).status).toBe(200);
    const first = await lastUsed();
    expect(first).not.toBeNull();
    clock.set(new Date(Date.parse(start) + 30_000).toISOString());
    await call('GET', '/api/me', { token });
    expect(await lastUsed()).toBe(first);
    clock.set(new Date(Date.parse(start) + 61_000).toISOString());
    await call('GET', '/api/me', { token });
    expect(await lastUsed()).not.toBe(first);
    const listed = await call('GET', '/api/tokens', {
      token: (await createApiToken(app, a.admin, { name: 'lister', role: 'admin' })).token,
    });
    expect((listed.body.items as { id: string; lastUsedAt: string | null }[]).find((t) => t.id === id)?.lastUsedAt).toMatch(/^2026-/);
    clock.set(start);
  });
});

describe(`who works a task (${testDatabaseKind})`, () => {
  it('lets the assignee, the task role, managers and admins work a task, and nobody else (matrix over roles)', async () => {
    const tokens = {} as Record<StaffRole, string>;
    for (const role of STAFF_ROLES) tokens[role] = (await createApiToken(app, a.admin, { name: `${role} worker`, role })).token;
    const detail = await call('GET', `/api/offboardings/${offboardingA}`, { token: tokens.admin });
    const tasks = detail.body.tasks as { id: string; key: string; role: StaffRole; status: string }[];
    const byRole = new Map(tasks.map((t) => [t.role, t] as const));
    expect([...byRole.keys()].sort()).toEqual(['account-manager', 'billing', 'documentation', 'technician']);
    const workRoutes = ROUTE_POLICIES.filter((r) => r.action === 'tasks.work');
    expect(workRoutes.map((r) => r.path).sort()).toEqual([
      '/api/tasks/:id/checklist',
      '/api/tasks/:id/complete',
      '/api/tasks/:id/evidence',
      '/api/tasks/:id/start',
    ]);
    for (const task of byRole.values()) {
      for (const role of STAFF_ROLES) {
        const before = await auditCount();
        // A stale If-Match: whoever may work the task gets 409 (the version), everyone else 403 first; nothing changes either way.
        const r = await call('POST', `/api/tasks/${task.id}/start`, { token: tokens[role], headers: { 'if-match': '"v999"' } });
        const where = `${role} starting a ${task.role} task`;
        const mayWork =
          role !== 'auditor' && permits('tasks.work', { kind: 'token', id: 'x', role }, { assigneeId: null, role: task.role });
        expect(r.status, where).toBe(mayWork ? 409 : 403);
        const form = new FormData();
        form.append('file', new File([new Uint8Array([1])], 'x.png', { type: 'image/png' }));
        const upload = await http.request(`/api/tasks/${task.id}/evidence`, {
          method: 'POST',
          headers: { authorization: `Bearer ${tokens[role]}` },
          body: form,
        });
        if (!mayWork) expect(upload.status, `${where}: evidence`).toBe(403);
        if (!mayWork)
          expect(
            (await call('POST', `/api/tasks/${task.id}/complete`, { token: tokens[role], body: {} })).status,
            `${where}: complete`,
          ).toBe(403);
        if (!mayWork)
          expect(
            (await call('POST', `/api/tasks/${task.id}/checklist`, { token: tokens[role], body: { item: 'x', done: true } })).status,
            `${where}: checklist`,
          ).toBe(403);
        // What the app is told this person may do agrees with what the routes let them do.
        const allowed = (await call('GET', `/api/tasks/${task.id}`, { token: tokens[role] })).body.allowed as string[];
        expect(allowed.includes('start'), `${where}: served`).toBe(mayWork && task.status === 'ready');
        expect(allowed.includes('attach-evidence'), `${where}: served`).toBe(mayWork);
        if (!mayWork) expect(await auditCount(), where).toBe(before);
      }
    }
    // billing may not do a technician's credential inventory; the assignee may, whatever their role.
    const inventory = tasks.find((t) => t.key === 'credential-inventory') as { id: string };
    const billing = a.as('billing', a.users.billing);
    await expect(startTask(app, billing, inventory.id, undefined)).rejects.toMatchObject({ code: 'forbidden' });
    await database.query('update tasks set assignee_id = $2 where id = $1', [inventory.id, a.users.billing]);
    await expect(startTask(app, billing, inventory.id, undefined)).resolves.toMatchObject({ status: 'in-progress' });
  });
});

describe(`requests (${testDatabaseKind})`, () => {
  let cookie: string;
  beforeAll(async () => {
    cookie = (await signIn(await emailOf(a.admin.id))).cookie;
  });
  const newClient = (name: string) => ({ name, timezone: 'Europe/Berlin', services: {}, contacts: [] });

  it('refuses cross-site state changes made with the cookie, whatever the content type or Authorization header', async () => {
    const before = await auditCount();
    const variants: { name: string; headers: Record<string, string> }[] = [
      { name: 'JSON from another origin', headers: { origin: 'http://evil.example' } },
      { name: 'text/plain from another origin', headers: { origin: 'http://evil.example', 'content-type': 'text/plain' } },
      { name: 'Basic Authorization skips nothing', headers: { authorization: 'Basic YWRhOnBhc3M=' } },
      { name: 'Basic Authorization from another origin', headers: { authorization: 'Basic YWRhOnBhc3M=', origin: 'http://evil.example' } },
      { name: 'no Origin at all', headers: {} },
      { name: 'null Origin', headers: { origin: 'null' } },
      { name: 'cross-site fetch metadata', headers: { 'sec-fetch-site': 'cross-site' } },
      { name: 'same-site (a sibling subdomain)', headers: { 'sec-fetch-site': 'same-site', origin: 'http://localhost' } },
      { name: 'an origin that only starts like ours', headers: { origin: 'http://localhost.evil.example' } },
    ];
    for (const v of variants) {
      const r = await call('POST', '/api/clients', { cookie, headers: v.headers, body: newClient(`CSRF ${v.name}`) });
      expect(r.status, v.name).toBe(403);
    }
    expect(await auditCount()).toBe(before);
    // Our own page: Origin of this server, or fetch metadata saying so.
    expect(
      (await call('POST', '/api/clients', { cookie, headers: { origin: 'http://localhost' }, body: newClient('Same origin') })).status,
    ).toBe(201);
    expect(
      (
        await call('POST', '/api/clients', {
          cookie,
          headers: { 'sec-fetch-site': 'same-origin' },
          body: newClient('Same origin by metadata'),
        })
      ).status,
    ).toBe(201);
    // A request that carries a bearer token is authenticated by it alone, cookie or not.
    const token = (await createApiToken(app, a.admin, { name: 'script', role: 'admin' })).token;
    expect(
      (
        await call('POST', '/api/clients', {
          token,
          cookie: 'offboard_session=whatever',
          headers: { origin: 'http://evil.example' },
          body: newClient('By token'),
        })
      ).status,
    ).toBe(201);
  });

  it('refuses NUL and lone surrogates with 400 naming the field, in ids, queries, names and keys', async () => {
    const token = (await createApiToken(app, a.admin, { name: 'nul', role: 'admin' })).token;
    const before = await auditCount();
    const idRoutes = ROUTE_POLICIES.filter((r) => r.path.includes(':id'));
    expect(idRoutes.length).toBeGreaterThanOrEqual(24);
    for (const route of idRoutes) {
      for (const bad of ['%00', 'a%00b', '%ED%A0%80', '%F0%9F', 'x%C0%80']) {
        const path = route.path.replace(':id', bad);
        const r = await call(route.method.toUpperCase(), path, {
          token,
          ...(route.method === 'get' || route.method === 'delete' ? {} : { body: {} }),
        });
        expect(r.status, `${route.method} ${path}`).toBe(400);
        expect(errorOf(r).details[0]?.path, `${route.method} ${path}`).toBe('id');
      }
    }
    const named = async (body: unknown, path: string) => {
      const r = await call('POST', '/api/clients', { token, raw: JSON.stringify(body) });
      expect(r.status, JSON.stringify(body)).toBe(400);
      expect(errorOf(r).details.map((d) => d.path)).toEqual([path]);
    };
    await named({ ...newClient('x'), name: 'a\u0000b' }, 'name');
    await named({ ...newClient('x'), name: 'a\ud800b' }, 'name');
    await named(
      {
        ...newClient('x'),
        contacts: [
          { name: 'ok', email: 'a@b.example' },
          { name: '\udfff', email: 'c@d.example' },
        ],
      },
      'contacts[1].name',
    );
    await named({ ...newClient('x'), 'bad\u0000key': 1 }, 'bad\u0000key');
    // A lone surrogate written as a JSON escape, as a probe sends it.
    const escaped = await call('POST', '/api/clients', { token, raw: '{"name":"a\\ud800b","timezone":"UTC","services":{},"contacts":[]}' });
    expect(escaped.status).toBe(400);
    expect(errorOf(escaped).details[0]?.path).toBe('name');
    const query = await call('GET', '/api/clients?limit=%00', { token });
    expect(query.status).toBe(400);
    expect(errorOf(query).details[0]?.path).toBe('query.limit');
    expect(await auditCount()).toBe(before);
  });

  it('limits bodies: JSON over 1 MB and uploads over the maximum get 413, streamed or declared', async () => {
    const token = (await createApiToken(app, a.admin, { name: 'big', role: 'admin' })).token;
    const before = await auditCount();
    const big = JSON.stringify({ ...newClient('Big'), notes: 'x'.repeat(MAX_JSON_BYTES) });
    expect((await call('POST', '/api/clients', { token, raw: big })).status).toBe(413);
    // Without a Content-Length: counted as it streams.
    let sent = 0;
    const stream = new ReadableStream<Uint8Array>({
      pull(controller) {
        if (sent >= 8 * MAX_JSON_BYTES) return controller.close();
        sent += 64 * 1024;
        controller.enqueue(new Uint8Array(64 * 1024).fill(32));
      },
    });
    const streamed = await http.request('/api/clients', {
      method: 'POST',
      headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
      body: stream,
      duplex: 'half',
    });
    expect(streamed.status).toBe(413);
    expect(sent).toBeLessThan(8 * MAX_JSON_BYTES); // stopped reading, not read to the end
    const small = createHttpApp(app, { maxUploadBytes: 4096 });
    const task = ((await call('GET', `/api/offboardings/${offboardingA}`, { token })).body.tasks as { id: string }[])[0] as { id: string };
    const form = new FormData();
    form.append('file', new File([new Uint8Array(10_000)], 'big.png', { type: 'image/png' }));
    expect(
      (await small.request(`/api/tasks/${task.id}/evidence`, { method: 'POST', headers: { authorization: `Bearer ${token}` }, body: form }))
        .status,
    ).toBe(413);
    // A multipart body without a Content-Length, streamed: refused once the file passes the maximum.
    const boundary = 'offboard-boundary';
    let streamedBytes = 0;
    const multipart = new ReadableStream<Uint8Array>({
      start(controller) {
        controller.enqueue(
          new TextEncoder().encode(
            `--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="huge.bin"\r\nContent-Type: application/octet-stream\r\n\r\n`,
          ),
        );
      },
      pull(controller) {
        if (streamedBytes >= 64 * 1024 * 1024) return controller.close();
        streamedBytes += 256 * 1024;
        controller.enqueue(new Uint8Array(256 * 1024).fill(7));
      },
    });
    const huge = await small.request(`/api/tasks/${task.id}/evidence`, {
      method: 'POST',
      headers: { authorization: `Bearer ${token}`, 'content-type': `multipart/form-data; boundary=${boundary}` },
      body: multipart,
      duplex: 'half',
    });
    expect(huge.status).toBe(413);
    expect(streamedBytes).toBeLessThan(64 * 1024 * 1024);
    expect(await auditCount()).toBe(before);
    expect(readdirSync(UPLOAD_DIR)).toEqual([]);
  });

  it('stores an upload in pieces as it streams, and serves it back in pieces, byte for byte', async () => {
    const token = (await createApiToken(app, a.admin, { name: 'uploader', role: 'admin' })).token;
    const task = ((await call('GET', `/api/offboardings/${offboardingA}`, { token })).body.tasks as { id: string; key: string }[]).find(
      (t) => t.key === 'credential-inventory',
    ) as { id: string };
    const bytes = new Uint8Array(5 * 1024 * 1024 + 123);
    for (let i = 0; i < bytes.length; i++) bytes[i] = (i * 31 + (i >> 11)) & 0xff;
    const form = new FormData();
    form.append('note', 'fields other than the file are ignored');
    form.append('file', new File([bytes], 'vpn-export.bin', { type: 'application/octet-stream' }));
    const up = await http.request(`/api/tasks/${task.id}/evidence`, {
      method: 'POST',
      headers: { authorization: `Bearer ${token}` },
      body: form,
    });
    expect(up.status).toBe(201);
    const stored = (await up.json()) as { id: string; sha256: string; size: number };
    expect(stored.sha256).toBe(createHash('sha256').update(bytes).digest('hex'));
    expect(stored.size).toBe(bytes.length);
    const pieces = await database.query<{ n: number; size: number }>(
      'select n, length(bytes) as size from blob_chunks where tenant_id = $1 and sha256 = $2 order by n',
      [a.tenantId, stored.sha256],
    );
    expect(pieces.map((p) => p.size)).toEqual([1048576, 1048576, 1048576, 1048576, 1048576, 123]);
    const down = await http.request(`/api/evidence/${stored.id}`, { headers: { authorization: `Bearer ${token}` } });
    expect(down.headers.get('content-length')).toBe(String(bytes.length));
    expect(
      createHash('sha256')
        .update(new Uint8Array(await down.arrayBuffer()))
        .digest('hex'),
    ).toBe(stored.sha256);
    expect(readdirSync(UPLOAD_DIR)).toEqual([]);
  });
});

describe(`outbound calls to addresses an MSP configures (${testDatabaseKind})`, () => {
  let received = 0;
  const server = createServer((_req, res) => {
    received++;
    res.end('ok');
  });
  let port: number;
  beforeAll(async () => {
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    port = (server.address() as AddressInfo).port;
  });
  afterAll(() => {
    server.close();
  });

  it('refuses loopback, private, link-local and metadata addresses after resolving them, unless the operator allows them', async () => {
    const token = (await createApiToken(app, a.admin, { name: 'ssrf', role: 'admin' })).token;
    const allowed = process.env.OFFBOARD_OUTBOUND_ALLOW;
    try {
      process.env.OFFBOARD_OUTBOUND_ALLOW = '';
      for (const url of [
        `http://127.0.0.1:${port}/hook`,
        `http://localhost:${port}/hook`,
        `http://[::1]:${port}/`,
        `http://[::ffff:127.0.0.1]:${port}/`,
        'http://169.254.169.254/latest/meta-data/',
        'http://10.0.0.7/',
        'http://192.168.1.1/',
        'http://[fd00:ec2::254]/',
      ]) {
        expect((await call('PUT', '/api/settings/channels/slack', { token, body: { webhookUrl: url } })).status, url).toBe(200);
        const test = await call('POST', '/api/settings/channels/slack/test', { token, body: {} });
        expect(JSON.stringify(test.body), url).toMatch(/refused to connect/);
      }
      for (const host of ['127.0.0.1', 'localhost', '10.1.2.3', '169.254.169.254']) {
        expect(
          (await call('PUT', '/api/settings/email', { token, body: { host, port, security: 'none', from: 'it@a.example' } })).status,
          host,
        ).toBe(200);
        const test = await call('POST', '/api/settings/email/test', { token, body: { to: 'someone@a.example' } });
        expect(JSON.stringify(test.body), host).toMatch(/refused to connect/);
      }
      expect(received).toBe(0);
      // The operator's allow-list opens exactly what it names.
      process.env.OFFBOARD_OUTBOUND_ALLOW = '127.0.0.1/32';
      await call('PUT', '/api/settings/channels/slack', { token, body: { webhookUrl: `http://127.0.0.1:${port}/hook` } });
      expect((await call('POST', '/api/settings/channels/slack/test', { token, body: {} })).body).toMatchObject({ ok: true });
      expect(received).toBe(1);
    } finally {
      process.env.OFFBOARD_OUTBOUND_ALLOW = allowed;
    }
  });
});
