/**
 * Slack and Teams: escalations go to the tenant's team channels through local HTTP servers that
 * answer as Slack and Teams do, including Slack's permanent 404 no_service, which is recorded
 * as a failed delivery with its reason and not retried.
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { SeededMsp } from '../../test/app-fixture.ts';
import { type WorkerHarness, workerHarness } from '../../test/worker-fixture.ts';
import { testDatabaseKind } from '../../test/db.ts';
import { configureChannel } from '../app/settings/configure-channel.ts';
import { createApiToken } from '../app/accounts/api-tokens.ts';
import { createHttpApp } from '../http/app.ts';
import type { App } from '../app/context.ts';
import type { Database } from '../storage/db.ts';

type Hit = { path: string; body: Record<string, unknown> };

let h: WorkerHarness;
let app: App;
let database: Database;
let msp: SeededMsp;
let server: Server;
let base: string;
const hits: Hit[] = [];

beforeAll(async () => {
  // One local server speaks for both: /slack/ok answers "ok", /slack/gone 404 no_service, /teams 202.
  server = createServer((req, res) => {
    let raw = '';
    req.on('data', (c: Buffer) => (raw += c.toString()));
    req.on('end', () => {
      hits.push({ path: req.url ?? '', body: JSON.parse(raw) as Record<string, unknown> });
      if (req.url === '/slack/gone') res.writeHead(404, { 'content-type': 'text/plain' }).end('no_service');
      else if (req.url?.startsWith('/teams')) res.writeHead(202).end();
      else res.writeHead(200, { 'content-type': 'text/plain' }).end('ok');
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;

  h = await workerHarness({ chat: true, offboarding: { type: 'insourced', newProvider: undefined } });
  ({ app, database, msp } = h);
});
afterAll(async () => {
  await h.close();
  await new Promise<void>((resolve) => server.close(() => resolve()));
});

const day = (date: string) => h.day(date);

describe(`Slack and Teams (${testDatabaseKind})`, () => {
  it('posts escalations to both channels in their formats, and keeps the webhook URL sealed', async () => {
    await configureChannel(app, msp.admin, 'slack', { webhookUrl: `${base}/slack/ok` });
    await configureChannel(app, msp.admin, 'teams', { webhookUrl: `${base}/teams/hook` });
    const stored = await database.query<{ url_sealed: string; url_host: string }>('select url_sealed, url_host from channels');
    for (const s of stored) expect(s.url_sealed).not.toContain('127.0.0.1');
    const audited = await database.query<{ canonical: string }>("select canonical from audit_events where action = 'channel.configured'");
    for (const a of audited) expect(a.canonical).not.toContain('/slack/ok');

    // Nothing is done: the day-1 tasks are 3 business days overdue on 03-05.
    for (const date of ['2026-03-02', '2026-03-03', '2026-03-04', '2026-03-05']) await day(date);
    const slack = hits.filter((h) => h.path === '/slack/ok');
    const teams = hits.filter((h) => h.path === '/teams/hook');
    expect(slack.length).toBeGreaterThan(1);
    expect(teams.length).toBe(slack.length);
    // First the team hears that the offboarding started, then only escalations: no reminders.
    expect(slack[0]?.body.text).toMatch(/^Offboarding started: Harbor Dental Group \(ends 2026-03-31\)\nHarbor Dental Group is leaving\./);
    expect(slack.slice(1).every((h) => String(h.body.text).startsWith('Escalation: '))).toBe(true);
    expect((slack[0]?.body.blocks as { type: string }[])[0]?.type).toBe('section');
    const card = (
      teams[0]?.body.attachments as { contentType: string; content: { type: string; version: string; body: { type: string }[] } }[]
    )[0];
    expect(card?.contentType).toBe('application/vnd.microsoft.card.adaptive');
    expect(card?.content.type).toBe('AdaptiveCard');
    expect(card?.content.body.map((b) => b.type)).toEqual(['TextBlock', 'TextBlock', 'FactSet']);
    const sent = await database.query<{ n: number }>(
      "select count(*)::int as n from notifications where channel in ('slack', 'teams') and status = 'sent'",
    );
    expect(sent[0]?.n).toBe(slack.length + teams.length);
  });

  it("records Slack's 404 no_service as a failed delivery with the reason, and does not retry it", async () => {
    await configureChannel(app, msp.admin, 'slack', { webhookUrl: `${base}/slack/gone` });
    await day('2026-03-09'); // 5 business days overdue: leadership escalations
    const failed = await database.query<{ error: string; attempts: number }>(
      "select error, attempts from notifications where channel = 'slack' and status = 'failed'",
    );
    expect(failed.length).toBeGreaterThan(0);
    for (const f of failed) {
      expect(f.error).toBe('404 no_service');
      expect(f.attempts).toBe(1);
    }
    expect(await database.query("select 1 from notifications where status = 'pending'")).toEqual([]);
    // Failures show in the API, with the reason.
    const { token } = await createApiToken(app, msp.admin, { name: 'ops', role: 'auditor' });
    const res = await createHttpApp(app).request('/api/deliveries?status=failed', { headers: { authorization: `Bearer ${token}` } });
    const items = ((await res.json()) as { items: { channel: string; error: string; status: string }[] }).items;
    expect(items.length).toBe(failed.length);
    expect(items[0]).toMatchObject({ channel: 'slack', status: 'failed', error: '404 no_service' });
  });
});
