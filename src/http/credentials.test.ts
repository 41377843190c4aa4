/**
 * The vault over HTTP: every secret the test creates is searched for in every response but a
 * reveal's, in every log line (at debug level), in the audit events, in the evidence bundle and in
 * the database; the auditor never sees one; a reveal is never cached.
 */
import { randomBytes } from 'node:crypto';
import { Writable } from 'node:stream';
import pino from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type SeededMsp, seedMsp, testApp } from '../../test/app-fixture.ts';
import { testDatabaseKind } from '../../test/db.ts';
import { apiCaller } from '../../test/http-fixture.ts';
import { type PlatformServer, huduServer } from '../../test/platform-servers.ts';
import { createApiToken } from '../app/accounts/api-tokens.ts';
import type { App } from '../app/context.ts';
import { runDocumentationImport } from '../app/documentation/run-import.ts';
import type { Database } from '../storage/db.ts';
import { createHttpApp } from './app.ts';
import { readBundle } from '../domain/bundle-verifier.ts';

let app: App;
let database: Database;
let a: SeededMsp;
let hudu: PlatformServer | undefined;
const lines: string[] = [];
let call: ReturnType<typeof apiCaller>;
const SECRETS: string[] = [];
const secret = (label: string) => {
  const s = `${label}-${randomBytes(9).toString('base64url')}`;
  SECRETS.push(s);
  return s;
};

beforeAll(async () => {
  process.env.OFFBOARD_IMPORT_BACKOFF_MS = '20';
  ({ app, database } = await testApp());
  a = await seedMsp(app, 'HTTP Vault MSP');
  const sink = new Writable({
    write(chunk: Buffer, _encoding, done) {
      lines.push(chunk.toString());
      done();
    },
  });
  call = apiCaller(createHttpApp(app, { logger: pino({ level: 'debug' }, sink) }));
});
afterAll(async () => {
  await hudu?.close();
  await database.close();
});

describe(`the vault over HTTP (${testDatabaseKind})`, () => {
  it('never lets a secret out but in an audited, uncached reveal: not in responses, logs, audit events, the bundle or the database', async () => {
    const token = async (role: 'admin' | 'technician' | 'auditor') => (await createApiToken(app, a.admin, { name: role, role })).token;
    const [admin, technician, auditor] = [await token('admin'), await token('technician'), await token('auditor')];
    const responses: string[] = [];
    const keep = <T extends { body: unknown }>(r: T): T => {
      responses.push(JSON.stringify(r.body));
      return r;
    };
    const o = keep(
      await call('POST', '/api/offboardings', {
        token: admin,
        body: {
          clientId: a.clientId,
          type: 'provider-switch',
          noticeDate: '2026-03-02',
          endDate: '2026-03-31',
          newProvider: { name: 'Bluebird IT', contact: 'nina@bluebird.example' },
        },
      }),
    );
    expect(o.status, JSON.stringify(o.body)).toBe(201);
    const password = secret('Http-Fw');
    const added = keep(
      await call('POST', `/api/clients/${a.clientId}/credentials`, {
        token: technician,
        body: { name: 'Firewall', kind: 'network-device', username: 'admin', password, otpSecret: 'JBSWY3DPEHPK3PXP' },
      }),
    );
    expect(added.status, JSON.stringify(added.body)).toBe(201);
    const id = added.body.id as string;
    const bad = keep(
      await call('POST', `/api/clients/${a.clientId}/credentials`, { token: technician, body: { name: 'x', kind: 'spaceship' } }),
    );
    expect(bad.status).toBe(400);
    expect((bad.body.error as { details: { path: string }[] }).details.map((d) => d.path)).toEqual(['kind', 'password']);

    const got = keep(await call('GET', `/api/credentials/${id}`, { token: auditor }));
    expect(got.status).toBe(200);
    expect(got.headers.get('etag')).toBe('"v1"');
    const changedPassword = secret('Http-Fw-2');
    const patched = keep(
      await call('PATCH', `/api/credentials/${id}`, {
        token: technician,
        headers: { 'if-match': '"v1"' },
        body: { password: changedPassword },
      }),
    );
    expect(patched.status, JSON.stringify(patched.body)).toBe(200);
    const stale = keep(
      await call('PATCH', `/api/credentials/${id}`, { token: technician, headers: { 'if-match': '"v1"' }, body: { notes: 'x' } }),
    );
    expect(stale.status).toBe(409);

    // The auditor reads the inventory, never a secret.
    expect(keep(await call('POST', `/api/credentials/${id}/reveal`, { token: auditor })).status).toBe(403);
    const shown = await call('POST', `/api/credentials/${id}/reveal`, { token: technician });
    expect(shown.status).toBe(200);
    expect(shown.body).toMatchObject({ password: changedPassword, otpSecret: 'JBSWY3DPEHPK3PXP' });
    expect(shown.headers.get('cache-control')).toBe('no-store');

    // An import over HTTP with a key for this import only.
    const huduKey = `hudu-key-${randomBytes(8).toString('hex')}`;
    const imported = secret('Http-Hudu');
    hudu = await huduServer(huduKey, {
      companies: [{ id: 4, name: 'Harbor Dental Group' }],
      asset_passwords: [{ id: 41, company_id: 4, name: 'Registrar', password: imported, password_folder_name: 'Domains' }],
    });
    const started = keep(
      await call('POST', `/api/clients/${a.clientId}/credentials/imports`, {
        token: technician,
        body: { source: 'hudu', url: `${hudu.url}/api/v1`, key: huduKey },
      }),
    );
    expect(started.status, JSON.stringify(started.body)).toBe(202);
    await runDocumentationImport(app, a.tenantId, started.body.id as string);
    const finished = keep(await call('GET', `/api/documentation-imports/${started.body.id as string}`, { token: auditor }));
    expect(finished.body).toMatchObject({ status: 'done', target: 'credentials', summary: { created: 1 } });

    const listed = keep(await call('GET', `/api/clients/${a.clientId}/credentials`, { token: auditor }));
    const items = listed.body.items as { id: string; name: string; kind: string }[];
    expect(items.map((c) => [c.name, c.kind])).toEqual([
      ['Firewall', 'network-device'],
      ['Registrar', 'registrar'],
    ]);
    const decided = keep(
      await call('POST', `/api/clients/${a.clientId}/credentials/dispositions`, {
        token: technician,
        body: { ids: items.map((c) => c.id), disposition: 'rotate-then-hand-over', recipient: 'new-provider' },
      }),
    );
    expect(decided.body).toMatchObject({ tasksCompleted: 1 });
    const rotated = keep(
      await call('POST', `/api/credentials/${id}/rotation`, { token: technician, body: { password: secret('Http-Rot') } }),
    );
    expect(rotated.status).toBe(200);
    const events = keep(await call('GET', `/api/offboardings/${o.body.id as string}/events`, { token: auditor }));
    expect(events.status).toBe(200);
    const bundle = await fetchBundle(admin, o.body.id as string);

    const audit = JSON.stringify(await database.query('select * from audit_events'));
    const tables =
      JSON.stringify(await database.query('select * from credentials')) +
      JSON.stringify(await database.query('select * from documentation_imports'));
    const logs = lines.join('');
    expect(logs).toContain('/reveal');
    for (const s of [...SECRETS, huduKey]) {
      for (const r of responses) expect(r).not.toContain(s);
      expect(logs).not.toContain(s);
      expect(audit).not.toContain(s);
      expect(tables).not.toContain(s);
      expect(bundle.includes(s)).toBe(false);
    }
  });
});

async function fetchBundle(token: string, offboardingId: string): Promise<Buffer> {
  const http = createHttpApp(app);
  const res = await http.request(`/api/offboardings/${offboardingId}/evidence?includeFiles=true`, {
    headers: { authorization: `Bearer ${token}` },
  });
  expect(res.status).toBe(200);
  // Every file of the zip, uncompressed: a secret deflated inside it would not show in the zip's bytes.
  const files = readBundle(new Uint8Array(await res.arrayBuffer()));
  // The inventory CSV is among them (files are named by their digest).
  expect([...files.keys()].some((name) => name.startsWith('artifacts/'))).toBe(true);
  return Buffer.concat([...files.values()]);
}
