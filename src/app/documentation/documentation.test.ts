/**
 * The client's documentation at the use-case level, on PGlite and PostgreSQL: imports from local
 * servers that speak IT Glue's, Hudu's and ITFlow's formats (pagination, an empty list, 401, 429
 * with Retry-After, 500, malformed rows, re-import without duplicates, dry run), CSV and XLSX
 * with a column mapping, passwords set aside sealed and nowhere else, editing and bulk-editing,
 * and the ownership register completing its task on the register's evidence.
 */
import writeXlsxFile from 'write-excel-file/node';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type SeededMsp, seedMsp, testApp } from '../../../test/app-fixture.ts';
import { testDatabaseKind } from '../../../test/db.ts';
import { type PlatformServer, huduServer, itFlowServer, itGlueServer } from '../../../test/platform-servers.ts';
import type { App } from '../context.ts';
import type { Database } from '../../storage/db.ts';
import { startOffboarding } from '../offboardings/start-offboarding.ts';
import { completeTask } from '../tasks/complete-task.ts';
import { reopenTask } from '../tasks/reopen-task.ts';
import { bulkUpdateDocumentation } from './bulk-update-items.ts';
import { createDocumentationItem } from './create-item.ts';
import { saveDocumentationConnection } from './documentation-connections.ts';
import { listDocumentation } from './list-items.ts';
import { runDocumentationImport } from './run-import.ts';
import { startDocumentationImport } from './start-import.ts';
import { updateDocumentationItem } from './update-item.ts';
import { uploadImportFile } from './upload-import-file.ts';
import { getDocumentationImport } from './get-import.ts';
import { listCredentials } from '../credentials/list-credentials.ts';
import { revealCredential } from '../credentials/reveal-credential.ts';

let app: App;
let database: Database;
let a: SeededMsp;
let b: SeededMsp;
const servers: PlatformServer[] = [];
const KEY = 'itg-key-0123456789';
const SECRETS = ['Sup3r-Secret-Router-Pw!', 'hudu-Vault-Pw-42', 'flow-Cred-Pw-77', 'csv-Row-Pw-99'];

beforeAll(async () => {
  process.env.OFFBOARD_IMPORT_BACKOFF_MS = '20';
  ({ app, database } = await testApp());
  a = await seedMsp(app, 'MSP A');
  b = await seedMsp(app, 'MSP B');
});
afterAll(async () => {
  for (const s of servers) await s.close();
  await database.close();
});

const config = (id: string, attributes: Record<string, unknown>) => ({ id, attributes });
const dump = async () =>
  JSON.stringify(await database.query('select * from documentation_items')) +
  JSON.stringify(await database.query('select * from credentials')) +
  JSON.stringify(await database.query('select * from client_data_keys')) +
  JSON.stringify(await database.query('select * from documentation_imports')) +
  JSON.stringify(await database.query('select * from audit_events'));

async function importNow(actor = a.admin, clientId = a.clientId, input: Parameters<typeof startDocumentationImport>[3]) {
  const started = await startDocumentationImport(app, actor, clientId, input);
  expect(started.status).toBe('queued');
  await runDocumentationImport(app, actor.tenantId, started.id);
  return getDocumentationImport(app, actor, started.id);
}

describe(`documentation import (${testDatabaseKind})`, () => {
  it('imports IT Glue configurations page by page, waits out a 429, retries a 500, lists malformed rows, and sets passwords aside', async () => {
    const configurations = [
      config('101', {
        name: 'HQ-FW01',
        hostname: 'fw01',
        'primary-ip': '10.0.0.1',
        'serial-number': 'FGT123',
        'configuration-type-name': 'Firewall',
        'operating-system-name': 'FortiOS 7.4',
        archived: false,
      }),
      config('102', { name: 'HQ-SRV01', 'primary-ip': '10.0.0.10', 'configuration-type-name': 'Server', archived: false }),
      config('103', { name: '', hostname: null, archived: false }),
      config('104', { name: 'Old laptop', archived: true }),
      config('105', { name: 'RECEPTION-PC', 'primary-ip': '10.0.0.50', archived: false }),
    ];
    const server = await itGlueServer(KEY, {
      '/organizations': [
        config('7', { name: 'Someone Else', 'psa-id': '1' }),
        config('8441223', { name: 'Harbor Dental Group', 'psa-id': '250' }),
        config('9', { name: 'Third', 'psa-id': '3' }),
      ],
      '/organizations/8441223/relationships/configurations': configurations,
      '/organizations/8441223/relationships/passwords': [
        config('501', { name: 'Firewall admin', username: 'admin', password: SECRETS[0], url: 'https://10.0.0.1' }),
      ],
    });
    servers.push(server);
    server.failOnce('page[number]=2', 429, { 'retry-after': '1' });
    server.failOnce('passwords', 500);
    const started = Date.now();
    const done = await importNow(a.admin, a.clientId, { source: 'itglue', url: server.url, key: KEY });
    expect(done.status, JSON.stringify(done)).toBe('done');
    expect(Date.now() - started).toBeGreaterThanOrEqual(1000);
    expect(done.summary).toEqual({ created: 3, updated: 0, unchanged: 0, skipped: 1, problems: 1, passwordsSetAside: 1 });
    expect(done.problems).toEqual([{ row: 'configuration 103', field: 'name', reason: 'is empty' }]);
    const listed = await listDocumentation(app, a.admin, a.clientId, { section: 'devices' });
    expect(listed.items.map((i) => i.name)).toEqual(['HQ-FW01', 'HQ-SRV01', 'RECEPTION-PC']);
    expect(listed.items[0]).toMatchObject({
      source: 'itglue',
      externalId: 'configuration:101',
      owner: null,
      fields: { ip: '10.0.0.1', serial: 'FGT123', type: 'Firewall', os: 'FortiOS 7.4', hostname: 'fw01' },
    });
    expect(listed.register).toMatchObject({ items: 3, unowned: 3, complete: false });
    // The password is in the vault, sealed with the client's data key, and nowhere else in plaintext; the key is gone from the import.
    const vault = await listCredentials(app, a.admin, a.clientId, {});
    expect(vault.items).toEqual([
      expect.objectContaining({
        name: 'Firewall admin',
        username: 'admin',
        source: 'itglue',
        externalId: 'password:501',
        disposition: null,
      }),
    ]);
    const shown = await revealCredential(app, a.admin, vault.items[0]?.id as string, { ip: '127.0.0.1' });
    expect(shown.password).toBe(SECRETS[0]);
    expect(await database.query('select * from credential_intake')).toEqual([]);
    const all = await dump();
    expect(all).not.toContain(SECRETS[0]);
    expect(all).not.toContain(KEY);
    expect(server.requests.some((r) => r.includes('page[number]=2'))).toBe(true);
  });

  it('imports again without duplicates: changed items are updated, owners kept, a dry run changes nothing', async () => {
    const mine = (await listDocumentation(app, a.admin, a.clientId, { section: 'devices' })).items;
    const fw = mine.find((i) => i.name === 'HQ-FW01');
    await updateDocumentationItem(app, a.admin, fw?.id as string, undefined, { owner: 'client' });
    const server = await itGlueServer(KEY, {
      '/organizations': [config('8441223', { name: 'Harbor Dental Group', 'psa-id': '250' })],
      '/organizations/8441223/relationships/configurations': [
        config('101', {
          name: 'HQ-FW01',
          hostname: 'fw01',
          'primary-ip': '10.0.0.254',
          'serial-number': 'FGT123',
          'configuration-type-name': 'Firewall',
          'operating-system-name': 'FortiOS 7.4',
        }),
        config('102', { name: 'HQ-SRV01', 'primary-ip': '10.0.0.10', 'configuration-type-name': 'Server' }),
        config('105', { name: 'RECEPTION-PC', 'primary-ip': '10.0.0.50' }),
        config('106', { name: 'NEW-PC', 'primary-ip': '10.0.0.51' }),
      ],
      '/organizations/8441223/relationships/passwords': [],
    });
    servers.push(server);
    await saveDocumentationConnection(app, a.admin, 'itglue', { url: server.url, key: KEY });
    const itemsNow = async () => JSON.stringify(await database.query('select * from documentation_items order by id'));
    const before = await itemsNow();
    const dry = await importNow(a.admin, a.clientId, { source: 'itglue', dryRun: true });
    expect(dry.summary).toMatchObject({ created: 1, updated: 1, unchanged: 2 });
    expect(dry.preview).toMatchObject({ create: ['devices: NEW-PC'], update: [{ name: 'HQ-FW01' }] });
    expect(await itemsNow()).toBe(before);
    const real = await importNow(a.admin, a.clientId, { source: 'itglue' });
    expect(real.summary).toMatchObject({ created: 1, updated: 1, unchanged: 2, passwordsSetAside: 0 });
    const after = (await listDocumentation(app, a.admin, a.clientId, { section: 'devices' })).items;
    expect(after).toHaveLength(4);
    expect(after.find((i) => i.name === 'HQ-FW01')).toMatchObject({ owner: 'client', fields: { ip: '10.0.0.254' } });
  });

  it('fails a refused key with a clear message naming the key, keeps what it had, and erases the key', async () => {
    const server = await itGlueServer('another-key-123456', { '/organizations': [] });
    servers.push(server);
    const failed = await importNow(a.admin, a.clientId, { source: 'itglue', url: server.url, key: 'wrong-key-123456' });
    expect(failed.status).toBe('failed');
    expect(failed.error).toMatch(/^key: IT Glue refused the API key \(401\)/);
    const row = await database.query<{ key_sealed: string | null }>('select key_sealed from documentation_imports where id = $1', [
      failed.id,
    ]);
    expect(row[0]?.key_sealed).toBeNull();
  });

  it('reads Hudu assets, articles and passwords across pages until a short page, assets sorted into sections by layout', async () => {
    const assets = Array.from({ length: 230 }, (_, i) =>
      buildHuduAsset({
        id: 1000 + i,
        name: `WS-${String(i).padStart(3, '0')}`,
        primary_serial: `SN${i}`,
        primary_model: 'OptiPlex 7010',
        fields: [
          { label: 'IP Address', value: `10.1.0.${i % 250}` },
          { label: 'Location', value: 'Front desk' },
        ],
      }),
    );
    assets.push(
      buildHuduAsset({
        id: 2000,
        asset_type: 'Network',
        name: 'Office LAN',
        fields: [
          { label: 'VLAN', value: '10' },
          { label: 'Subnet', value: '10.1.0.0/24' },
          { label: 'Gateway', value: '10.1.0.1' },
        ],
      }),
      buildHuduAsset({
        id: 2001,
        asset_type: 'Domain',
        name: 'harbordental.example',
        fields: [
          { label: 'Registrar', value: 'Gandi' },
          { label: 'Expiration', value: 'soon' },
        ],
      }),
      buildHuduAsset({ id: 3000, company_id: 99, company_name: 'Other', name: 'NOT-OURS' }),
    );
    const server = await huduServer(KEY, {
      companies: [{ id: 12, name: 'Harbor Dental Group' }],
      assets,
      articles: [
        { id: 1, company_id: 12, name: 'Restart the PACS server', content: '1. Log in\n2. Restart', draft: false },
        { id: 2, company_id: 12, name: 'Draft', content: 'x', draft: true },
      ],
      asset_passwords: [
        { id: 9, company_id: 12, name: 'PACS admin', username: 'pacs', password: SECRETS[1], otp_secret: 'JBSWY3DPEHPK3PXP', url: '' },
      ],
    });
    servers.push(server);
    const client2 = await createClientLike(a, 'Harbor Dental Group East');
    const done = await importNow(a.admin, client2, { source: 'hudu', url: `${server.url}/api/v1`, key: KEY, organization: '12' });
    expect(done.status, JSON.stringify(done)).toBe('done');
    expect(done.summary).toEqual({ created: 233, updated: 0, unchanged: 0, skipped: 1, problems: 1, passwordsSetAside: 1 });
    expect(done.problems).toEqual([{ row: 'asset:2001', field: 'expiry', reason: 'must be a date like 2027-03-31; imported without it' }]);
    const reg = (await listDocumentation(app, a.admin, client2, {})).register;
    expect(reg.sections).toMatchObject({ devices: 230, networks: 1, domains: 1, runbooks: 1 });
    const lan = (await listDocumentation(app, a.admin, client2, { section: 'networks' })).items[0];
    expect(lan?.fields).toEqual({ vlan: '10', subnet: '10.1.0.0/24', gateway: '10.1.0.1' });
    expect(server.requests.filter((r) => r.startsWith('/api/v1/assets')).length).toBe(3);
    expect(await dump()).not.toContain(SECRETS[1]);
  });

  it('reads ITFlow lists by limit and offset, an empty list answered with success False', async () => {
    const server = await itFlowServer(KEY, {
      clients: [{ client_id: 4, client_name: 'Harbor Dental Group West' }],
      assets: Array.from({ length: 120 }, (_, i) => ({
        asset_id: i + 1,
        asset_type: 'Laptop',
        asset_name: `LT-${i + 1}`,
        asset_make: 'Lenovo',
        asset_model: 'T14',
        asset_serial: `PF${i}`,
        asset_os: 'Windows 11',
        asset_client_id: 4,
      })),
      networks: [
        {
          network_id: 1,
          network_name: 'Main',
          network_vlan: 1,
          network: '192.168.1.0/24',
          network_gateway: '192.168.1.1',
          network_client_id: 4,
        },
      ],
      domains: [],
      credentials: [
        {
          credential_id: 3,
          credential_name: 'Switch',
          credential_uri: 'https://192.168.1.2',
          credential_username: 'admin',
          credential_password: SECRETS[2],
          credential_client_id: 4,
        },
      ],
    });
    servers.push(server);
    const client3 = await createClientLike(a, 'Harbor Dental Group West');
    const done = await importNow(a.admin, client3, { source: 'itflow', url: server.url, key: KEY });
    expect(done.status, JSON.stringify(done)).toBe('done');
    expect(done.summary).toEqual({ created: 121, updated: 0, unchanged: 0, skipped: 0, problems: 0, passwordsSetAside: 1 });
    expect(server.requests.filter((r) => r.startsWith('/api/v1/assets')).length).toBe(3);
    expect(JSON.stringify(await database.query('select * from documentation_imports'))).not.toContain(KEY);
    expect(await dump()).not.toContain(SECRETS[2]);
  });
});

/** A Hudu asset of the client's company (12), a computer unless overridden. */
function buildHuduAsset(overrides: Record<string, unknown> & { id: number; name: string }) {
  return {
    company_id: 12,
    company_name: 'Harbor Dental Group',
    asset_type: 'Computer',
    primary_serial: '',
    primary_model: '',
    archived: false,
    fields: [] as { label: string; value: string }[],
    ...overrides,
  };
}

async function createClientLike(msp: SeededMsp, name: string): Promise<string> {
  const { createClient } = await import('../clients/create-client.ts');
  return (
    await createClient(app, msp.admin, {
      name,
      timezone: 'America/New_York',
      services: { dns: true, m365: true, backup: true, edr: true, rmm: true, cloud: false, firewall: 'client-owned' },
    })
  ).id;
}

describe(`the ownership register (${testDatabaseKind})`, () => {
  it('imports a CSV and an XLSX with a column mapping, owners from a column; rows it cannot use listed by row and field', async () => {
    const clientId = await createClientLike(a, 'Register Client');
    const csv = new TextEncoder().encode(
      'Device Name,Serial #,IP,Owned by,Password\nFW-1,S1,10.0.0.1,Client,' +
        SECRETS[3] +
        '\nSW-1,S2,10.0.0.2,MSP,\n,S3,10.0.0.3,client,\nAP-1,S4,10.0.0.4,the landlord,\n',
    );
    const uploaded = await uploadImportFile(app, a.admin, clientId, { kind: 'csv', section: 'devices' }, csv);
    expect(uploaded.headers).toEqual(['Device Name', 'Serial #', 'IP', 'Owned by', 'Password']);
    expect(uploaded.suggested).toMatchObject({ name: 'Device Name', owner: 'Owned by', password: 'Password', fields: { ip: 'IP' } });
    const mapping = { name: 'Device Name', owner: 'Owned by', password: 'Password', fields: { serial: 'Serial #', ip: 'IP' } };
    const done = await importNow(a.admin, clientId, { source: 'csv', file: uploaded.file, section: 'devices', mapping });
    expect(done.summary).toEqual({ created: 2, updated: 0, unchanged: 0, skipped: 0, problems: 2, passwordsSetAside: 1 });
    expect(done.problems).toEqual([
      { row: 'row 4', field: 'Device Name', reason: 'is empty' },
      { row: 'row 5', field: 'Owned by', reason: '"the landlord" is not client, msp or third-party' },
    ]);
    const again = await importNow(a.admin, clientId, { source: 'csv', file: uploaded.file, section: 'devices', mapping });
    expect(again.summary).toMatchObject({ created: 0, unchanged: 2 });
    const xlsx = await writeXlsxFile([
      [{ value: 'Name' }, { value: 'VLAN' }, { value: 'Subnet' }],
      [{ value: 'Guest Wi-Fi' }, { value: 30 }, { value: '10.30.0.0/24' }],
    ]).toBuffer();
    const sheet = await uploadImportFile(app, a.admin, clientId, { kind: 'xlsx', section: 'networks' }, new Uint8Array(xlsx));
    expect(sheet.suggested).toMatchObject({ name: 'Name', fields: { vlan: 'VLAN', subnet: 'Subnet' } });
    const fromSheet = await importNow(a.admin, clientId, {
      source: 'xlsx',
      file: sheet.file,
      section: 'networks',
      mapping: { name: 'Name', fields: { vlan: 'VLAN', subnet: 'Subnet' } },
    });
    expect(fromSheet.summary).toMatchObject({ created: 1, problems: 0 });
    expect((await listDocumentation(app, a.admin, clientId, { section: 'networks' })).items[0]?.fields).toEqual({
      vlan: '30',
      subnet: '10.30.0.0/24',
    });
    expect(await dump()).not.toContain(SECRETS[3]);
  });

  it('completes the ownership-register task when the last owner is filled in, with the register as its evidence; not before', async () => {
    const clientId = await createClientLike(a, 'Owned Client');
    const o = await startOffboarding(app, a.admin, { clientId, type: 'provider-switch', noticeDate: '2026-03-02', endDate: '2026-03-31' });
    const task = (
      await database.query<{ id: string; status: string }>(
        "select id, status from tasks where offboarding_id = $1 and key = 'ownership-register'",
        [o.id],
      )
    )[0];
    const made = [];
    for (const [section, name] of [
      ['devices', 'FW'],
      ['vendors', 'Dental software vendor'],
      ['runbooks', 'Backups'],
    ] as const)
      made.push(await createDocumentationItem(app, a.admin, clientId, { section, name }));
    const dora = a.as('documentation', a.users.documentation);
    await expect(completeTask(app, dora, task?.id as string, undefined, {})).rejects.toMatchObject({
      details: [{ path: 'documentation', message: '3 of 3 documentation items have no owner yet' }],
    });
    await bulkUpdateDocumentation(app, dora, clientId, { ids: [made[0]?.id as string, made[2]?.id as string], owner: 'client' });
    expect((await database.query<{ status: string }>('select status from tasks where id = $1', [task?.id]))[0]?.status).not.toBe('done');
    await expect(bulkUpdateDocumentation(app, dora, clientId, { ids: ['nope'], owner: 'client' })).rejects.toMatchObject({
      details: [{ path: 'ids[0]' }],
    });
    await expect(updateDocumentationItem(app, dora, made[1]?.id as string, 99, { owner: 'third-party' })).rejects.toMatchObject({
      code: 'conflict',
    });
    await updateDocumentationItem(app, dora, made[1]?.id as string, undefined, { owner: 'third-party' });
    const done = await database.query<{ status: string }>('select status from tasks where id = $1', [task?.id]);
    expect(done[0]?.status).toBe('done');
    const files = await database.query<{ filename: string; sha256: string }>('select filename, sha256 from evidence where task_id = $1', [
      task?.id,
    ]);
    expect(files).toHaveLength(1);
    const event = await database.query<{ actor: string; canonical: string }>(
      "select actor, canonical from audit_events where action = 'task.completed' and subject_id = $1",
      [task?.id],
    );
    expect(event[0]?.actor).toBe('system:ownership-register');
    expect((JSON.parse(event[0]?.canonical as string) as { data: { register: unknown } }).data.register).toEqual({
      items: 3,
      client: 2,
      msp: 0,
      'third-party': 1,
      mspInternal: 0,
      sha256: files[0]?.sha256,
    });
    // Reopened and completed again by hand: the same register is not filed twice.
    await reopenTask(app, a.admin, task?.id as string, undefined, { reason: 'checking' });
    await completeTask(app, dora, task?.id as string, undefined, {});
    expect(await database.query('select sha256 from evidence where task_id = $1', [task?.id])).toEqual([{ sha256: files[0]?.sha256 }]);
  });

  it('keeps every MSP to its own clients, and refuses bad fields by name', async () => {
    await expect(listDocumentation(app, b.admin, a.clientId, {})).rejects.toMatchObject({ code: 'not-found' });
    await expect(
      createDocumentationItem(app, a.admin, a.clientId, {
        section: 'domains',
        name: 'x.example',
        fields: { expiry: 'never', colour: 'red' },
      }),
    ).rejects.toMatchObject({
      // eslint-disable-next-line @typescript-eslint/no-unsafe-assignment -- vitest's asymmetric matcher
      details: expect.arrayContaining([
        { path: 'fields.expiry', message: 'must be a date like 2027-03-31' },
        { path: 'fields.colour', message: 'unknown field' },
      ]),
    });
    await expect(startDocumentationImport(app, a.admin, a.clientId, { source: 'hudu', url: 'http://127.0.0.1:1' })).rejects.toMatchObject({
      details: [{ path: 'key' }],
    });
  });
});

describe(`the register in the record (${testDatabaseKind})`, () => {
  it('verify words the completion by the register that backs it, naming the register file', async () => {
    const { verifiedWords } = await import('../../../test/bundle-fixture.ts');
    const clientId = await createClientLike(a, 'Recorded Client');
    const o = await startOffboarding(app, a.admin, { clientId, type: 'provider-switch', noticeDate: '2026-03-02', endDate: '2026-03-31' });
    const item = await createDocumentationItem(app, a.admin, clientId, { section: 'devices', name: 'FW', owner: 'msp' });
    expect(item.owner).toBe('msp');
    const words = await verifiedWords(app, a.admin, o.id, true);
    expect(words).toMatch(
      /"Record who owns what" marked done with 1 evidence file; the ownership register gives every one of its 1 items an owner \(the client 0, the MSP 1, third parties 0; register SHA-256 [0-9a-f]{16}\.\.\.\) \[ownership-register\]/,
    );
    expect(words).toMatch(/offboard, once the ownership register was complete/);
  });
});
