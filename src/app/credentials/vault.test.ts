/**
 * The credential vault at the use-case level, on PGlite and PostgreSQL: envelope encryption (a
 * destroyed data key locks one client only; rotating the server's key re-wraps data keys without
 * touching a secret), reveals audited, dispositions completing the inventory task on the
 * inventory's evidence, imports from local IT Glue, Hudu and ITFlow servers and a CSV file, and
 * no plaintext secret anywhere in the database, its dump, or the record.
 */
import { execFile } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type SeededMsp, seedMsp, testApp } from '../../../test/app-fixture.ts';
import { testDatabaseKind } from '../../../test/db.ts';
import { type PlatformServer, huduServer, itFlowServer, itGlueServer } from '../../../test/platform-servers.ts';
import type { Database } from '../../storage/db.ts';
import type { App } from '../context.ts';
import { createClient } from '../clients/create-client.ts';
import { getDocumentationImport } from '../documentation/get-import.ts';
import { runDocumentationImport } from '../documentation/run-import.ts';
import { startCredentialImport } from '../documentation/start-import.ts';
import { uploadImportFile } from '../documentation/upload-import-file.ts';
import { startOffboarding } from '../offboardings/start-offboarding.ts';
import { secretBoxFromKey } from '../secrets.ts';
import { completeTask } from '../tasks/complete-task.ts';
import { addCredential } from './add-credential.ts';
import { deleteCredential } from './delete-credential.ts';
import { destroyDataKey } from './destroy-data-key.ts';
import { listCredentials } from './list-credentials.ts';
import { moveIntakeToVault } from './move-intake.ts';
import { recordRotation } from './record-rotation.ts';
import { revealCredential } from './reveal-credential.ts';
import { rewrapDataKeys } from './rewrap-data-keys.ts';
import { setDispositions } from './set-dispositions.ts';
import { updateCredential } from './update-credential.ts';

let app: App;
let database: Database;
let a: SeededMsp;
let b: SeededMsp;
const serverKey = randomBytes(32);
const servers: PlatformServer[] = [];
const KEY = 'vault-test-key-0123456789';
/** Every secret this file creates: none may appear in plaintext anywhere but a reveal's answer. */
const SECRETS: string[] = [];
const secret = (label: string) => {
  const s = `${label}-${randomBytes(9).toString('base64url')}`;
  SECRETS.push(s);
  return s;
};

beforeAll(async () => {
  process.env.OFFBOARD_IMPORT_BACKOFF_MS = '20';
  ({ app, database } = await testApp());
  app.secrets = secretBoxFromKey(serverKey);
  a = await seedMsp(app, 'Vault MSP A');
  b = await seedMsp(app, 'Vault MSP B');
});
afterAll(async () => {
  for (const s of servers) await s.close();
  await database.close();
});

async function newClient(msp: SeededMsp, name: string): Promise<string> {
  return (
    await createClient(app, msp.admin, {
      name,
      timezone: 'America/New_York',
      services: { dns: true, m365: true, backup: true, edr: true, rmm: true, cloud: false, firewall: 'client-owned' },
    })
  ).id;
}

async function importNow(clientId: string, input: Parameters<typeof startCredentialImport>[3]) {
  const started = await startCredentialImport(app, a.admin, clientId, input);
  await runDocumentationImport(app, a.tenantId, started.id);
  return getDocumentationImport(app, a.admin, started.id);
}

/** Every row of every table, as text. */
async function everyTable(): Promise<string> {
  const tables = await database.query<{ name: string }>("select tablename as name from pg_tables where schemaname = 'public'");
  let all = '';
  for (const t of tables) all += JSON.stringify(await database.query(`select * from public."${t.name}"`));
  return all;
}

/** The database as its own dump tool writes it: pg_dump on PostgreSQL, PGlite's data directory otherwise. */
async function databaseDump(): Promise<Buffer> {
  if (database.pglite) return Buffer.from(await (await database.pglite.dumpDataDir('none')).arrayBuffer());
  const name = (await database.query<{ name: string }>('select current_database() as name'))[0]?.name as string;
  const url = new URL(process.env.TEST_DATABASE_URL as string);
  url.pathname = `/${name}`;
  const { stdout } = await promisify(execFile)('pg_dump', ['--data-only', url.toString()], {
    maxBuffer: 512 * 1024 * 1024,
    encoding: 'buffer',
  });
  return stdout;
}

describe(`the credential vault (${testDatabaseKind})`, () => {
  it('seals each secret with the client’s data key: listings and the record hold digests only, a reveal is audited with who and where', async () => {
    const password = secret('Fw-Admin');
    const seed = 'JBSWY3DPEHPK3PXP';
    const added = await addCredential(app, a.admin, a.clientId, {
      name: 'Firewall admin',
      url: 'https://10.0.0.1',
      username: 'admin',
      kind: 'network-device',
      owner: 'client',
      password,
      otpSecret: 'jbsw y3dp ehpk 3pxp',
    });
    expect(added).toMatchObject({ name: 'Firewall admin', kind: 'network-device', hasOtp: true, disposition: null });
    expect(JSON.stringify(added)).not.toContain(password);
    const listed = await listCredentials(app, a.admin, a.clientId, {});
    expect(listed.items.map((c) => c.name)).toEqual(['Firewall admin']);
    expect(listed.inventory).toMatchObject({
      credentials: 1,
      undecided: 1,
      complete: false,
      gap: '1 of 1 credential has no disposition yet',
    });
    expect(JSON.stringify(listed)).not.toContain(password);

    const technician = a.as('technician', a.users.technician);
    const shown = await revealCredential(app, technician, added.id, { ip: '192.0.2.7' });
    expect(shown).toEqual({ id: added.id, name: 'Firewall admin', username: 'admin', password, otpSecret: seed });
    const events = await database.query<{ action: string; actor: string; canonical: string }>(
      "select action, actor, canonical from audit_events where subject_type = 'credential' and subject_id = $1 order by seq",
      [added.id],
    );
    expect(events.map((e) => e.action)).toEqual(['credential.added', 'credential.revealed']);
    const revealed = JSON.parse(events[1]?.canonical as string) as { data: Record<string, unknown> };
    expect(events[1]?.actor).toBe(`user:${a.users.technician}`);
    expect(revealed.data).toMatchObject({ ip: '192.0.2.7', name: 'Firewall admin' });
    expect(revealed.data.secretDigest).toMatch(/^[0-9a-f]{64}$/);

    // Another MSP's people never reach it; a secret changed is sealed again, its digest changes, and the change is recorded.
    await expect(revealCredential(app, b.admin, added.id, { ip: '192.0.2.8' })).rejects.toMatchObject({ code: 'not-found' });
    await expect(listCredentials(app, b.admin, a.clientId, {})).rejects.toMatchObject({ code: 'not-found' });
    const newer = secret('Fw-Admin-2');
    const changed = await updateCredential(app, a.admin, added.id, added.version, { password: newer, otpSecret: null, notes: 'rack 2' });
    expect(changed).toMatchObject({ hasOtp: false, notes: 'rack 2', version: added.version + 1 });
    await expect(updateCredential(app, a.admin, added.id, added.version, { notes: 'stale' })).rejects.toMatchObject({ code: 'conflict' });
    expect((await revealCredential(app, a.admin, added.id, { ip: '127.0.0.1' })).password).toBe(newer);
    await expect(addCredential(app, a.admin, a.clientId, { name: '', password: '', otpSecret: 'not base32!' })).rejects.toMatchObject({
      code: 'invalid-input',
      details: [
        { path: 'name', message: 'must not be empty' },
        { path: 'password', message: 'must not be empty' },
        { path: 'otpSecret', message: 'must be a base32 seed or an otpauth:// URI' },
      ],
    });

    const text = await everyTable();
    const dump = await databaseDump();
    // The dump holds the vault (the search below could not pass by finding nothing at all).
    expect(dump.includes(added.id)).toBe(true);
    for (const s of SECRETS) {
      expect(text).not.toContain(s);
      expect(dump.includes(s)).toBe(false);
    }
    expect(text).not.toContain(seed);
    expect(dump.includes(seed)).toBe(false);
  });

  it('destroying one client’s data key makes its secrets unreadable and leaves every other client’s readable', async () => {
    const doomed = await newClient(a, 'Retention Over');
    const kept = await newClient(a, 'Still Here');
    const gone = await addCredential(app, a.admin, doomed, { name: 'M365 global admin', kind: 'cloud-console', password: secret('Gone') });
    const stays = await addCredential(app, a.admin, kept, { name: 'Switch', kind: 'network-device', password: secret('Stays') });
    await destroyDataKey(app, a.admin, doomed, 'retention ended');
    await expect(revealCredential(app, a.admin, gone.id, { ip: '127.0.0.1' })).rejects.toMatchObject({
      code: 'conflict',
      message: "this client's data key was destroyed: its credentials can no longer be read",
    });
    await expect(addCredential(app, a.admin, doomed, { name: 'New', password: 'x' })).rejects.toMatchObject({ code: 'conflict' });
    expect((await revealCredential(app, a.admin, stays.id, { ip: '127.0.0.1' })).password).toBe(SECRETS.at(-1));
    // What was held is still described, by its digest: the record says what existed.
    expect((await listCredentials(app, a.admin, doomed, {})).items).toMatchObject([{ name: 'M365 global admin' }]);
    // Even with the server's key, the sealed secret does not open: nothing is left to open it with.
    const row = (
      await database.query<{ wrapped_key: string | null }>('select wrapped_key from client_data_keys where client_id = $1', [doomed])
    )[0];
    expect(row?.wrapped_key).toBeNull();
    await expect(destroyDataKey(app, a.admin, doomed, 'again')).rejects.toMatchObject({ code: 'conflict' });
  });

  it('rotating the server’s key re-wraps every data key and touches no secret', async () => {
    const clientId = await newClient(a, 'Rotation Client');
    const credential = await addCredential(app, a.admin, clientId, { name: 'Registrar', kind: 'registrar', password: secret('Registrar') });
    const sealedBefore = await database.query<{ id: string; secret_sealed: string }>(
      'select id, secret_sealed from credentials order by id',
    );
    const keysBefore = await database.query<{ client_id: string; wrapped_key: string }>(
      'select client_id, wrapped_key from client_data_keys where wrapped_key is not null order by client_id',
    );
    const newKey = randomBytes(32);
    app.secrets = secretBoxFromKey(newKey, [serverKey]);
    const result = await rewrapDataKeys(app);
    expect(result.rewrapped).toBe(keysBefore.length);
    expect(await rewrapDataKeys(app)).toMatchObject({ rewrapped: 0 });
    expect(await database.query('select id, secret_sealed from credentials order by id')).toEqual(sealedBefore);
    const keysAfter = await database.query<{ client_id: string; wrapped_key: string; wrapped_by: string }>(
      'select client_id, wrapped_key, wrapped_by from client_data_keys where wrapped_key is not null order by client_id',
    );
    expect(keysAfter.every((k, i) => k.wrapped_key !== keysBefore[i]?.wrapped_key && k.wrapped_by === app.secrets?.keyId)).toBe(true);
    // The vault no longer needs the old key: the new one alone opens every secret, the old one alone none.
    app.secrets = secretBoxFromKey(newKey);
    expect((await revealCredential(app, a.admin, credential.id, { ip: '127.0.0.1' })).password).toBe(SECRETS.at(-1));
    app.secrets = secretBoxFromKey(serverKey);
    await expect(revealCredential(app, a.admin, credential.id, { ip: '127.0.0.1' })).rejects.toThrow();
    // Other values sealed before the rotation (the log's signing key) open with the older key, kept in the ring.
    app.secrets = secretBoxFromKey(newKey, [serverKey]);
  });

  it('completes the credential-inventory task when the last credential gets a disposition, on the inventory as evidence', async () => {
    const clientId = await newClient(a, 'Inventory Client');
    const o = await startOffboarding(app, a.admin, {
      clientId,
      type: 'provider-switch',
      noticeDate: '2026-03-02',
      endDate: '2026-03-31',
      newProvider: { name: 'Bluebird IT', contact: 'nina@bluebird.example' },
    });
    const task = (
      await database.query<{ id: string }>("select id from tasks where offboarding_id = $1 and key = 'credential-inventory'", [o.id])
    )[0]?.id as string;
    const made = [];
    for (const name of ['Domain admin', 'Backup service', 'RMM agent key'])
      made.push(await addCredential(app, a.admin, clientId, { name, password: secret(name.replace(/\W/g, '')) }));
    const tom = a.as('technician', a.users.technician);
    await expect(completeTask(app, tom, task, undefined, {})).rejects.toMatchObject({
      details: [{ path: 'credentials', message: '3 of 3 credentials have no disposition yet' }],
    });
    await expect(setDispositions(app, tom, clientId, { ids: [made[0]?.id as string], disposition: 'hand-over' })).rejects.toMatchObject({
      details: [{ path: 'recipient', message: 'is required: who receives it, the client or the new provider' }],
    });
    await expect(
      setDispositions(app, tom, clientId, { ids: [made[2]?.id as string], disposition: 'revoke', recipient: 'client' }),
    ).rejects.toMatchObject({ details: [{ path: 'recipient' }] });
    await expect(setDispositions(app, tom, clientId, { ids: ['nope'], disposition: 'revoke' })).rejects.toMatchObject({
      code: 'not-found',
    });
    const first = await setDispositions(app, tom, clientId, {
      ids: [made[0]?.id as string, made[1]?.id as string],
      disposition: 'rotate-then-hand-over',
      recipient: 'new-provider',
    });
    expect(first.items[0]?.dispositionInWords).toBe('change, then hand over to the new provider');
    expect(first.tasksCompleted).toBe(0);
    const last = await setDispositions(app, tom, clientId, { ids: [made[2]?.id as string], disposition: 'revoke' });
    expect(last.tasksCompleted).toBe(1);
    expect((await database.query<{ status: string }>('select status from tasks where id = $1', [task]))[0]?.status).toBe('done');
    const files = await database.query<{ filename: string; sha256: string }>('select filename, sha256 from evidence where task_id = $1', [
      task,
    ]);
    expect(files).toHaveLength(1);
    expect(files[0]?.filename).toMatch(/^credential-inventory-[0-9a-f]{12}\.csv$/);
    const event = await database.query<{ actor: string; canonical: string }>(
      "select actor, canonical from audit_events where action = 'task.completed' and subject_id = $1",
      [task],
    );
    expect(event[0]?.actor).toBe('system:credential-inventory');
    expect((JSON.parse(event[0]?.canonical as string) as { data: { inventory: unknown } }).data.inventory).toEqual({
      credentials: 3,
      toClient: 0,
      toNewProvider: 2,
      rotateThenHandOver: 2,
      revoke: 1,
      sha256: files[0]?.sha256,
    });
    // Rotation recorded before the hand-over: the same secret again is refused, a new one kept with the time.
    const sameAgain = SECRETS.at(-3) as string;
    await expect(recordRotation(app, tom, made[0]?.id as string, { password: sameAgain })).rejects.toMatchObject({
      details: [{ path: 'password' }],
    });
    const rotated = await recordRotation(app, tom, made[0]?.id as string, { password: secret('Rotated') });
    expect(rotated.rotatedAt).not.toBeNull();
    // A client without a new provider has nobody to hand over to but itself.
    const alone = await newClient(a, 'Insourcing Client');
    const c = await addCredential(app, a.admin, alone, { name: 'NAS', password: secret('Nas') });
    await expect(
      setDispositions(app, tom, alone, { ids: [c.id], disposition: 'hand-over', recipient: 'new-provider' }),
    ).rejects.toMatchObject({ code: 'conflict', details: [{ path: 'recipient' }] });
    await deleteCredential(app, a.admin, c.id);
    expect((await listCredentials(app, a.admin, alone, {})).items).toEqual([]);
    const { verifiedWords } = await import('../../../test/bundle-fixture.ts');
    const words = await verifiedWords(app, a.admin, o.id);
    expect(words).toMatch(
      /the credential inventory gives every one of its 3 credentials a disposition \(to the client 0, to the new provider 2, of which 2 changed first; revoked 1; inventory SHA-256 [0-9a-f]{16}\.\.\.\)/,
    );
    expect(words).toMatch(/offboard, once every credential had a disposition/);
    for (const s of SECRETS) expect(words).not.toContain(s);
  });
});

describe(`passwords set aside before the vault (${testDatabaseKind})`, () => {
  it('moves them into the vault, sealed with the client’s data key, and empties the intake; again, nothing happens', async () => {
    const clientId = await newClient(a, 'Intake Client');
    const password = secret('Intake');
    const box = app.secrets as NonNullable<typeof app.secrets>;
    await database.query(
      `insert into credential_intake (id, tenant_id, client_id, source, external_id, name, username, url, secret_sealed, created_at, updated_at)
       values ($1, $2, $3, 'itglue', 'password:77', 'Old firewall', 'admin', 'https://10.1.1.1', $4, now(), now())`,
      [crypto.randomUUID(), a.tenantId, clientId, box.seal(JSON.stringify({ password, otpSecret: 'JBSWY3DPEHPK3PXP' }))],
    );
    expect(await moveIntakeToVault(app)).toBe(1);
    expect(await database.query('select * from credential_intake')).toEqual([]);
    const [moved] = (await listCredentials(app, a.admin, clientId, {})).items;
    expect(moved).toMatchObject({ name: 'Old firewall', username: 'admin', source: 'itglue', externalId: 'password:77', hasOtp: true });
    expect(await revealCredential(app, a.admin, moved?.id as string, { ip: '127.0.0.1' })).toMatchObject({
      password,
      otpSecret: 'JBSWY3DPEHPK3PXP',
    });
    expect(await moveIntakeToVault(app)).toBe(0);
  });
});

describe(`credential imports (${testDatabaseKind})`, () => {
  it('imports Hudu asset passwords only (no asset is read), and again without duplicates; a changed secret is sealed anew', async () => {
    const clientId = await newClient(a, 'Hudu Client');
    const pw = [secret('Hudu-1'), secret('Hudu-2')];
    const lists = {
      companies: [{ id: 31, name: 'Hudu Client' }],
      assets: [{ id: 1, company_id: 31, name: 'should not be read' }],
      asset_passwords: [
        {
          id: 901,
          company_id: 31,
          name: 'Office 365 admin',
          username: 'admin@hudu.example',
          password: pw[0],
          password_folder_name: 'Cloud',
        },
        {
          id: 902,
          company_id: 31,
          name: 'Core switch',
          username: 'cisco',
          password: pw[1],
          otp_secret: 'JBSWY3DPEHPK3PXP',
          description: 'MDF',
        },
        { id: 903, company_id: 31, name: 'Empty one', password: '' },
      ],
    };
    const server = await huduServer(KEY, lists);
    servers.push(server);
    const done = await importNow(clientId, { source: 'hudu', url: `${server.url}/api/v1`, key: KEY });
    expect(done.status, JSON.stringify(done)).toBe('done');
    expect(done.target).toBe('credentials');
    expect(done.summary).toMatchObject({ created: 2, updated: 0, unchanged: 0, problems: 1 });
    expect(done.problems).toEqual([{ row: 'asset password 903', field: 'password', reason: 'is empty' }]);
    expect(server.requests.some((r) => r.startsWith('/api/v1/assets'))).toBe(false);
    const listed = (await listCredentials(app, a.admin, clientId, {})).items;
    expect(listed.map((c) => [c.name, c.kind, c.hasOtp, c.notes])).toEqual([
      ['Core switch', 'network-device', true, 'MDF'],
      ['Office 365 admin', 'cloud-console', false, null],
    ]);
    const changed = secret('Hudu-2b');
    const dry0 = JSON.stringify(await database.query('select * from credentials order by id'));
    lists.asset_passwords[1] = { ...lists.asset_passwords[1], password: changed } as (typeof lists.asset_passwords)[number];
    const dry = await importNow(clientId, { source: 'hudu', url: `${server.url}/api/v1`, key: KEY, dryRun: true });
    expect(dry.summary).toMatchObject({ created: 0, updated: 1, unchanged: 1 });
    expect(JSON.stringify(await database.query('select * from credentials order by id'))).toBe(dry0);
    const again = await importNow(clientId, { source: 'hudu', url: `${server.url}/api/v1`, key: KEY });
    expect(again.summary).toMatchObject({ created: 0, updated: 1, unchanged: 1 });
    const after = (await listCredentials(app, a.admin, clientId, {})).items;
    expect(after).toHaveLength(2);
    const core = after.find((c) => c.name === 'Core switch');
    expect((await revealCredential(app, a.admin, core?.id as string, { ip: '127.0.0.1' })).password).toBe(changed);
    const imported = await database.query<{ canonical: string }>(
      "select canonical from audit_events where action = 'credentials.imported'",
    );
    expect(imported.length).toBeGreaterThanOrEqual(2);
    for (const s of SECRETS) expect(JSON.stringify(imported)).not.toContain(s);
  });

  it('fetches an IT Glue password the list leaves out on its own page, reads ITFlow credentials, and a CSV file with a mapping', async () => {
    const clientId = await newClient(a, 'Glue Client');
    const hidden = secret('Glue-Hidden');
    const server = await itGlueServer(
      KEY,
      {
        '/organizations': [{ id: '77', attributes: { name: 'Glue Client' } }],
        '/organizations/77/relationships/configurations': [{ id: '1', attributes: { name: 'not read' } }],
        '/organizations/77/relationships/passwords': [
          { id: '601', attributes: { name: 'Domain admin', username: 'GLUE\\admin', 'password-category-name': 'Active Directory admin' } },
          { id: '602', attributes: { name: 'Gone since', username: 'x' } },
        ],
      },
      2,
      { '601': { name: 'Domain admin', username: 'GLUE\\admin', password: hidden } },
    );
    servers.push(server);
    const glue = await importNow(clientId, { source: 'itglue', url: server.url, key: KEY });
    expect(glue.status, JSON.stringify(glue)).toBe('done');
    expect(glue.summary).toMatchObject({ created: 1, problems: 1 });
    expect(glue.problems).toEqual([{ row: 'password 602', field: 'password', reason: 'is empty, even on its own page' }]);
    expect(server.requests).toContain('/passwords/601?show_password=true');
    expect(server.requests.some((r) => r.includes('configurations'))).toBe(false);
    const domainAdmin = (await listCredentials(app, a.admin, clientId, {})).items[0];
    expect(domainAdmin).toMatchObject({ name: 'Domain admin', kind: 'admin-account', source: 'itglue', externalId: 'password:601' });
    expect((await revealCredential(app, a.admin, domainAdmin?.id as string, { ip: '127.0.0.1' })).password).toBe(hidden);

    const flowPw = secret('Flow');
    const flow = await itFlowServer(KEY, {
      clients: [{ client_id: 5, client_name: 'Glue Client' }],
      assets: [{ asset_id: 1, asset_name: 'not read', asset_client_id: 5 }],
      credentials: [
        { credential_id: 71, credential_name: 'VPN', credential_username: 'vpnuser', credential_password: flowPw, credential_client_id: 5 },
        { credential_id: 72, credential_name: 'Other client', credential_password: 'x', credential_client_id: 6 },
      ],
    });
    servers.push(flow);
    const fromFlow = await importNow(clientId, { source: 'itflow', url: flow.url, key: KEY });
    expect(fromFlow.summary).toMatchObject({ created: 1, skipped: 1 });
    expect(flow.requests.some((r) => r.startsWith('/api/v1/assets'))).toBe(false);

    const csvPw = secret('Csv');
    const csv = new TextEncoder().encode(
      `System,Login,Secret,Type,Owner\nWi-Fi guest,,${csvPw},Wi-Fi,Client\nNo secret,someone,,Other,MSP\n`,
    );
    const uploaded = await uploadImportFile(app, a.admin, clientId, { kind: 'csv', section: 'credentials' }, csv);
    expect(uploaded.suggested).toMatchObject({ name: 'System', password: 'Secret', kind: 'Type', owner: 'Owner', username: 'Login' });
    const mapping = { name: 'System', username: 'Login', password: 'Secret', kind: 'Type', owner: 'Owner' };
    await expect(
      startCredentialImport(app, a.admin, clientId, { source: 'csv', file: uploaded.file, mapping: { name: 'System' } }),
    ).rejects.toMatchObject({
      details: [{ path: 'mapping.password', message: 'is required: which column holds the password' }],
    });
    const fromCsv = await importNow(clientId, { source: 'csv', file: uploaded.file, mapping });
    expect(fromCsv.summary).toMatchObject({ created: 1, problems: 1 });
    expect(fromCsv.problems).toEqual([{ row: 'row 3', field: 'Secret', reason: 'is empty' }]);
    const wifi = (await listCredentials(app, a.admin, clientId, { kind: 'wifi' })).items;
    expect(wifi).toMatchObject([{ name: 'Wi-Fi guest', owner: 'client', source: 'csv' }]);
    const text = await everyTable();
    for (const s of SECRETS) expect(text).not.toContain(s);
  });
});
