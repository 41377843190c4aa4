/**
 * The portal over HTTP, as an attacker would try it: a portal session on every staff route and a
 * staff session on every portal route answer 401 and change nothing; a party sees only its own
 * offboarding; links are single use; the cookie is HttpOnly and SameSite=Strict; cross-site
 * requests with the portal cookie are refused; random bodies never get a 500 (property).
 */
import { createHash } from 'node:crypto';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type SeededMsp, seedMsp, testApp } from '../../test/app-fixture.ts';
import { testDatabaseKind } from '../../test/db.ts';
import { type CallOptions, apiCaller } from '../../test/http-fixture.ts';
import { createApiToken } from '../app/accounts/api-tokens.ts';
import type { App } from '../app/context.ts';
import { startOffboarding } from '../app/offboardings/start-offboarding.ts';
import type { Database } from '../storage/db.ts';
import { createHttpApp } from './app.ts';
import { ROUTE_POLICIES } from './authorize.ts';
import { PORTAL_ROUTES } from './routes/portal/portal.schema.ts';

let app: App;
let database: Database;
let http: ReturnType<typeof createHttpApp>;
let a: SeededMsp;
let b: SeededMsp;
let staffToken: string;
let offboardingA: string;
let offboardingB: string;
const ORIGIN = { origin: 'http://localhost' };

beforeAll(async () => {
  ({ app, database } = await testApp());
  http = createHttpApp(app);
  a = await seedMsp(app, 'MSP A');
  b = await seedMsp(app, 'MSP B');
  staffToken = (await createApiToken(app, a.admin, { name: 'admin', role: 'admin' })).token;
  const start = async (msp: SeededMsp) =>
    (
      await startOffboarding(app, msp.admin, {
        clientId: msp.clientId,
        type: 'provider-switch',
        noticeDate: '2026-03-02',
        endDate: '2026-03-31',
        newProvider: { name: 'Northwind IT', contact: 'n@northwind.example' },
      })
    ).id;
  offboardingA = await start(a);
  offboardingB = await start(b);
});
afterAll(async () => {
  await database.close();
});

const call = (method: string, path: string, options: CallOptions = {}) => apiCaller(http)(method, path, options);
const auditCount = async () => (await database.query<{ n: number }>('select count(*)::int as n from audit_events'))[0]?.n ?? 0;

/** Staff invite someone; the test reads the link the email would carry (sealed in the outbox until sent). */
async function invited(offboardingId: string, token: string, person: { side: string; name: string; email: string; canSign?: boolean }) {
  const r = await call('POST', `/api/offboardings/${offboardingId}/parties`, { token, body: person });
  expect(r.status, JSON.stringify(r.body)).toBe(201);
  const [row] = await database.query<{ sealed_link: string }>(
    "select sealed_link from notifications where kind = 'portal-link' and recipient = $1 and sealed_link is not null order by created_at desc limit 1",
    [person.email],
  );
  return app.secrets?.open(row?.sealed_link as string) as string;
}

async function portalCookie(token: string): Promise<string> {
  const r = await call('POST', '/api/portal/sessions', { body: { token }, headers: ORIGIN });
  expect(r.status, JSON.stringify(r.body)).toBe(201);
  const setCookie = r.headers.get('set-cookie') ?? '';
  expect(setCookie).toMatch(/offboard_portal=[^;]+;.*HttpOnly/);
  expect(setCookie).toContain('SameSite=Strict');
  return setCookie.split(';')[0] as string;
}

describe(`portal security over HTTP (${testDatabaseKind})`, () => {
  let carlaA = '';

  it('opens a link once; the session sees its own offboarding in plain words and nothing of another', async () => {
    const token = await invited(offboardingA, staffToken, {
      side: 'client',
      name: 'Carla Client',
      email: 'carla@harbor.example',
      canSign: true,
    });
    carlaA = await portalCookie(token);
    expect((await call('POST', '/api/portal/sessions', { body: { token }, headers: ORIGIN })).status).toBe(401);
    const view = await call('GET', '/api/portal/view', { cookie: carlaA });
    expect(view.status).toBe(200);
    expect(view.body).toMatchObject({
      you: { side: 'client', canSign: true },
      mspName: 'MSP A',
      offboarding: { clientName: 'Harbor Dental Group' },
    });
    expect(JSON.stringify(view.body)).not.toContain(offboardingB);
    expect(JSON.stringify(view.body)).not.toContain('MSP B');
    // Plain words: no task keys' jargon in what the client reads.
    const words = (view.body.steps as { words: string }[]).map((s) => s.words).join(' ');
    expect(words).toContain('We remove our remote management software from your computers');
    expect(words).not.toMatch(/\bRMM\b|\bPSA\b|gate/);
  });

  it('answers 401 to a portal session on every staff route, and changes nothing', async () => {
    const before = await auditCount();
    expect(ROUTE_POLICIES.length).toBeGreaterThan(40);
    for (const route of ROUTE_POLICIES) {
      const path = route.path.replace(':id', offboardingA).replace(/:(\w+)/g, 'x');
      const r = await call(route.method.toUpperCase(), path, {
        cookie: carlaA,
        headers: ORIGIN,
        ...(route.method === 'get' || route.method === 'delete' ? {} : { body: {} }),
      });
      expect(r.status, `${route.method} ${route.path}`).toBe(401);
    }
    // The portal's token is no API token either.
    const raw = carlaA.split('=')[1] as string;
    expect((await call('GET', `/api/offboardings/${offboardingA}`, { token: raw })).status).toBe(401);
    expect(await auditCount()).toBe(before);
  });

  it('answers 401 to a staff session or token on every portal route that needs a portal session', async () => {
    const signIn = await call('POST', '/api/auth/sign-in', { body: { email: a.adminEmail, password: 'correct horse battery' } });
    const staffCookie = (signIn.headers.get('set-cookie') ?? '').split(';')[0] as string;
    const before = await auditCount();
    const needing = PORTAL_ROUTES.filter((r) => r.needsSession);
    expect(needing.length).toBeGreaterThanOrEqual(3);
    for (const route of needing) {
      const path = route.path.replace(':kind', 'authorization');
      const body = route.method === 'GET' ? {} : { body: { signerName: 'Ada Admin' } };
      expect((await call(route.method, path, { cookie: staffCookie, headers: ORIGIN, ...body })).status, route.path).toBe(401);
      expect((await call(route.method, path, { token: staffToken, headers: ORIGIN, ...body })).status, route.path).toBe(401);
      expect((await call(route.method, path, { headers: ORIGIN, ...body })).status, route.path).toBe(401);
    }
    expect(await auditCount()).toBe(before);
  });

  it('keeps the new provider on a waiting page before the authorization: no facts of the offboarding', async () => {
    const r = await call('POST', `/api/offboardings/${offboardingB}/parties`, {
      token: (await createApiToken(app, b.admin, { name: 'b', role: 'admin' })).token,
      body: { side: 'new-provider', name: 'Nora North', email: 'nora@northwind.example' },
    });
    expect(r.body).toMatchObject({ sent: false, waitingFor: 'authorization' });
    expect(await database.query("select 1 from notifications where recipient = 'nora@northwind.example'")).toEqual([]);
    // Were a link to reach them anyway (say, issued before a withdrawal), the view says only that they wait.
    const bToken = (await createApiToken(app, b.admin, { name: 'b2', role: 'admin' })).token;
    const carlaB = await portalCookie(
      await invited(offboardingB, bToken, { side: 'client', name: 'Carla B', email: 'carla@b.example', canSign: true }),
    );
    const shown = await call('POST', '/api/portal/statements/authorization/preview', {
      cookie: carlaB,
      headers: ORIGIN,
      body: { signerName: 'Carla B', scopes: ['documentation'] },
    });
    const signed = await call('POST', '/api/portal/statements/authorization', {
      cookie: carlaB,
      headers: { ...ORIGIN, 'user-agent': 'Mozilla/5.0 (Android) test' },
      body: { signerName: 'Carla B', scopes: ['documentation'], statementSha256: shown.body.statementSha256, intent: true, consent: true },
    });
    expect(signed.status, JSON.stringify(signed.body)).toBe(201);
    // Staff of that MSP download its signing certificate; its digest is the one on record. Another MSP gets 404.
    const certificate = await http.request(`/api/statements/${signed.body.id as string}/certificate`, {
      headers: { authorization: `Bearer ${bToken}` },
    });
    expect(certificate.status).toBe(200);
    const pdf = new Uint8Array(await certificate.arrayBuffer());
    expect(new TextDecoder().decode(pdf.subarray(0, 5))).toBe('%PDF-');
    const [onRecord] = await database.query<{ certificate_sha256: string }>('select certificate_sha256 from attestations where id = $1', [
      signed.body.id,
    ]);
    expect(certificate.headers.get('x-content-sha256')).toBe(onRecord?.certificate_sha256);
    expect((await call('GET', `/api/statements/${signed.body.id as string}/certificate`, { token: staffToken })).status).toBe(404);
    // The client downloads the same bytes from the portal; no statement of another offboarding is reachable there.
    const own = await http.request(`/api/portal/statements/${signed.body.id as string}/certificate`, { headers: { cookie: carlaB } });
    expect(own.status).toBe(200);
    expect(own.headers.get('x-content-sha256')).toBe(onRecord?.certificate_sha256);
    expect(
      createHash('sha256')
        .update(new Uint8Array(await own.arrayBuffer()))
        .digest('hex'),
    ).toBe(onRecord?.certificate_sha256);
    // A statement with its certificate, signed in another MSP's offboarding: carlaB's session does not reach it.
    const carlaA = await portalCookie(
      await invited(offboardingA, staffToken, { side: 'client', name: 'Carla A', email: 'carla@a.example', canSign: true }),
    );
    const shownA = await call('POST', '/api/portal/statements/authorization/preview', {
      cookie: carlaA,
      headers: ORIGIN,
      body: { signerName: 'Carla A', scopes: ['documentation'] },
    });
    const otherStatement = (
      await call('POST', '/api/portal/statements/authorization', {
        cookie: carlaA,
        headers: ORIGIN,
        body: {
          signerName: 'Carla A',
          scopes: ['documentation'],
          statementSha256: shownA.body.statementSha256,
          intent: true,
          consent: true,
        },
      })
    ).body as { id?: string };
    expect(
      (await http.request(`/api/portal/statements/${otherStatement.id ?? ''}/certificate`, { headers: { cookie: carlaA } })).status,
      'its own signer downloads it',
    ).toBe(200);
    expect(
      (await http.request(`/api/portal/statements/${otherStatement?.id ?? ''}/certificate`, { headers: { cookie: carlaB } })).status,
    ).toBe(404);
    expect(
      (await http.request(`/api/portal/statements/${signed.body.id as string}/attachment`, { headers: { cookie: carlaB } })).status,
    ).toBe(404);
    const withdraw = await call('POST', '/api/portal/statements/authorization-withdrawal/preview', {
      cookie: carlaB,
      headers: ORIGIN,
      body: { signerName: 'Carla B' },
    });
    const [nora] = await database.query<{ sealed_link: string }>(
      "select sealed_link from notifications where kind = 'portal-link' and recipient = 'nora@northwind.example'",
    );
    const noraCookie = await portalCookie(app.secrets?.open(nora?.sealed_link as string) as string);
    expect((await call('GET', '/api/portal/view', { cookie: noraCookie })).body.waitingFor).toBeNull();
    await call('POST', '/api/portal/statements/authorization-withdrawal', {
      cookie: carlaB,
      headers: ORIGIN,
      body: { signerName: 'Carla B', statementSha256: withdraw.body.statementSha256, intent: true, consent: true },
    });
    const waiting = await call('GET', '/api/portal/view', { cookie: noraCookie });
    expect(waiting.body).toMatchObject({ waitingFor: 'authorization', offboarding: null, steps: [], statements: [] });
    expect(JSON.stringify(waiting.body)).not.toContain('Harbor');
    expect(
      (
        await call('POST', '/api/portal/statements/receipt/preview', {
          cookie: noraCookie,
          headers: ORIGIN,
          body: { signerName: 'Nora North', received: 'x' },
        })
      ).status,
    ).toBe(403);
  });

  it('refuses cross-site requests made with the portal cookie', async () => {
    const before = await auditCount();
    for (const headers of [{}, { origin: 'https://evil.example' }, { 'sec-fetch-site': 'cross-site' }] as Record<string, string>[]) {
      const r = await call('POST', '/api/portal/statements/backup-release/preview', {
        cookie: carlaA,
        headers,
        body: { signerName: 'Carla Client' },
      });
      expect(r.status).toBe(403);
    }
    expect(await auditCount()).toBe(before);
  });

  it('answers any body on the portal routes with a 4xx naming the problem, never a 500, and a refusal changes nothing (property)', async () => {
    const junk = fc.oneof(
      fc.string({ maxLength: 30 }),
      fc.integer(),
      fc.boolean(),
      fc.constant(null),
      fc.array(fc.string({ maxLength: 5 }), { maxLength: 3 }),
    );
    const fields = [
      'email',
      'token',
      'signerName',
      'packageId',
      'scopes',
      'statementSha256',
      'intent',
      'consent',
      'cutoverDate',
      'restore',
      'coverage',
      'received',
    ];
    const kinds = ['authorization', 'backup-release', 'receipt', 'package-receipt', 'nope', '%00', 'authorization-withdrawal'];
    await fc.assert(
      fc.asyncProperty(
        fc.constantFrom(...PORTAL_ROUTES.filter((r) => r.method === 'POST' && r.path !== '/api/portal/sign-out')),
        fc.constantFrom(...kinds),
        fc.dictionary(fc.constantFrom(...fields), junk, { maxKeys: 5 }),
        async (route, kind, body) => {
          const before = await auditCount();
          const r = await call('POST', route.path.replace(':kind', kind), { cookie: carlaA, headers: ORIGIN, body });
          expect(r.status, `${route.path} ${JSON.stringify(body)}`).toBeLessThan(500);
          if (r.status >= 400) expect(await auditCount()).toBe(before);
        },
      ),
      { numRuns: 300 },
    );
  });
});
