/** Playbook versions over the API: read, check with every problem at its path, rehearse, publish a new default. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type SeededMsp, seedMsp, testApp } from '../../test/app-fixture.ts';
import { createApiToken } from '../app/accounts/api-tokens.ts';
import type { App } from '../app/context.ts';
import type { Database } from '../storage/db.ts';
import { createHttpApp } from './app.ts';

let app: App;
let database: Database;
let msp: SeededMsp;
let http: ReturnType<typeof createHttpApp>;
const tokens: Record<string, string> = {};

beforeAll(async () => {
  ({ app, database } = await testApp());
  msp = await seedMsp(app);
  http = createHttpApp(app);
  for (const role of ['manager', 'technician'] as const) tokens[role] = (await createApiToken(app, msp.admin, { name: role, role })).token;
});
afterAll(() => database.close());

const call = async (method: string, path: string, body?: unknown, role: 'manager' | 'technician' = 'manager') => {
  const res = await http.request(path, {
    method,
    headers: { authorization: `Bearer ${tokens[role]}`, 'content-type': 'application/json' },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
  return { status: res.status, body: (await res.json()) as Record<string, unknown> };
};
const CASE = {
  client: { name: 'Harbor Dental Group', timezone: 'America/New_York' },
  type: 'provider-switch',
  noticeDate: '2026-03-02',
  endDate: '2026-03-31',
};

describe('playbooks over the API', () => {
  it('reads, checks, rehearses and publishes a new default version', async () => {
    const list = (await call('GET', '/api/playbooks')).body.items as { id: string; version: number; isDefault: boolean }[];
    expect(list).toHaveLength(1);
    const current = (await call('GET', `/api/playbooks/${list[0]?.id}`)).body as {
      data: { tasks: Record<string, unknown>[]; name: string };
      source: string;
    };
    expect(current.source).toContain('acknowledge-termination');

    const broken = structuredClone(current.data);
    (broken.tasks[0] as Record<string, unknown>).when = 'tomorrow';
    (broken.tasks[1] as Record<string, unknown>).dependsOn = ['no-such-task'];
    const check = await call('POST', '/api/playbooks/check', { data: broken });
    expect(check.status).toBe(400);
    const paths = (check.body.error as { details: { path: string }[] }).details.map((d) => d.path);
    expect(paths).toEqual(expect.arrayContaining(['tasks[0].when', 'tasks[1].dependsOn[0]']));

    const draft = structuredClone(current.data);
    (draft.tasks[0] as Record<string, unknown>).title = 'Acknowledge the notice the same day, in writing';
    expect((await call('POST', '/api/playbooks/check', { data: draft })).body).toMatchObject({ tasks: 28 });
    const rehearsal = await call('POST', '/api/playbooks/rehearse', {
      draft: { data: draft },
      case: CASE,
      late: { 'credential-inventory': 4 },
    });
    expect(rehearsal.status).toBe(200);
    expect((rehearsal.body.summary as { notifications: number }).notifications).toBeGreaterThan(10);
    expect((rehearsal.body.days as unknown[]).length).toBeGreaterThan(5);

    expect((await call('POST', '/api/playbooks', { draft: { data: draft } }, 'technician')).status).toBe(403);
    const published = await call('POST', '/api/playbooks', { draft: { data: draft } });
    expect(published.status).toBe(201);
    expect(published.body.version).toBe(2);
    const after = (await call('GET', '/api/playbooks')).body.items as { id: string; version: number; isDefault: boolean }[];
    expect(after.find((p) => p.isDefault)?.version).toBe(2);
    const audit = await database.query<{ n: number }>("select count(*)::int as n from audit_events where action = 'playbook.published'");
    expect(audit[0]?.n).toBe(1);
  });
});
