/**
 * An MSP's own SMTP server: settings stored sealed, a test message that reports the server's
 * answer, and the workers sending that tenant's notifications through it. Team channels answer
 * a test post too.
 */
import { type Server, createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startSmtp } from '../../test/smtp-fixture.ts';
import { testDatabaseKind } from '../../test/db.ts';
import { type WorkerHarness, workerHarness } from '../../test/worker-fixture.ts';
import { createApiToken } from '../app/accounts/api-tokens.ts';
import { createHttpApp } from '../http/app.ts';

let h: WorkerHarness;
let smtp: Awaited<ReturnType<typeof startSmtp>>;
let chat: Server;
let chatBase: string;
let token: string;
let http: ReturnType<typeof createHttpApp>;

beforeAll(async () => {
  h = await workerHarness({ chat: true }); // no server-wide SMTP: only the tenant's own
  smtp = await startSmtp(() => h.clock(), { auth: { user: 'relay-user', pass: 'relay-secret-password' } });
  chat = createServer((req, res) => {
    req.resume();
    req.on('end', () => (req.url === '/gone' ? res.writeHead(404).end('no_service') : res.writeHead(200).end('ok')));
  });
  await new Promise<void>((resolve) => chat.listen(0, '127.0.0.1', resolve));
  chatBase = `http://127.0.0.1:${(chat.address() as AddressInfo).port}`;
  token = (await createApiToken(h.app, h.msp.admin, { name: 'settings', role: 'admin' })).token;
  http = createHttpApp(h.app);
});
afterAll(async () => {
  await h.close();
  await smtp.close();
  await new Promise<void>((resolve) => chat.close(() => resolve()));
});

const call = async (method: string, path: string, body?: unknown) => {
  const res = await http.request(path, {
    method,
    headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
  return { status: res.status, body: (res.status === 204 ? {} : await res.json()) as Record<string, unknown> };
};

describe(`the MSP's own SMTP server and channel tests (${testDatabaseKind})`, () => {
  it('reports the SMTP answer of a test message, wrong password and right', async () => {
    expect((await call('POST', '/api/settings/email/test', { to: 'ops@acme.example' })).status).toBe(409); // nothing configured yet
    const settings = {
      host: '127.0.0.1',
      port: smtp.port,
      security: 'none',
      username: 'relay-user',
      password: 'wrong-password',
      from: 'Acme MSP <noreply@acme.example>',
    };
    expect((await call('PUT', '/api/settings/email', settings)).body).toEqual({ configured: true, host: `127.0.0.1:${smtp.port}` });
    const refused = await call('POST', '/api/settings/email/test', { to: 'ops@acme.example' });
    expect(refused.body.ok).toBe(false);
    expect(refused.body.error).toMatch(/Invalid username or password/);

    await call('PUT', '/api/settings/email', { ...settings, password: 'relay-secret-password' });
    expect((await call('POST', '/api/settings/email/test', { to: 'ops@acme.example' })).body).toEqual({ ok: true });
    expect(smtp.received.at(-1)).toMatchObject({
      to: 'ops@acme.example',
      from: '"Acme MSP" <noreply@acme.example>',
      subject: 'offboard: test message',
    });

    // The password is stored sealed and audited nowhere.
    const stored = await h.database.query<{ url_sealed: string }>("select url_sealed from channels where kind = 'email'");
    expect(stored[0]?.url_sealed).not.toContain('relay-secret-password');
    const audit = await h.database.query<{ canonical: string }>("select canonical from audit_events where action = 'email.configured'");
    expect(audit.length).toBe(2);
    for (const a of audit) expect(a.canonical).not.toContain('password');
    expect((await call('GET', '/api/settings/email')).body).toEqual({ configured: true, host: `127.0.0.1:${smtp.port}` });
  });

  it("sends the tenant's notifications through its own server", { timeout: 60_000 }, async () => {
    const before = smtp.received.length;
    await h.day('2026-03-02');
    const mails = smtp.received.slice(before);
    expect(mails.map((m) => m.subject)).toContain('We received your notice: offboarding of Harbor Dental Group ends 2026-03-31');
    expect(mails.every((m) => m.from === '"Acme MSP" <noreply@acme.example>')).toBe(true);
  });

  it('answers bad settings with the field, and tests team channels', async () => {
    const bad = await call('PUT', '/api/settings/email', { host: '', port: 70000, security: 'ssl', from: 'x' });
    expect(bad.status).toBe(400);
    const paths = (bad.body.error as { details: { path: string }[] }).details.map((d) => d.path).sort();
    expect(paths).toEqual(['from', 'host', 'port', 'security']);

    await call('PUT', '/api/settings/channels/slack', { webhookUrl: `${chatBase}/gone` });
    expect((await call('POST', '/api/settings/channels/slack/test')).body).toEqual({ ok: false, error: '404 no_service' });
    await call('PUT', '/api/settings/channels/slack', { webhookUrl: `${chatBase}/ok` });
    expect((await call('POST', '/api/settings/channels/slack/test')).body).toEqual({ ok: true });
    expect((await call('POST', '/api/settings/channels/teams/test')).status).toBe(404);
    // The SMTP settings are not a team channel.
    expect((await call('GET', '/api/settings/channels')).body.items).toEqual([
      { kind: 'slack', host: `127.0.0.1:${(chat.address() as AddressInfo).port}` },
    ]);
  });
});
