import { Writable } from 'node:stream';
import pino from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { seedMsp, testApp } from '../../test/app-fixture.ts';
import { testDatabaseKind } from '../../test/db.ts';
import type { App } from '../app/context.ts';
import type { Database } from '../storage/db.ts';
import { createHttpApp } from './app.ts';
import { createApiToken } from '../app/accounts/api-tokens.ts';

let app: App;
let database: Database;
beforeAll(async () => {
  ({ app, database } = await testApp());
});
afterAll(async () => {
  await database.close();
});

/** A log destination that keeps every line, to search. */
function logSink() {
  const lines: string[] = [];
  const sink = new Writable({
    write(chunk: Buffer, _encoding, done) {
      lines.push(chunk.toString());
      done();
    },
  });
  return { lines, sink };
}

describe(`logs (${testDatabaseKind})`, () => {
  it('log every request with a request id, and never a password, token or cookie', async () => {
    const { lines, sink } = logSink();
    const http = createHttpApp(app, { logger: pino({ level: 'debug' }, sink) });
    await seedMsp(app, 'Logged MSP');
    const email = (await database.query<{ email: string }>("select email from users where role = 'admin' limit 1"))[0]?.email;
    const password = 'correct horse battery';
    const wrong = await http.request('/api/auth/sign-in', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ email, password: 'a wrong secret 123' }),
    });
    expect(wrong.status).toBe(401);
    const ok = await http.request('/api/auth/sign-in', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ email, password }),
    });
    expect(ok.status).toBe(200);
    const cookie = (ok.headers.get('set-cookie') ?? '').split(';')[0] as string;
    const created = await http.request('/api/tokens', {
      method: 'POST',
      headers: { cookie, origin: 'http://localhost', 'content-type': 'application/json' },
      body: JSON.stringify({ name: 'ci', role: 'auditor' }),
    });
    const { token } = (await created.json()) as { token: string };
    await http.request('/api/clients', { headers: { authorization: `Bearer ${token}` } });
    await http.request('/api/clients', { headers: { authorization: 'Bearer obt_not-a-real-token' } });

    const text = lines.join('');
    expect(lines.length).toBeGreaterThanOrEqual(5);
    for (const line of lines) expect((JSON.parse(line) as { requestId?: string }).requestId).toMatch(/^[0-9a-f-]{36}$/);
    expect(text).not.toContain(password);
    expect(text).not.toContain('a wrong secret 123');
    expect(text).not.toContain(token);
    expect(text).not.toContain(cookie.split('=')[1] as string);
    expect(text).not.toContain('obt_not-a-real-token');
    expect(text).not.toMatch(/authorization|cookie/i);
  });

  it('never log a secret the MSP configures, including the HaloPSA secret in the webhook path', async () => {
    const { lines, sink } = logSink();
    const http = createHttpApp(app, { logger: pino({ level: 'debug' }, sink) });
    const msp = await seedMsp(app, 'Secretive MSP');
    const token = (await createApiToken(app, msp.admin, { name: 'secrets', role: 'admin' })).token;
    const api = async (method: string, path: string, body?: unknown) => {
      const res = await http.request(path, {
        method,
        headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
        ...(body ? { body: JSON.stringify(body) } : {}),
      });
      return (await res.json().catch(() => ({}))) as Record<string, unknown> & {
        webhookPath: string;
        basicAuth: { username: string; password: string };
        secret: string;
      };
    };
    const secrets: string[] = [token];
    const halo = await api('POST', '/api/settings/psa', { provider: 'halopsa' });
    const urlSecret = halo.webhookPath.split('/').pop() as string;
    secrets.push(urlSecret, halo.basicAuth.password);
    const generic = await api('POST', '/api/settings/psa', { provider: 'generic' });
    secrets.push(generic.secret);
    const autotaskSecret = 'autotask-secret-0123456789';
    await api('POST', '/api/settings/psa', { provider: 'autotask', secret: autotaskSecret });
    secrets.push(autotaskSecret);
    const slackUrl = 'https://hooks.slack.example/services/T000/B000/slack-secret-xyz';
    await api('PUT', '/api/settings/channels/slack', { webhookUrl: slackUrl });
    secrets.push('slack-secret-xyz');
    const smtpPassword = 'smtp-password-never-logged';
    await api('PUT', '/api/settings/email', {
      host: 'mail.example',
      port: 587,
      security: 'starttls',
      username: 'u',
      password: smtpPassword,
      from: 'it@msp.example',
    });
    secrets.push(smtpPassword);
    // The HaloPSA webhook with its URL secret, right and wrong, and an unknown route under it.
    const basic = `Basic ${Buffer.from(`${halo.basicAuth.username}:${halo.basicAuth.password}`).toString('base64')}`;
    await http.request(halo.webhookPath, {
      method: 'POST',
      headers: { authorization: basic, 'content-type': 'application/json' },
      body: '{}',
    });
    await http.request(`${halo.webhookPath}/more`, { method: 'POST', headers: { authorization: basic }, body: '{}' });
    const notFound = await http.request(`${halo.webhookPath}/more`, { method: 'GET' });
    expect(await notFound.text()).not.toContain(urlSecret);
    const text = lines.join('');
    expect(text).toContain('[redacted]');
    for (const secret of secrets) {
      expect(secret.length).toBeGreaterThan(8);
      expect(text).not.toContain(secret);
    }
  });
});
