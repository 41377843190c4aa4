/** The plan preview a start shows before confirming: the planner's answer, and nothing stored. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type SeededMsp, seedMsp, testApp } from '../../test/app-fixture.ts';
import { createApiToken } from '../app/accounts/api-tokens.ts';
import type { App } from '../app/context.ts';
import type { Database } from '../storage/db.ts';
import { createHttpApp } from './app.ts';

let app: App;
let database: Database;
let msp: SeededMsp;
let token: string;
let http: ReturnType<typeof createHttpApp>;

beforeAll(async () => {
  ({ app, database } = await testApp());
  msp = await seedMsp(app);
  token = (await createApiToken(app, msp.admin, { name: 'preview', role: 'account-manager' })).token;
  http = createHttpApp(app);
});
afterAll(() => database.close());

const preview = async (body: unknown) => {
  const res = await http.request('/api/offboardings/preview', {
    method: 'POST',
    headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });
  return {
    status: res.status,
    body: (await res.json()) as {
      tasks: { key: string; due: string }[];
      warnings: { code: string }[];
      timezone: string;
      error: { details: { path: string }[] };
    },
  };
};
const stored = async () =>
  (
    await database.query<{ n: number }>('select (select count(*) from offboardings)::int + (select count(*) from audit_events)::int as n')
  )[0]?.n;

describe('POST /api/offboardings/preview', () => {
  it('answers the plan a start would make, in the client time zone, warnings included, and stores nothing', async () => {
    const before = await stored();
    const res = await preview({
      clientId: msp.clientId,
      type: 'provider-switch',
      noticeDate: '2026-03-02',
      endDate: '2026-03-06',
      newProvider: { name: 'Northwind IT', contact: 'transition@northwind.example' },
    });
    expect(res.status).toBe(200);
    expect(res.body.timezone).toBe('America/New_York');
    expect(res.body.tasks.find((t) => t.key === 'acknowledge-termination')?.due).toBe('2026-03-02');
    expect(res.body.tasks.find((t) => t.key === 'dns-transfer')?.due).toBe('2026-03-06');
    expect(res.body.warnings.map((w) => w.code)).toContain('compressed');
    expect(await stored()).toBe(before);
  });

  it('names the field that is wrong', async () => {
    const res = await preview({ clientId: msp.clientId, type: 'provider-switch', noticeDate: '2026-03-02', endDate: '2026-02-01' });
    expect(res.status).toBe(400);
    expect(res.body.error.details.map((d) => d.path)).toContain('endDate');
  });

  it("plans in the MSP's calendar: a holiday added today moves the next plan's dates", async () => {
    const adminToken = (await createApiToken(app, msp.admin, { name: 'cal', role: 'admin' })).token;
    const call = (method: string, path: string, body?: unknown) =>
      http.request(path, {
        method,
        headers: { authorization: `Bearer ${adminToken}`, 'content-type': 'application/json' },
        ...(body === undefined ? {} : { body: JSON.stringify(body) }),
      });
    const calendars = (
      (await (await call('GET', '/api/calendars')).json()) as { items: { id: string; isDefault: boolean; workdays: number[] }[] }
    ).items;
    const main = calendars.find((c) => c.isDefault);
    expect(main?.workdays).toEqual([1, 2, 3, 4, 5]);
    const bad = await call('PUT', `/api/calendars/${main?.id}`, { name: 'Monday to Friday', workdays: [1, 8], holidays: ['2026-02-30'] });
    expect(bad.status).toBe(400);
    const body = { clientId: msp.clientId, type: 'provider-switch', noticeDate: '2026-03-02', endDate: '2026-03-31' };
    const dueOf = async (key: string) => (await preview(body)).body.tasks.find((t) => t.key === key)?.due;
    expect(await dueOf('contract-review')).toBe('2026-03-03');
    expect(
      (await call('PUT', `/api/calendars/${main?.id}`, { name: 'Monday to Friday', workdays: [1, 2, 3, 4, 5], holidays: ['2026-03-03'] }))
        .status,
    ).toBe(200);
    expect(await dueOf('contract-review')).toBe('2026-03-04');
  });
});
