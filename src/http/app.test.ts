import { packagesRepo } from '../storage/documentation-repository.ts';
import { createHash } from 'node:crypto';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type SeededMsp, type TestClock, recordFromDocument, seedMsp, testApp } from '../../test/app-fixture.ts';
import { testDatabaseKind } from '../../test/db.ts';
import { type Call, type CallOptions, apiCaller } from '../../test/http-fixture.ts';
import { createApiToken } from '../app/accounts/api-tokens.ts';
import { AUTH_CACHE_MS } from '../app/accounts/auth-cache.ts';
import type { App } from '../app/context.ts';
import { startOffboarding } from '../app/offboardings/start-offboarding.ts';
import { STAFF_ROLES, type StaffRole } from '../domain/vocabulary.ts';
import type { Database } from '../storage/db.ts';
import { createHttpApp } from './app.ts';
import { ROUTE_POLICIES } from './authorize.ts';
import { createDocumentationItem } from '../app/documentation/create-item.ts';
import { startDocumentationImport } from '../app/documentation/start-import.ts';
import { addCredential } from '../app/credentials/add-credential.ts';
import { addRevocation } from '../app/credentials/manage-revocations.ts';
import { inviteParty } from '../app/portal/invite-party.ts';
import { z } from '@hono/zod-openapi';
import { OffboardingDetail } from './routes/offboardings/offboardings.schema.ts';
import { Task } from './routes/tasks/tasks.schema.ts';
import { allowed } from './policies.ts';
import { signIn } from '../app/accounts/sign-in.ts';
import { generateSigningKey, sha256 } from '../crypto/node.ts';
import { KEY_TYPES, formatVerifierKey } from '../domain/signed-note.ts';

let app: App;
let database: Database;
let clock: TestClock;
let http: ReturnType<typeof createHttpApp>;
let a: SeededMsp;
let b: SeededMsp;
let tokens: Record<StaffRole, string>;
let offboardingA: string;

beforeAll(async () => {
  ({ app, database, clock } = await testApp());
  http = createHttpApp(app);
  a = await seedMsp(app, 'MSP A');
  b = await seedMsp(app, 'MSP B');
  tokens = {} as Record<StaffRole, string>;
  for (const role of STAFF_ROLES) tokens[role] = (await createApiToken(app, a.admin, { name: `${role} token`, role })).token;
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

const call = (method: string, path: string, options: CallOptions = {}) => apiCaller(http)(method, path, options);

/** Attaches a small file to a task as its evidence, over the API. */
async function upload(taskId: string, name: string): Promise<void> {
  const form = new FormData();
  form.append('file', new File([new TextEncoder().encode(`evidence ${name}`)], name, { type: 'image/png' }));
  const r = await http.request(`/api/tasks/${taskId}/evidence`, {
    method: 'POST',
    headers: { authorization: `Bearer ${tokens.admin}` },
    body: form,
  });
  expect(r.status).toBe(201);
}

const auditCount = async () => (await database.query<{ n: number }>('select count(*)::int as n from audit_events'))[0]?.n ?? 0;
const details = (c: Call) => (c.body.error as { details: { path: string; message: string }[] }).details;

describe(`HTTP API (${testDatabaseKind})`, () => {
  it('answers health without signing in, and 401 for the rest', async () => {
    expect((await call('GET', '/api/health')).body).toEqual({ status: 'ok', database: testDatabaseKind });
    const r = await call('GET', '/api/clients');
    expect(r.status).toBe(401);
    expect((r.body.error as { code: string }).code).toBe('unauthenticated');
  });

  it('signs in with a session cookie and signs out', async () => {
    const r = await http.request('/api/auth/sign-in', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ email: a.adminEmail, password: 'correct horse battery' }),
    });
    expect(r.status).toBe(200);
    const setCookie = r.headers.get('set-cookie') ?? '';
    expect(setCookie).toMatch(/offboard_session=[^;]+; .*HttpOnly/);
    expect(setCookie).toContain('SameSite=Lax');
    const cookie = setCookie.split(';')[0] as string;
    expect((await call('GET', '/api/me', { cookie })).body).toMatchObject({ role: 'admin', kind: 'user' });
    expect((await call('POST', '/api/auth/sign-out', { cookie })).status).toBe(403); // no Origin: could be forged
    expect((await call('POST', '/api/auth/sign-out', { cookie, headers: { origin: 'https://evil.example' } })).status).toBe(403);
    expect((await call('POST', '/api/auth/sign-out', { cookie, headers: { origin: 'http://localhost' } })).status).toBe(204);
    expect((await call('GET', '/api/me', { cookie })).status).toBe(401);
  });

  it('ends sessions at their expiry and sees changes from other processes within the cache time', async () => {
    const r = await http.request('/api/auth/sign-in', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ email: a.adminEmail, password: 'correct horse battery' }),
    });
    const cookie = (r.headers.get('set-cookie') ?? '').split(';')[0] as string;
    expect((await call('GET', '/api/me', { cookie })).status).toBe(200);
    const start = clock().toISOString();
    clock.set(new Date(Date.parse(start) + 15 * 86_400_000).toISOString());
    expect((await call('GET', '/api/me', { cookie })).status).toBe(401);
    clock.set(start);
    // A token revoked by another process (straight in the database) stops working within AUTH_CACHE_MS.
    const { token, id } = await createApiToken(app, a.admin, { name: 'elsewhere', role: 'auditor' });
    expect((await call('GET', '/api/me', { token })).status).toBe(200);
    await database.query('update api_tokens set revoked_at = now() where id = $1', [id]);
    clock.set(new Date(Date.parse(start) + AUTH_CACHE_MS + 1).toISOString());
    expect((await call('GET', '/api/me', { token })).status).toBe(401);
    clock.set(start);
  });

  it('limits failed sign-ins', async () => {
    const attempt = () => call('POST', '/api/auth/sign-in', { body: { email: b.adminEmail, password: 'wrong password' } });
    for (let i = 0; i < 10; i++) expect((await attempt()).status).toBe(401);
    expect((await attempt()).status).toBe(429);
    expect((await call('POST', '/api/auth/sign-in', { body: { email: b.adminEmail, password: 'correct horse battery' } })).status).toBe(
      429,
    );
  });

  it('shows an API token once, stores only its hash, and honours revocation', async () => {
    const created = await call('POST', '/api/tokens', { token: tokens.admin, body: { name: 'PSA bridge', role: 'technician' } });
    expect(created.status).toBe(201);
    const token = created.body.token as string;
    expect(token).toMatch(/^obt_/);
    const stored = await database.query<{ token_hash: string }>('select token_hash from api_tokens where id = $1', [created.body.id]);
    expect(stored[0]?.token_hash).not.toContain(token.slice(4));
    expect((await call('GET', '/api/me', { token })).body).toMatchObject({ kind: 'token', role: 'technician' });
    const listed = await call('GET', '/api/tokens', { token: tokens.admin });
    expect(JSON.stringify(listed.body)).not.toContain(token);
    expect((await call('DELETE', `/api/tokens/${created.body.id as string}`, { token: tokens.admin })).status).toBe(204);
    expect((await call('GET', '/api/me', { token })).status).toBe(401);
  });

  it('enforces the permission table on every route for every role', async () => {
    expect(ROUTE_POLICIES.length).toBeGreaterThan(20);
    for (const route of ROUTE_POLICIES) {
      const path = route.path.replace(/:(\w+)/g, 'no-such-id');
      for (const role of STAFF_ROLES) {
        const before = await auditCount();
        const r = await call(route.method.toUpperCase(), path, {
          token: tokens[role],
          ...(route.method === 'get' || route.method === 'delete' ? {} : { body: {} }),
        });
        const where = `${route.method} ${route.path} as ${role}`;
        if (allowed(role, route.action)) expect(r.status, where).not.toBe(403);
        else {
          expect(r.status, where).toBe(403);
          expect(await auditCount(), where).toBe(before);
        }
        expect(r.status, where).toBeLessThan(500);
      }
    }
  });

  it("answers 404 for another tenant's ids on every route, with a valid request, and changes nothing", async () => {
    const bToken = (await createApiToken(app, b.admin, { name: 'b admin', role: 'admin' })).token;
    const loaded = await call('GET', `/api/offboardings/${offboardingA}`, { token: tokens.admin });
    const taskId = (loaded.body.tasks as { id: string; key: string }[]).find((t) => t.key === 'contract-review')?.id as string;
    // Tenant A's own things: an evidence file and an API token.
    const form = new FormData();
    form.append('file', new File([new Uint8Array([1, 2, 3])], 'a.bin', { type: 'application/octet-stream' }));
    const evidence = (await (
      await http.request(`/api/tasks/${taskId}/evidence`, {
        method: 'POST',
        headers: { authorization: `Bearer ${tokens.admin}` },
        body: form,
      })
    ).json()) as { id: string };
    const tokenA = (await createApiToken(app, a.admin, { name: 'a token', role: 'auditor' })).id;
    const idOf = async (table: string) =>
      (await database.query<{ id: string }>(`select id from ${table} where tenant_id = $1 limit 1`, [a.tenantId]))[0]?.id as string;
    const psaA = await call('POST', '/api/settings/psa', { token: tokens.admin, body: { provider: 'generic' } });
    const witnessA = await call('POST', '/api/settings/witnesses', {
      token: tokens.admin,
      body: {
        name: 'A witness',
        url: 'https://witness.a.example',
        verifierKey: formatVerifierKey(sha256, 'witness.a.example', generateSigningKey().publicKey, KEY_TYPES.cosignature),
      },
    });
    expect(witnessA.status, JSON.stringify(witnessA.body)).toBe(201);
    const ids: Record<string, string> = {
      tasks: taskId,
      clients: a.clientId,
      offboardings: offboardingA,
      evidence: evidence.id,
      tokens: tokenA,
      playbooks: await idOf('playbooks'),
      calendars: await idOf('calendars'),
      users: a.users.technician,
      'settings/psa': psaA.body.id as string,
      'settings/witnesses': witnessA.body.id as string,
      'my/notifications': 'n-of-tenant-a',
      documentation: (await createDocumentationItem(app, a.admin, a.clientId, { section: 'vendors', name: 'Harbor vendor' })).id,
      'documentation-imports': (
        await startDocumentationImport(app, a.admin, a.clientId, { source: 'itglue', url: 'https://itglue.a.example', key: 'a-key-123456' })
      ).id,
      // A package row is enough to be found (or not): building one needs a complete register.
      'documentation-packages': await (async () => {
        const id = crypto.randomUUID();
        await packagesRepo.insert(database.db, {
          id,
          tenantId: a.tenantId,
          offboardingId: offboardingA,
          audience: 'client',
          version: 1,
          entries: [],
          manifestSha256: '0'.repeat(64),
          sha256: '0'.repeat(64),
          size: 22,
          counts: {},
          builtBy: `user:${a.admin.id}`,
          builtAt: new Date().toISOString(),
        });
        return id;
      })(),
      credentials: (await addCredential(app, a.admin, a.clientId, { name: 'Harbor firewall', password: 'a-secret-of-tenant-a' })).id,
      revocations: (await addRevocation(app, a.admin, offboardingA, { what: 'Harbor VPN', kind: 'vpn' })).id,
      // A statement that opens no gate, so the later tests' gates stay as they are.
      statements: (await recordFromDocument(app, a.admin, offboardingA, 'receipt', { received: 'the documentation package' })).id,
    };
    const partyA = (
      await inviteParty(app, a.as('account-manager', a.users.accountManager), offboardingA, {
        side: 'client',
        name: 'Ann',
        email: 'ann@a.example',
      })
    ).partyId;
    await database.query(
      "insert into notifications (id, tenant_id, key, kind, level, channel, recipient, recipient_user_id, subject, body, fire_at) values ('n-of-tenant-a', $1, 'k', 'reminder', 0, 'in-app', $2, $2, 's', 'b', now())",
      [a.tenantId, a.admin.id],
    );
    // A body that would be accepted, so that only the id can be the reason for the answer.
    const bodies: Record<string, unknown> = {
      'patch /api/clients/:id': { name: 'Stolen' },
      'post /api/offboardings/:id/dates': { endDate: '2026-04-30' },
      'post /api/offboardings/:id/dates/preview': { endDate: '2026-04-30' },
      'post /api/offboardings/:id/cancel': { reason: 'x' },
      'post /api/offboardings/:id/close': { departureReason: 'x' },
      'post /api/offboardings/:id/time': { minutes: 5, workDate: '2026-03-03' },
      'post /api/offboardings/:id/attestations': {
        kind: 'backup-release',
        signerName: 'Eve',
        signerEmail: 'eve@b.example',
        signedOn: '2026-03-03',
        documentEvidenceId: evidence.id,
      },
      'post /api/offboardings/:id/parties': { side: 'client', name: 'Eve', email: 'eve@b.example' },
      'post /api/offboardings/:id/early-cutover': { date: '2026-03-20', reason: 'x' },
      'post /api/offboardings/:id/messages': { body: 'x' },
      'post /api/clients/:id/documentation': { section: 'devices', name: 'Stolen' },
      'post /api/clients/:id/documentation/bulk': { ids: ['x'], owner: 'client' },
      'post /api/clients/:id/documentation/imports': { source: 'itglue', url: 'https://itglue.b.example', key: 'b-key-123456' },
      'patch /api/documentation/:id': { name: 'Stolen' },
      'post /api/clients/:id/credentials': { name: 'Stolen', password: 'stolen-pw' },
      'post /api/clients/:id/credentials/dispositions': { ids: ['x'], disposition: 'revoke' },
      'post /api/clients/:id/credentials/imports': { source: 'hudu', url: 'https://hudu.b.example', key: 'b-key-123456' },
      'patch /api/credentials/:id': { name: 'Stolen' },
      'post /api/credentials/:id/rotation': { password: 'stolen-new-pw' },
      'post /api/offboardings/:id/revocations': { what: 'Stolen', kind: 'vpn' },
      'post /api/revocations/:id/revoked': {},
      'post /api/revocations/:id/accounting': { reason: 'x' },
      'post /api/offboardings/:id/packages': { audience: 'client' },
      'post /api/tasks/:id/complete': {},
      'post /api/tasks/:id/waive': { reason: 'x' },
      'post /api/tasks/:id/evidence-waiver': { reason: 'x' },
      'post /api/tasks/:id/reopen': { reason: 'x' },
      'post /api/tasks/:id/assign': { assigneeId: b.users.technician },
      'post /api/tasks/:id/checklist': { item: 'x', done: true },
      'put /api/calendars/:id': { name: 'Stolen', workdays: [1, 2, 3], holidays: [] },
      'post /api/clients/:id/confirm': {},
      'patch /api/users/:id': { role: 'auditor' },
      'post /api/users/:id/password': {},
    };
    const before = await auditCount();
    const routes = ROUTE_POLICIES.filter((r) => r.path.includes(':id'));
    expect(routes.length).toBeGreaterThan(15);
    for (const route of routes) {
      const parts = route.path.split('/');
      const id = ids[parts.slice(2, parts.indexOf(':id')).join('/')] ?? ids[parts[2] as string];
      expect(id, `an id of tenant A for ${route.path}`).toBeDefined();
      const path = route.path.replace(':id', id as string).replace(':partyId', partyA);
      const where = `${route.method} ${route.path}`;
      let status: number;
      if (route.method === 'post' && /\/(evidence|files|import-files)$/.test(route.path)) {
        const f = new FormData();
        f.append('file', new File([new Uint8Array([9])], 'b.bin', { type: 'application/octet-stream' }));
        const query = route.path.endsWith('import-files') ? '?kind=csv&section=devices' : '';
        status = (await http.request(path + query, { method: 'POST', headers: { authorization: `Bearer ${bToken}` }, body: f })).status;
      } else {
        const body = bodies[`${route.method} ${route.path}`];
        const r = await call(route.method.toUpperCase(), path, { token: bToken, ...(body !== undefined ? { body } : {}) });
        status = r.status;
        expect(JSON.stringify(r.body), where).not.toContain('Harbor');
      }
      expect(status, where).toBe(404);
    }
    expect((await call('GET', '/api/clients', { token: bToken })).body.items).toHaveLength(1);
    expect(await auditCount()).toBe(before);
  });

  it('runs an offboarding over HTTP with ETags: a stale If-Match gets 409', async () => {
    const o = await call('GET', `/api/offboardings/${offboardingA}`, { token: tokens['account-manager'] });
    const task = (o.body.tasks as { id: string; key: string }[]).find((t) => t.key === 'contract-review') as { id: string };
    const got = await call('GET', `/api/tasks/${task.id}`, { token: tokens.technician });
    expect(got.body.guidance).toEqual(expect.stringContaining('termination clause'));
    const tag = got.headers.get('etag') as string;
    expect(tag).toBe('"v1"');
    const started = await call('POST', `/api/tasks/${task.id}/start`, { token: tokens['account-manager'], headers: { 'if-match': tag } });
    expect(started.status).toBe(200);
    expect(started.headers.get('etag')).toBe('"v2"');
    await upload(task.id, 'clause-14.png');
    const stale = await call('POST', `/api/tasks/${task.id}/complete`, {
      token: tokens['account-manager'],
      headers: { 'if-match': tag },
      body: {},
    });
    expect(stale.status).toBe(409);
    expect((stale.body.error as { code: string }).code).toBe('conflict');
    const done = await call('POST', `/api/tasks/${task.id}/complete`, {
      token: tokens['account-manager'],
      headers: { 'if-match': '"v2"' },
      body: { note: 'Clause 14: 30 days notice' },
    });
    expect(done.body).toMatchObject({ status: 'done', note: 'Clause 14: 30 days notice' });
    const gated = (o.body.tasks as { id: string; key: string }[]).find((t) => t.key === 'backup-transition') as { id: string };
    const refused = await call('POST', `/api/tasks/${gated.id}/complete`, { token: tokens.technician, body: {} });
    expect(refused.status).toBe(409);
    expect((refused.body.error as { code: string }).code).toBe('gate-not-satisfied');
    const events = await call('GET', `/api/offboardings/${offboardingA}/events`, { token: tokens.auditor });
    expect((events.body.items as { action: string }[]).map((e) => e.action)).toContain('task.completed');
    // The detail is rendered by the database: it must match the declared schema, field for field.
    const after = await call('GET', `/api/offboardings/${offboardingA}`, { token: tokens.auditor });
    expect(
      OffboardingDetail.strict()
        .extend({ tasks: z.array(Task.strict()) })
        .safeParse(after.body).error,
    ).toBeUndefined();
    // Both renderings of a task say the same about its evidence: a task a party's statement backs needs no file.
    const rendered = after.body.tasks as { id: string; key: string; gates: string[]; evidenceRequired: boolean }[];
    for (const t of rendered)
      expect((await call('GET', `/api/tasks/${t.id}`, { token: tokens.auditor })).body.evidenceRequired, t.key).toBe(t.evidenceRequired);
    const required = new Map(rendered.map((t) => [t.key, t.evidenceRequired] as const));
    expect([required.get('client-authorization'), required.get('backup-transition'), required.get('internal-notification')]).toEqual([
      false,
      false,
      true,
    ]);
    const completed = (after.body.tasks as { key: string; completedAt: string; dueAt: string }[]).find((t) => t.key === 'contract-review');
    expect(completed?.completedAt).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/);
    expect(completed?.dueAt).toBe('2026-03-03T22:00:00Z');
    const detailTag = after.headers.get('etag') as string;
    expect(detailTag).toMatch(/^"v\d+-\d+"$/);
    expect(
      (
        await http.request(`/api/offboardings/${offboardingA}`, {
          headers: { authorization: `Bearer ${tokens.auditor}`, 'if-none-match': detailTag },
        })
      ).status,
    ).toBe(304);
    // Any task change changes the offboarding's ETag and what it shows.
    const other = (after.body.tasks as { id: string; key: string }[]).find((t) => t.key === 'internal-notification') as { id: string };
    const noEvidence = await call('POST', `/api/tasks/${other.id}/complete`, { token: tokens['account-manager'], body: {} });
    expect(noEvidence.status).toBe(409);
    expect(noEvidence.body.error).toMatchObject({
      code: 'evidence-required',
      details: [{ path: 'evidence', message: 'no file is attached' }],
    });
    await upload(other.id, 'announcement.png');
    expect((await call('POST', `/api/tasks/${other.id}/complete`, { token: tokens['account-manager'], body: {} })).status).toBe(200);
    const changed = await call('GET', `/api/offboardings/${offboardingA}`, {
      token: tokens.auditor,
      headers: { 'if-none-match': detailTag },
    });
    expect(changed.status).toBe(200);
    expect(changed.headers.get('etag')).not.toBe(detailTag);
    expect((changed.body.tasks as { key: string; status: string }[]).find((t) => t.key === 'internal-notification')?.status).toBe('done');
  });

  it('counts progress, overdue tasks and gates still waiting for an attestation', async () => {
    const list = async () =>
      (
        (await call('GET', '/api/offboardings', { token: tokens.admin })).body.items as {
          id: string;
          progress: { waitingGates: number; total: number; done: number };
        }[]
      ).find((o) => o.id === offboardingA);
    const before = await list();
    expect(before?.progress.total).toBe(26);
    // backup-transition and security-transition are ready and wait for their gates.
    const waiting = before?.progress.waitingGates ?? 0;
    expect(waiting).toBeGreaterThanOrEqual(2);
    // The new provider's signed letter, scanned and attached first, then recorded from it.
    const detail = await call('GET', `/api/offboardings/${offboardingA}`, { token: tokens.admin });
    const securityTask = (detail.body.tasks as { id: string; key: string }[]).find((t) => t.key === 'security-transition') as {
      id: string;
    };
    const form = new FormData();
    form.append(
      'file',
      new File([new TextEncoder().encode('%PDF-1.4 signed coverage letter')], 'coverage.pdf', { type: 'application/pdf' }),
    );
    const scan = (await (
      await http.request(`/api/tasks/${securityTask.id}/evidence`, {
        method: 'POST',
        headers: { authorization: `Bearer ${tokens.admin}` },
        body: form,
      })
    ).json()) as { id: string };
    const r = await call('POST', `/api/offboardings/${offboardingA}/attestations`, {
      token: tokens.admin,
      body: {
        kind: 'replacement-coverage',
        signerName: 'Nia North',
        signerEmail: 'nia@northwind.example',
        signedOn: '2026-03-02',
        documentEvidenceId: scan.id,
        coverage: { product: 'SentinelOne', since: '2026-03-01' },
        // The signed letter is also the evidence of coverage it names by digest.
        attachmentId: scan.id,
      },
    });
    expect(r.status, JSON.stringify(r.body)).toBe(201);
    expect((await list())?.progress.waitingGates).toBe(waiting - 1);
  });

  it('stores evidence files by content, audits their digest, and serves them back', async () => {
    const o = await call('GET', `/api/offboardings/${offboardingA}`, { token: tokens.admin });
    const task = (o.body.tasks as { id: string; key: string }[]).find((t) => t.key === 'access-revocation') as { id: string };
    const png = new Uint8Array([137, 80, 78, 71, 13, 10, 26, 10, 1, 2, 3, 4]);
    const upload = async (name: string) => {
      const form = new FormData();
      form.append('file', new File([png], name, { type: 'image/png' }));
      const res = await http.request(`/api/tasks/${task.id}/evidence`, {
        method: 'POST',
        headers: { authorization: `Bearer ${tokens.technician}` },
        body: form,
      });
      return { status: res.status, body: (await res.json()) as { id: string; sha256: string } };
    };
    const first = await upload('failed-login-vpn.png');
    expect(first.status).toBe(201);
    expect(first.body.sha256).toBe(createHash('sha256').update(png).digest('hex'));
    await upload('failed-login-vpn-again.png');
    const stored = await database.query<{ n: number }>('select count(*)::int as n from blobs where sha256 = $1', [first.body.sha256]);
    expect(stored[0]?.n).toBe(1);
    const listed = await call('GET', `/api/tasks/${task.id}/evidence`, { token: tokens.auditor });
    expect((listed.body.items as unknown[]).length).toBe(2);
    const res = await http.request(`/api/evidence/${first.body.id}`, { headers: { authorization: `Bearer ${tokens.auditor}` } });
    expect(new Uint8Array(await res.arrayBuffer())).toEqual(png);
    expect(res.headers.get('content-type')).toBe('image/png');
    const events = await call('GET', `/api/offboardings/${offboardingA}/events`, { token: tokens.auditor });
    const attached = (events.body.items as { action: string; subject: { id: string }; data: { sha256?: string } }[]).find(
      (e) => e.action === 'evidence.attached' && e.subject.id === first.body.id,
    );
    expect(attached?.data.sha256).toBe(first.body.sha256);
    const empty = new FormData();
    empty.append('note', 'no file');
    const bad = await http.request(`/api/tasks/${task.id}/evidence`, {
      method: 'POST',
      headers: { authorization: `Bearer ${tokens.technician}` },
      body: empty,
    });
    expect(bad.status).toBe(400);
  });

  it('names the field for bad input and changes nothing', async () => {
    const before = await auditCount();
    const r = await call('POST', '/api/clients', {
      token: tokens.admin,
      body: { name: '', timezone: 'Mars/Base', services: { dns: 'yes' }, contacts: [{ name: 'X', email: 'not-an-email' }] },
    });
    expect(r.status).toBe(400);
    expect(
      details(r)
        .map((d) => d.path)
        .sort(),
    ).toEqual(['contacts[0].email', 'name', 'services.dns', 'timezone']);
    expect((await call('POST', '/api/clients', { token: tokens.admin, raw: '{"name": ' })).status).toBe(400);
    expect((await call('GET', '/api/clients?limit=5000', { token: tokens.admin })).status).toBe(400);
    const badIfMatch = await call('POST', `/api/offboardings/${offboardingA}/cancel`, {
      token: tokens.admin,
      headers: { 'if-match': 'yesterday' },
      body: { reason: 'x' },
    });
    expect(details(badIfMatch)[0]?.path).toBe('If-Match');
    expect(await auditCount()).toBe(before);
  });

  it('never answers 5xx to malformed bodies, and never changes anything (property)', async () => {
    const loaded = await call('GET', `/api/offboardings/${offboardingA}`, { token: tokens.admin });
    const taskId = (loaded.body.tasks as { id: string }[])[5]?.id as string;
    const targets = [
      ['POST', '/api/clients'],
      ['PATCH', `/api/clients/${a.clientId}`],
      ['POST', '/api/offboardings'],
      ['POST', `/api/offboardings/${offboardingA}/dates`],
      ['POST', `/api/offboardings/${offboardingA}/time`],
      ['POST', `/api/offboardings/${offboardingA}/attestations`],
      ['POST', `/api/offboardings/${offboardingA}/parties`],
      ['POST', `/api/offboardings/${offboardingA}/early-cutover`],
      ['POST', `/api/offboardings/${offboardingA}/cancel`],
      ['POST', `/api/tasks/${taskId}/waive`],
      ['POST', `/api/tasks/${taskId}/assign`],
      ['POST', '/api/users'],
      ['POST', '/api/tokens'],
      ['POST', '/api/settings/witnesses'],
      ['POST', `/api/offboardings/${offboardingA}/packages`],
    ] as const;
    const junk = fc.oneof(
      fc.string({ maxLength: 3000 }),
      fc.integer(),
      fc.double(),
      fc.boolean(),
      fc.constant(null),
      fc.constantFrom(
        '2026-02-30',
        '2026-13-01',
        'not-a-date',
        '',
        'no-such-id',
        a.clientId,
        '9'.repeat(400),
        '<script>',
        "'; drop table tasks; --",
        'a\u0000b',
        'a\ud800b',
        '\udfff',
        '\u0000',
      ),
      fc.string({ maxLength: 20 }).map((x) => `${x}\u0000${x}`),
      fc.string({ maxLength: 20 }).map((x) => `${x}\ud83d`),
      fc.array(fc.string(), { maxLength: 3 }),
      fc.dictionary(fc.string({ maxLength: 10 }), fc.string({ maxLength: 10 }), { maxKeys: 3 }),
    );
    const fields = [
      'name',
      'timezone',
      'clientId',
      'type',
      'noticeDate',
      'endDate',
      'revocationDate',
      'minutes',
      'workDate',
      'gate',
      'party',
      'signerName',
      'signerEmail',
      'statement',
      'reason',
      'assigneeId',
      'email',
      'role',
      'services',
      'contacts',
      'contract',
      'team',
      'url',
      'verifierKey',
      'side',
      'canSign',
      'kind',
      'signedOn',
      'documentEvidenceId',
      'date',
      'audience',
    ];
    const body = fc.oneof(
      fc.dictionary(fc.constantFrom(...fields), junk, { maxKeys: 6 }),
      junk,
      fc.string({ maxLength: 200 }).map((s) => ({ raw: s })),
    );
    let rejected = 0;
    await fc.assert(
      fc.asyncProperty(fc.constantFrom(...targets), body, async ([method, path], b) => {
        const raw =
          typeof b === 'object' && b !== null && 'raw' in b && Object.keys(b).length === 1 ? (b as { raw: string }).raw : JSON.stringify(b);
        const before = await auditCount();
        const r = await call(method, path, { token: tokens.admin, raw });
        const where = `${method} ${path} ${raw.slice(0, 200)}`;
        expect(r.status, where).toBeLessThan(500);
        if (r.status >= 400) {
          rejected++;
          const error = r.body.error as { code: string; message: string; details: unknown[] };
          expect(typeof error.message, where).toBe('string');
          if (r.status === 400) expect(error.details.length, where).toBeGreaterThan(0);
          expect(await auditCount(), where).toBe(before); // a refusal changes nothing
        }
      }),
      { numRuns: 3000 },
    );
    expect(rejected).toBeGreaterThan(2700);
  });

  it('refuses cross-site, oversized and malformed cookie requests on every state-changing route, and changes nothing (property)', async () => {
    // A session of its own (from an address of its own: this file's earlier tests used up 127.0.0.1's attempts).
    const cookie = `offboard_session=${(await signIn(app, { email: a.adminEmail, password: 'correct horse battery' }, '198.51.100.7')).token}`;
    expect((await call('GET', '/api/me', { cookie })).status).toBe(200);
    const writes = ROUTE_POLICIES.filter((r) => r.method !== 'get');
    // Headers a forged or careless request may carry; only the last two are our own page.
    const crossSite: Record<string, string>[] = [
      { origin: 'http://evil.example' },
      { origin: 'null' },
      { 'sec-fetch-site': 'cross-site' },
      { 'sec-fetch-site': 'same-site' },
      { authorization: 'Basic YWRhOnBhc3M=' },
      { authorization: 'Digest username="ada"', origin: 'http://evil.example' },
      { origin: 'http://localhost.evil.example' },
      {},
    ];
    const contentTypes = ['application/json', 'text/plain', 'application/x-www-form-urlencoded', 'multipart/form-data; boundary=x'];
    const bodies = fc.oneof(
      fc.constant('{}'),
      fc.string({ maxLength: 50 }).map((x) => JSON.stringify({ name: `${x}\u0000` })),
      fc.constant(`{"name":"${'x'.repeat(1024 * 1024 + 10)}"}`),
      fc.constant('{"name":"a\\ud800b"}'),
    );
    await fc.assert(
      fc.asyncProperty(
        fc.constantFrom(...writes),
        fc.constantFrom(...crossSite),
        fc.constantFrom(...contentTypes),
        bodies,
        async (route, headers, type, body) => {
          const before = await auditCount();
          const path = route.path.replace(/:(\w+)/g, 'no-such-id');
          const res = await http.request(path, {
            method: route.method.toUpperCase(),
            headers: { cookie, 'content-type': type, ...headers },
            body,
          });
          const where = `${route.method} ${route.path} ${JSON.stringify(headers)} ${type} ${body.slice(0, 40)}`;
          // Refused before anything else is looked at: cross-site is 403 whatever the body; an oversized body never reaches a handler.
          expect([403, 413], where).toContain(res.status);
          expect(await auditCount(), where).toBe(before);
        },
      ),
      { numRuns: 300 },
    );
    // The same requests from our own page get past the guard: never a 5xx, and a NUL, a lone surrogate or a huge body is refused.
    await fc.assert(
      fc.asyncProperty(fc.constantFrom(...writes), bodies, async (route, body) => {
        const before = await auditCount();
        const path = route.path.replace(/:(\w+)/g, 'no-such-id');
        const res = await http.request(path, {
          method: route.method.toUpperCase(),
          headers: { cookie, 'content-type': 'application/json', origin: 'http://localhost' },
          body,
        });
        const where = `${route.method} ${route.path} ${body.slice(0, 40)}`;
        expect(res.status, where).toBeLessThan(500);
        if (body.length > 1024 * 1024) expect(res.status, where).toBe(413);
        else if (body !== '{}') expect([400, 404, 403], where).toContain(res.status);
        if (res.status >= 400) expect(await auditCount(), where).toBe(before);
      }),
      { numRuns: 300 },
    );
  });

  it('publishes an OpenAPI 3.1 document of every route and a readable reference', async () => {
    const doc = await call('GET', '/api/openapi.json');
    expect(doc.body.openapi).toBe('3.1.0');
    const paths = Object.keys(doc.body.paths as object).map((p) => p.replace(/\{(\w+)\}/g, ':$1'));
    for (const route of ROUTE_POLICIES) expect(paths, route.path).toContain(route.path);
    const page = await http.request('/api/docs');
    expect(await page.text()).toContain('/api/tasks/{id}/complete');
  });
});
