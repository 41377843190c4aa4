/* eslint-disable @typescript-eslint/no-unsafe-assignment, @typescript-eslint/no-unsafe-member-access, @typescript-eslint/no-unsafe-argument, @typescript-eslint/no-explicit-any, @typescript-eslint/no-unsafe-return -- response bodies are read as the API documents them */
/**
 * PSA triggers end to end over HTTP, with the vendors' payload shapes and signatures:
 * ConnectWise (signing key fetched from an allowlisted key_url on a local server), Autotask
 * (HMAC-SHA1), HaloPSA (Basic + URL secret) and the generic signed webhook (stale timestamps
 * and replays refused). Rejected deliveries store a log row and nothing else.
 */
import { createHash, createHmac } from 'node:crypto';
import { type Server, createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type SeededMsp, type TestClock, seedMsp, testApp } from '../../test/app-fixture.ts';
import { createApiToken } from '../app/accounts/api-tokens.ts';
import type { App } from '../app/context.ts';
import { updateClient } from '../app/clients/update-client.ts';
import { signGeneric } from '../integrations/psa/generic.ts';
import type { Database } from '../storage/db.ts';
import { createHttpApp } from './app.ts';

let app: App;
let database: Database;
let clock: TestClock;
let msp: SeededMsp;
let http: ReturnType<typeof createHttpApp>;
let token: string;
let keyServer: Server;
let keyOrigin: string;
let keyFetches = 0;
const SIGNING_KEY = 'cw-signing-key-0123456789';

beforeAll(async () => {
  ({ app, database, clock } = await testApp());
  clock.set('2026-03-02T15:00:00Z');
  msp = await seedMsp(app);
  http = createHttpApp(app);
  token = (await createApiToken(app, msp.admin, { name: 'test', role: 'admin' })).token;
  keyServer = createServer((req, res) => {
    keyFetches++;
    res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ signing_key: SIGNING_KEY }));
  });
  await new Promise<void>((resolve) => keyServer.listen(0, '127.0.0.1', resolve));
  keyOrigin = `http://127.0.0.1:${(keyServer.address() as AddressInfo).port}`;
});
afterAll(async () => {
  await database.close();
  await new Promise<void>((resolve) => keyServer.close(() => resolve()));
});

const api = async (method: string, path: string, body?: unknown) => {
  const res = await http.request(path, {
    method,
    headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
  return { status: res.status, body: (res.status === 204 ? null : await res.json()) as Record<string, any> };
};
const post = async (path: string, body: string, headers: Record<string, string> = {}) => {
  // A second between deliveries, so the delivery log's newest-first order is the order sent.
  clock.set(new Date(clock().getTime() + 1000).toISOString());
  const res = await http.request(path, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body });
  return { status: res.status, body: (await res.json()) as Record<string, any> };
};
const counts = async () => {
  const [row] = await database.query<{ clients: number; offboardings: number; audit: number; tasks: number }>(
    `select (select count(*)::int from clients where tenant_id = $1) as clients, (select count(*)::int from offboardings where tenant_id = $1) as offboardings,
            (select count(*)::int from audit_events where tenant_id = $1) as audit, (select count(*)::int from tasks where tenant_id = $1) as tasks`,
    [msp.tenantId],
  );
  return row as { clients: number; offboardings: number; audit: number; tasks: number };
};
const newClient = async (name: string, psaIds: Record<string, string>) => {
  const res = await api('POST', '/api/clients', { name, timezone: 'America/Chicago', psaIds, contract: { noticePeriodDays: 30 } });
  expect(res.status, JSON.stringify(res.body)).toBe(201);
  return res.body.id as string;
};
const lastDelivery = async () => (await api('GET', '/api/webhook-deliveries?limit=1')).body.items[0];

function connectwisePayload(
  id: number,
  status: string,
  messageId: string,
  keyUrl = `${keyOrigin}/v2025_1//system/callbackkey/index.rails?companyName=Cobalt&id=e17e`,
) {
  return JSON.stringify({
    MessageId: messageId,
    FromUrl: 'sandbox-na.myconnectwise.net',
    CompanyId: 'Cobalt',
    MemberId: 'Aurasell',
    Action: 'updated',
    Type: 'company',
    ID: id,
    ProductInstanceId: '639c96',
    PartnerId: '61ddc2',
    Entity: JSON.stringify({ id, identifier: 'Contoso', name: 'Contoso Ltd', status: { id: 3, name: status }, deletedFlag: false }),
    Metadata: { key_url: keyUrl },
    CallbackObjectRecId: 26604,
  });
}
const cwSignature = (body: string, key = SIGNING_KEY) =>
  createHmac('sha256', createHash('sha256').update(key).digest()).update(body).digest('base64');

describe('ConnectWise callbacks', () => {
  let path: string;
  let clientId: string;
  beforeAll(async () => {
    const connected = await api('POST', '/api/settings/psa', { provider: 'connectwise', keyUrlOrigins: [keyOrigin] });
    expect(connected.status).toBe(201);
    path = connected.body.webhookPath;
    clientId = await newClient('Contoso Ltd', { connectwise: '250' });
  });

  it('refuses a bad signature with 401 and stores only a rejected-delivery row', async () => {
    const before = await counts();
    const body = connectwisePayload(250, 'Inactive', 'msg-bad');
    const res = await post(path, body, { 'x-content-signature': cwSignature(body, 'not-the-key') });
    expect(res.status).toBe(401);
    expect(await counts()).toEqual(before);
    expect(await lastDelivery()).toMatchObject({
      outcome: 'rejected',
      reason: 'x-content-signature does not match',
      eventId: null,
      offboardingId: null,
    });
  });

  it('never fetches a key_url whose origin is not on the allowlist', async () => {
    const fetchesBefore = keyFetches;
    const body = connectwisePayload(250, 'Inactive', 'msg-ssrf', 'http://169.254.169.254/latest/meta-data');
    const res = await post(path, body, { 'x-content-signature': cwSignature(body) });
    expect(res.status).toBe(401);
    expect(keyFetches).toBe(fetchesBefore);
    expect((await lastDelivery()).reason).toBe('key_url origin http://169.254.169.254 is not on the allowlist');
  });

  it('ignores a status the tenant did not map to offboarding', async () => {
    const body = connectwisePayload(250, 'Active', 'msg-active');
    const res = await post(path, body, { 'x-content-signature': cwSignature(body) });
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ outcome: 'processed', result: 'ignored', reason: 'the status "Active" does not mean offboarding' });
    expect((await api('GET', `/api/clients/${clientId}`)).body.status).toBe('active');
  });

  it('opens the offboarding on "Inactive", audited with its trigger; the same event again opens nothing more', async () => {
    const body = connectwisePayload(250, 'Inactive', '6dd82302-aaaa');
    const headers = { 'x-content-signature': cwSignature(body) };
    const first = await post(path, body, headers);
    expect(first.status).toBe(200);
    expect(first.body).toMatchObject({ outcome: 'processed', result: 'started', clientId });
    const detail = await api('GET', `/api/offboardings/${first.body.offboardingId}`);
    // Noticed the day the PSA changed (Chicago), ending after the contract's 30-day notice period.
    expect(detail.body).toMatchObject({ noticeDate: '2026-03-02', endDate: '2026-04-01', type: 'provider-switch' });
    const before = await counts();
    const again = await Promise.all([post(path, body, headers), post(path, body, headers)]);
    expect(again.map((r) => r.body.outcome)).toEqual(['duplicate', 'duplicate']);
    expect(await counts()).toEqual(before);
    const audit = await database.query<{ canonical: string }>(
      `select canonical from audit_events where tenant_id = $1 and action = 'offboarding.started' and offboarding_id = $2`,
      [msp.tenantId, first.body.offboardingId],
    );
    expect(JSON.parse(audit[0]?.canonical ?? '{}')).toMatchObject({
      actor: expect.stringMatching(/^system:psa:connectwise:/),
      data: { trigger: { source: 'psa', provider: 'connectwise', eventId: '6dd82302-aaaa' } },
    });
  });

  it('a second, different event for a client already offboarding is logged as ignored', async () => {
    const body = connectwisePayload(250, 'Inactive', 'msg-later');
    const res = await post(path, body, { 'x-content-signature': cwSignature(body) });
    expect(res.body).toMatchObject({ outcome: 'processed', result: 'ignored', reason: 'the client is offboarding already' });
  });
});

describe('Autotask webhooks', () => {
  let path: string;
  const secret = 'autotask-secret-key-0123';
  const payload = (id: number, isActive: boolean, seq = 1) =>
    JSON.stringify({
      Action: 'Update',
      Guid: 'a1da62a4-2c49-40a8-8183-69994ce5b3eb',
      EntityType: 'Company',
      Id: id,
      Fields: { IsActive: isActive },
      EventTime: '2026-03-02T14:57:50Z',
      SequenceNumber: seq,
      PersonId: 30691780,
    });
  const sign = (body: string, key = secret) => `sha1=${createHmac('sha1', key).update(body).digest('base64')}`;
  beforeAll(async () => {
    path = (await api('POST', '/api/settings/psa', { provider: 'autotask', secret })).body.webhookPath;
  });

  it('refuses a wrong X-Hook-Signature and a missing one', async () => {
    const before = await counts();
    const body = payload(29684001, false);
    expect((await post(path, body, { 'x-hook-signature': sign(body, 'another-secret-key-000') })).status).toBe(401);
    expect((await post(path, body)).status).toBe(401);
    expect((await post(path, body.replace('false', 'true'), { 'x-hook-signature': sign(body) })).status).toBe(401);
    expect(await counts()).toEqual(before);
  });

  it('an unknown company becomes a client awaiting confirmation; confirming opens its offboarding', async () => {
    const before = await counts();
    const body = payload(29684001, false);
    const res = await post(path, body, { 'x-hook-signature': sign(body) });
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ outcome: 'processed', result: 'awaiting-confirmation' });
    const client = (await api('GET', `/api/clients/${res.body.clientId}`)).body;
    expect(client).toMatchObject({
      status: 'active',
      psaIds: { autotask: '29684001' },
      awaitingConfirmation: { provider: 'autotask', occurredAt: '2026-03-02T14:57:50.000Z' },
    });
    expect((await counts()).offboardings).toBe(before.offboardings);
    // Starting it by hand is refused until someone confirms it is really our client.
    expect(
      (
        await api('POST', '/api/offboardings', {
          clientId: client.id,
          type: 'provider-switch',
          noticeDate: '2026-03-02',
          endDate: '2026-03-31',
        })
      ).status,
    ).toBe(409);
    // The same event again: still one client.
    expect((await post(path, body, { 'x-hook-signature': sign(body) })).body.outcome).toBe('duplicate');
    expect((await counts()).clients).toBe(before.clients + 1);

    await updateClient(app, msp.admin, client.id, client.version, { name: 'Fabrikam', timezone: 'Europe/London' });
    const confirmed = await api('POST', `/api/clients/${client.id}/confirm`, {});
    expect(confirmed.status).toBe(200);
    expect(confirmed.body.client).toMatchObject({ status: 'offboarding', awaitingConfirmation: null });
    const detail = (await api('GET', `/api/offboardings/${confirmed.body.offboardingId}`)).body;
    expect(detail).toMatchObject({ noticeDate: '2026-03-02', endDate: '2026-04-01' });
    expect((await api('POST', `/api/clients/${client.id}/confirm`, {})).status).toBe(409);
  });

  it('a company turned inactive that is mapped opens its offboarding; IsActive true is ignored', async () => {
    const clientId = await newClient('Tailspin', { autotask: '777' });
    const active = payload(777, true, 5);
    expect((await post(path, active, { 'x-hook-signature': sign(active) })).body.result).toBe('ignored');
    const inactive = payload(777, false, 6);
    const res = await post(path, inactive, { 'x-hook-signature': sign(inactive) });
    expect(res.body).toMatchObject({ result: 'started', clientId });
  });
});

describe('HaloPSA webhooks', () => {
  let path: string;
  let basic: string;
  const payload = (clientId: number, id: string) =>
    JSON.stringify({
      id,
      webhook_id: '53232637-1',
      notification_id: 41,
      escmsg_id: 'a726ee11',
      event: 'client updated',
      message: '…',
      object_id: clientId,
      agent_id: 3,
      timestamp: '2026-03-02T06:41:08.7895915Z',
      client: { id: clientId, name: 'Wingtip', inactive: true, toplevel_id: 1 },
    });
  beforeAll(async () => {
    const connected = (await api('POST', '/api/settings/psa', { provider: 'halopsa' })).body;
    path = connected.webhookPath;
    basic = `Basic ${Buffer.from(`${connected.basicAuth.username}:${connected.basicAuth.password}`).toString('base64')}`;
    await newClient('Wingtip', { halopsa: '12' });
  });

  it('requires both the URL secret and the Basic credentials', async () => {
    const body = payload(12, '8e25bc7b-1');
    const withoutSecret = path.slice(0, path.lastIndexOf('/'));
    expect((await post(withoutSecret, body, { authorization: basic })).status).toBe(401);
    expect((await post(`${withoutSecret}/wrong-secret`, body, { authorization: basic })).status).toBe(401);
    expect((await post(path, body)).status).toBe(401);
    expect((await post(path, body, { authorization: `Basic ${Buffer.from('offboard:guess').toString('base64')}` })).status).toBe(401);
    const res = await post(path, body, { authorization: basic });
    expect(res.status).toBe(200);
    expect(res.body.result).toBe('started');
  });

  it('lists the connection without its secrets', async () => {
    const list = (await api('GET', '/api/settings/psa')).body.items as Array<Record<string, unknown>>;
    const halo = list.find((c) => c.provider === 'halopsa');
    expect(halo?.webhookPath).toMatch(/\/…$/);
    expect(JSON.stringify(list)).not.toContain(path.split('/').pop());
  });
});

describe('the generic signed webhook', () => {
  let path: string;
  let secret: string;
  const event = (companyId: string, status = 'offboarding') =>
    JSON.stringify({ type: 'company.updated', company: { id: companyId, name: 'Litware' }, status });
  beforeAll(async () => {
    const connected = (await api('POST', '/api/settings/psa', { provider: 'generic' })).body;
    ({ webhookPath: path, secret } = connected);
    expect(secret).toMatch(/^whsec_/);
    await newClient('Litware', { generic: 'LIT-1' });
  });
  const nowSeconds = () => Math.floor(clock().getTime() / 1000);

  it('refuses a stale timestamp, a bad signature, and a replay of the same signed delivery', async () => {
    const body = event('LIT-1');
    expect((await post(path, body, signGeneric(secret, 'evt_1', nowSeconds() - 301, body))).body.error.message).toMatch(/stale/);
    expect(
      (await post(path, body, signGeneric('whsec_' + Buffer.alloc(32, 1).toString('base64'), 'evt_1', nowSeconds(), body))).status,
    ).toBe(401);
    const headers = signGeneric(secret, 'evt_1', nowSeconds(), body);
    const first = await post(path, body, headers);
    expect(first.body).toMatchObject({ outcome: 'processed', result: 'started' });
    const before = await counts();
    const replay = await post(path, body, headers);
    expect(replay.status).toBe(401);
    expect(replay.body.error.message).toMatch(/replay/);
    // The sender's own retry signs a new timestamp: acknowledged as a duplicate, nothing more.
    clock.set(new Date(clock().getTime() + 30_000).toISOString());
    const retry = await post(path, body, signGeneric(secret, 'evt_1', nowSeconds(), body));
    expect(retry.status).toBe(200);
    expect(retry.body.outcome).toBe('duplicate');
    expect(await counts()).toEqual(before);
  });

  it('an authentic but malformed event answers 400 naming the field, and changes nothing', async () => {
    const before = await counts();
    const body = JSON.stringify({ type: 'company.updated', company: { name: 'no id' } });
    const res = await post(path, body, signGeneric(secret, 'evt_bad', nowSeconds(), body));
    expect(res.status).toBe(400);
    expect(res.body.error.details).toContainEqual({ path: 'company.id', message: expect.any(String) });
    expect(await counts()).toEqual(before);
    expect(await lastDelivery()).toMatchObject({ outcome: 'rejected', reason: expect.stringMatching(/^malformed: company.id/) });
  });

  it('unknown or disconnected webhooks answer 401 and store nothing', async () => {
    const body = event('LIT-2');
    expect((await post('/webhooks/psa/no-such-connection', body, signGeneric(secret, 'evt_x', nowSeconds(), body))).status).toBe(401);
    const id = path.split('/').pop() as string;
    expect((await api('DELETE', `/api/settings/psa/${id}`)).status).toBe(204);
    const before = await counts();
    expect((await post(path, body, signGeneric(secret, 'evt_y', nowSeconds(), body))).status).toBe(401);
    expect(await counts()).toEqual(before);
  });
});

describe('connecting a PSA', () => {
  it('names the field that is missing or wrong', async () => {
    const cw = await api('POST', '/api/settings/psa', { provider: 'connectwise' });
    expect(cw.status).toBe(400);
    expect(cw.body.error.details).toContainEqual({ path: 'keyUrlOrigins', message: expect.stringMatching(/required/) });
    const at = await api('POST', '/api/settings/psa', { provider: 'autotask', secret: 'short' });
    expect(at.body.error.details).toContainEqual({ path: 'secret', message: expect.stringMatching(/16/) });
    expect((await api('POST', '/api/settings/psa', { provider: 'kaseya' })).body.error.details[0].path).toBe('provider');
  });

  it('changes a mapping afterwards: new statuses count from then on; a field the provider does not use is refused by name', async () => {
    const connected = await api('POST', '/api/settings/psa', { provider: 'autotask', secret: 'autotask-secret-0123456789' });
    const id = connected.body.id as string;
    const changed = await api('PATCH', `/api/settings/psa/${id}`, {
      offboardingStatuses: ['Churned'],
      inactiveMeansOffboarding: false,
      offboardingType: 'insourced',
    });
    expect(changed.status).toBe(200);
    expect(changed.body).toMatchObject({
      id,
      offboardingStatuses: ['Churned'],
      inactiveMeansOffboarding: false,
      offboardingType: 'insourced',
    });
    const refused = await api('PATCH', `/api/settings/psa/${id}`, { keyUrlOrigins: ['https://api-na.myconnectwise.net'] });
    expect(refused.status).toBe(400);
    expect(refused.body.error.details).toContainEqual({ path: 'keyUrlOrigins', message: 'is not used by autotask' });
    expect((await api('PATCH', `/api/settings/psa/${id}`, { offboardingType: 'vacation' })).body.error.details[0].path).toBe(
      'offboardingType',
    );
    expect((await api('PATCH', '/api/settings/psa/no-such-connection', { offboardingType: 'insourced' })).status).toBe(404);
    const audited = await database.query<{ n: number }>(
      "select count(*)::int as n from audit_events where action = 'psa.mapping-changed' and subject_id = $1",
      [id],
    );
    expect(audited[0]?.n).toBe(1);
  });

  it('is for admins; other tenants see none of it', async () => {
    const other = await seedMsp(app, 'Other MSP');
    const otherToken = (await createApiToken(app, other.admin, { name: 'o', role: 'admin' })).token;
    const res = await http.request('/api/webhook-deliveries', { headers: { authorization: `Bearer ${otherToken}` } });
    expect(((await res.json()) as { items: unknown[] }).items).toEqual([]);
    const tech = (await createApiToken(app, msp.admin, { name: 't', role: 'technician' })).token;
    const refused = await http.request('/api/settings/psa', {
      method: 'POST',
      headers: { authorization: `Bearer ${tech}`, 'content-type': 'application/json' },
      body: JSON.stringify({ provider: 'generic' }),
    });
    expect(refused.status).toBe(403);
  });
});
