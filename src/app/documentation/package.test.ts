/**
 * The documentation package, on PGlite and PostgreSQL: what each audience's zip holds (every
 * manifest digest right, owners in separate folders, no MSP-internal item and no imported password
 * anywhere in its bytes, the PDF's text holding the section summaries), versions and their audit
 * events, the same bytes on every download, delivery in the portal (the new provider refused
 * before the authorization and given only its copy after it, the client seeing both), every
 * download recorded, and the client's signed acknowledgement completing the package task, as
 * verify then words it.
 */
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { unzipSync } from 'fflate';
import { extractText } from 'unpdf';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type SeededMsp, recordFromDocument, seedMsp, testApp } from '../../../test/app-fixture.ts';
import { testDatabaseKind } from '../../../test/db.ts';
import type { Database } from '../../storage/db.ts';
import { type App, transaction } from '../context.ts';
import { loadOffboarding } from '../offboardings/offboarding-facts.ts';
import { startOffboarding } from '../offboardings/start-offboarding.ts';
import { ensureParties } from '../portal/parties.ts';
import type { PortalActor } from '../portal/portal-access.ts';
import { previewStatement, signStatement } from '../portal/sign-statement.ts';
import { completeTask } from '../tasks/complete-task.ts';
import { buildPackage } from './build-package.ts';
import { bulkUpdateDocumentation } from './bulk-update-items.ts';
import { createDocumentationItem } from './create-item.ts';
import { downloadPackage, downloadPortalPackage } from './download-package.ts';
import { listPackages } from './list-packages.ts';
import { listPortalPackages } from './list-portal-packages.ts';
import { listDocumentation } from './list-items.ts';
import { runDocumentationImport } from './run-import.ts';
import { startDocumentationImport } from './start-import.ts';
import { uploadDocumentationFile } from './upload-documentation-file.ts';
import { uploadImportFile } from './upload-import-file.ts';

let app: App;
let database: Database;
let a: SeededMsp;
let b: SeededMsp;
const req = { ip: '203.0.113.9', userAgent: 'test-browser' };
const PASSWORD = 'Imported-Router-Pw-5150!';
const INTERNAL = 'MSP-ONLY-escalation-notes-7731';
const INTERNAL_FILE = 'internal-file-bytes-99c1d';

beforeAll(async () => {
  ({ app, database } = await testApp());
  a = await seedMsp(app, 'MSP A');
  b = await seedMsp(app, 'MSP B');
});
afterAll(async () => {
  await database.close();
});

const bytes = async (pieces: AsyncIterable<Uint8Array>): Promise<Uint8Array> => {
  const parts: Uint8Array[] = [];
  for await (const p of pieces) parts.push(p);
  return new Uint8Array(Buffer.concat(parts));
};
const sha = (b: Uint8Array) => createHash('sha256').update(b).digest('hex');
type Manifest = {
  package: Record<string, unknown>;
  files: { path: string; sha256: string; size: number; section: string | null; owner: string | null }[];
};

async function partiesOf(offboardingId: string): Promise<Record<'client' | 'new-provider', PortalActor>> {
  const o = (await loadOffboarding(database.db, a.tenantId, offboardingId)).offboarding;
  const rows = await transaction(app, (tx) => ensureParties(tx, o, app.clock().toISOString()));
  const actor = (side: 'client' | 'new-provider'): PortalActor => {
    const p = rows.find((r) => r.side === side);
    if (!p) throw new Error(`no ${side} party`);
    return {
      tenantId: a.tenantId,
      offboardingId,
      partyId: p.id,
      side,
      name: p.name,
      email: p.email,
      canSign: side === 'new-provider' || p.canSign,
      sessionHash: 'a'.repeat(64),
      linkHash: 'b'.repeat(64),
    };
  };
  return { client: actor('client'), 'new-provider': actor('new-provider') };
}

async function acknowledge(actor: PortalActor, packageId: string) {
  const details = { signerName: actor.name, packageId };
  const preview = await previewStatement(app, actor, 'package-receipt', details);
  return {
    preview,
    signed: await signStatement(
      app,
      actor,
      'package-receipt',
      { ...details, statementSha256: preview.statementSha256, intent: true, consent: true },
      req,
    ),
  };
}

describe(`the documentation package (${testDatabaseKind})`, () => {
  let offboardingId = '';
  let parties: Record<'client' | 'new-provider', PortalActor>;
  const clientZips: Uint8Array[] = [];

  it('is refused until the ownership register is complete, then built with every file listed and digested in its manifest', async () => {
    const clientId = a.clientId;
    const o = await startOffboarding(app, a.admin, {
      clientId,
      type: 'provider-switch',
      noticeDate: '2026-03-02',
      endDate: '2026-03-31',
      newProvider: { name: 'Northwind IT', contact: 'transition@northwind.example' },
    });
    offboardingId = o.id;
    parties = await partiesOf(o.id);
    const add = (input: Parameters<typeof createDocumentationItem>[3]) => createDocumentationItem(app, a.admin, clientId, input);
    await add({ section: 'devices', name: 'HQ-FW01', owner: 'client', fields: { type: 'Firewall', ip: '10.0.0.1', hostname: 'fw01' } });
    await add({ section: 'devices', name: 'HQ-SRV01', owner: 'client', fields: { type: 'Server', ip: '10.0.0.10' } });
    await add({
      section: 'networks',
      name: 'Office LAN',
      owner: 'client',
      fields: { vlan: '10', subnet: '10.0.0.0/24', gateway: '10.0.0.1' },
    });
    await add({ section: 'vendors', name: 'Dental software vendor', owner: 'third-party', fields: { supportPhone: '+1 555 0100' } });
    await add({ section: 'licenses', name: 'MSP RMM seat', owner: 'msp', fields: { product: 'RMM', quantity: 12 } });
    await add({ section: 'runbooks', name: 'Restore a backup', owner: 'client', fields: { body: '1. Open the console\n2. Restore' } });
    await add({ section: 'applications', name: INTERNAL, owner: 'msp', mspInternal: true });
    await uploadDocumentationFile(
      app,
      a.admin,
      clientId,
      { filename: 'network-diagram.pdf', mediaType: 'application/pdf', owner: 'client', description: 'The office network' },
      new TextEncoder().encode('%PDF-1.4 diagram of the office network'),
    );
    await uploadDocumentationFile(
      app,
      a.admin,
      clientId,
      { filename: 'msp-runbook.txt', mediaType: 'text/plain', owner: 'msp', mspInternal: true },
      new TextEncoder().encode(INTERNAL_FILE),
    );
    // A password found by an import goes to the credential intake, never into a package.
    const csv = new TextEncoder().encode(`Name,IP,Password\nCORE-SW01,10.0.0.2,${PASSWORD}\n`);
    const upload = await uploadImportFile(app, a.admin, clientId, { kind: 'csv', section: 'devices' }, csv);
    const started = await startDocumentationImport(app, a.admin, clientId, {
      source: 'csv',
      file: upload.file,
      section: 'devices',
      mapping: { name: 'Name', password: 'Password', fields: { ip: 'IP' } },
    });
    await runDocumentationImport(app, a.tenantId, started.id);

    await expect(buildPackage(app, a.admin, o.id, { audience: 'client' })).rejects.toMatchObject({
      code: 'conflict',
      details: [{ path: 'documentation', message: '1 of 10 documentation items have no owner yet' }],
    });
    const unowned = (await listDocumentation(app, a.admin, clientId, { owner: 'none' })).items.map((i) => i.id);
    await bulkUpdateDocumentation(app, a.admin, clientId, { ids: unowned, owner: 'client' });
    await expect(buildPackage(app, a.admin, o.id, { audience: 'everyone' })).rejects.toMatchObject({ details: [{ path: 'audience' }] });

    const [built] = await buildPackage(app, a.admin, o.id, { audience: 'client' });
    expect(built).toMatchObject({ audience: 'client', version: 1 });
    const zip = await bytes((await downloadPackage(app, a.admin, built?.id as string, req)).pieces);
    clientZips.push(zip);
    expect(sha(zip)).toBe(built?.sha256);
    expect(zip.length).toBe(built?.size);
    // Another zip reader checks every entry's CRC-32 (Python's zipfile, as on most machines).
    const path = join(mkdtempSync(join(tmpdir(), 'offboard-package-')), 'package.zip');
    writeFileSync(path, zip);
    const checked = spawnSync(
      'python3',
      ['-c', 'import sys, zipfile; z = zipfile.ZipFile(sys.argv[1]); print(z.testzip(), len(z.namelist()))', path],
      {
        encoding: 'utf8',
      },
    );
    expect(checked.stdout.trim(), checked.stderr).toBe(`None ${built?.entries.length}`);
    const files = unzipSync(zip);
    const manifest = JSON.parse(new TextDecoder().decode(files['manifest.json'])) as Manifest;
    expect(sha(files['manifest.json'] as Uint8Array)).toBe(built?.manifestSha256);
    expect(Object.keys(files).sort()).toEqual([...manifest.files.map((f) => f.path), 'manifest.json'].sort());
    for (const f of manifest.files) {
      expect(sha(files[f.path] as Uint8Array), f.path).toBe(f.sha256);
      expect(files[f.path]?.length, f.path).toBe(f.size);
    }
    // Client-owned, MSP-owned and third-party items each in their own folder.
    expect(manifest.files.filter((f) => f.owner === 'client').every((f) => f.path.startsWith('client-owned/'))).toBe(true);
    expect(manifest.files.filter((f) => f.owner === 'msp').map((f) => f.path)).toEqual([
      'msp-owned/licenses.csv',
      'msp-owned/licenses.json',
    ]);
    expect(manifest.files.filter((f) => f.owner === 'third-party').every((f) => f.path.startsWith('third-party-owned/'))).toBe(true);
    expect(files['client-owned/files/network-diagram.pdf']).toBeDefined();
    expect(new TextDecoder().decode(files['client-owned/runbooks/Restore a backup.md'])).toContain('2. Restore');
    expect(new TextDecoder().decode(files['client-owned/devices.csv'])).toContain('HQ-FW01,Firewall,,,,,fw01,10.0.0.1');
    // Neither the MSP-internal items nor the imported password, anywhere in the bytes.
    const text = Buffer.from(zip).toString('latin1');
    for (const secret of [INTERNAL, INTERNAL_FILE, PASSWORD]) expect(text).not.toContain(secret);
    const pdf = (await extractText(new Uint8Array(files['documentation.pdf'] as Uint8Array), { mergePages: true })).text;
    expect(pdf).toContain('Documentation of Harbor Dental Group');
    expect(pdf).toContain('Devices and assets: 3 items (the client 3). 3 with an IP address, listed in the IP table.');
    expect(pdf).toContain('Vendors and contacts: 1 item (third parties 1).');
    expect(pdf).toContain('Licenses and subscriptions: 1 item (the MSP 1).');
    expect(pdf).toMatch(/Network table[\s\S]*Office LAN[\s\S]*10\.0\.0\.0\/24/);
    expect(pdf).toMatch(/IP table[\s\S]*10\.0\.0\.1[\s\S]*10\.0\.0\.2[\s\S]*10\.0\.0\.10/);
    expect(pdf).not.toContain(INTERNAL);
  });

  it('gives the same bytes on every download, and records each; a rebuild is a new version with its own audit event', async () => {
    const [first] = (await listPackages(app, a.admin, offboardingId)).packages;
    const again = await bytes((await downloadPackage(app, a.admin, first?.id as string, req)).pieces);
    expect(Buffer.from(again).equals(Buffer.from(clientZips[0] as Uint8Array))).toBe(true);
    expect((await listPackages(app, a.admin, offboardingId)).packages[0]?.downloads).toEqual([
      { by: 'Ada Admin', at: expect.any(String) as string, ip: req.ip },
      { by: 'Ada Admin', at: expect.any(String) as string, ip: req.ip },
    ]);
    const events = await database.query<{ canonical: string }>(
      "select canonical from audit_events where action = 'package.built' and offboarding_id = $1 order by seq",
      [offboardingId],
    );
    expect(events.map((e) => (JSON.parse(e.canonical) as { data: { version: number; manifestSha256: string } }).data)).toEqual([
      expect.objectContaining({ audience: 'client', version: 1, manifestSha256: first?.manifestSha256, sha256: first?.sha256 }),
    ]);
    await expect(listPackages(app, b.admin, offboardingId)).rejects.toMatchObject({ code: 'not-found' });
    await expect(downloadPackage(app, b.admin, first?.id as string, req)).rejects.toMatchObject({ code: 'not-found' });
  });

  it('ends the database read when a download stops early: a dozen cut-off downloads leave the pool to serve the next whole', async () => {
    const [p] = (await listPackages(app, a.admin, offboardingId)).packages;
    for (let i = 0; i < 12; i++) {
      const pieces = (await downloadPackage(app, a.admin, p?.id as string, req)).pieces[Symbol.asyncIterator]();
      await pieces.next();
      await pieces.return?.();
    }
    const whole = await bytes((await downloadPackage(app, a.admin, p?.id as string, req)).pieces);
    expect(sha(whole)).toBe(p?.sha256);
  });

  it('goes to the new provider only after the client’s authorization, with only its copy; the client’s copy is built with it', async () => {
    await expect(buildPackage(app, a.admin, offboardingId, { audience: 'new-provider' })).rejects.toMatchObject({
      details: [{ path: 'gates.authorization', message: 'no authorization covering documentation is on file' }],
    });
    await expect(listPortalPackages(app, parties['new-provider'])).rejects.toMatchObject({ code: 'forbidden' });
    await recordFromDocument(app, a.admin, offboardingId, 'authorization', { scopes: ['credentials'] });
    // Authorized, but not for the documentation.
    await expect(listPortalPackages(app, parties['new-provider'])).rejects.toMatchObject({ code: 'forbidden' });
    await recordFromDocument(app, a.admin, offboardingId, 'authorization', { scopes: ['documentation', 'credentials'] });
    const built = await buildPackage(app, a.admin, offboardingId, { audience: 'new-provider' });
    expect(built.map((p) => [p.audience, p.version])).toEqual([
      ['new-provider', 1],
      ['client', 2],
    ]);
    // Each side hears of its copy; the client's says the new provider's was built with it.
    const told = await database.query<{ recipient: string; subject: string; body: string }>(
      "select recipient, subject, body from notifications where kind = 'package-ready' and offboarding_id = $1 order by recipient, subject",
      [offboardingId],
    );
    expect(
      told.map((t) => [t.recipient, t.subject.replace('MSP A: the documentation package of Harbor Dental Group is ready ', '')]),
    ).toEqual([
      ['carla@harbor.example', '(version 1)'],
      ['carla@harbor.example', '(version 2)'],
      ['transition@northwind.example', '(version 1)'],
    ]);
    expect(told[0]?.body).not.toContain('receives its own copy');
    expect(told[1]?.body).toContain(
      'Northwind IT receives its own copy at the same time (its version 1), holding only what you authorized',
    );
    expect(told[2]?.body).toContain(`The zip's SHA-256 is ${built[0]?.sha256}.`);
    const seen = await listPortalPackages(app, parties['new-provider']);
    expect(seen.packages.map((p) => [p.audience, p.version])).toEqual([['new-provider', 1]]);
    const clientCopy = await listPortalPackages(app, parties.client);
    expect(clientCopy.packages.map((p) => [p.audience, p.version]).sort()).toEqual([
      ['client', 1],
      ['client', 2],
      ['new-provider', 1],
    ]);
    const clientV1 = clientCopy.packages.find((p) => p.audience === 'client' && p.version === 1);
    await expect(downloadPortalPackage(app, parties['new-provider'], clientV1?.id as string, req)).rejects.toMatchObject({
      code: 'not-found',
    });
    const npZip = unzipSync(await bytes((await downloadPortalPackage(app, parties['new-provider'], built[0]?.id as string, req)).pieces));
    const clientZip = unzipSync(await bytes((await downloadPortalPackage(app, parties.client, built[1]?.id as string, req)).pieces));
    const npPaths = Object.keys(npZip);
    expect(npPaths.some((p) => p.startsWith('msp-owned/'))).toBe(false);
    // Everything the new provider received, the client received too, byte for byte.
    for (const path of npPaths.filter((p) => p.includes('/')))
      expect(Buffer.from(clientZip[path] as Uint8Array).equals(Buffer.from(npZip[path] as Uint8Array)), path).toBe(true);
    const pdf = (await extractText(new Uint8Array(npZip['documentation.pdf'] as Uint8Array), { mergePages: true })).text;
    expect(pdf).toContain('Harbor Dental Group authorized MSP A to hand you the documentation');
    const downloads = await database.query<{ actor: string; ip: string }>('select actor, ip from package_downloads where package_id = $1', [
      built[0]?.id,
    ]);
    expect(downloads).toEqual([{ actor: `party:${parties['new-provider'].partyId}`, ip: req.ip }]);
  });

  it('completes the package task on the client’s signed acknowledgement, and verify says which package, who took it and who acknowledged it', async () => {
    const loaded = await loadOffboarding(database.db, a.tenantId, offboardingId);
    const task = loaded.tasks.find((t) => t.key === 'documentation-package');
    expect(task?.status).toBe('ready');
    await expect(completeTask(app, a.admin, task?.id as string, undefined, {})).rejects.toMatchObject({
      details: [{ path: 'documentation', message: expect.stringContaining('the client has not acknowledged receipt') as string }],
    });
    const listed = await listPortalPackages(app, parties.client);
    const v2 = listed.packages.find((p) => p.audience === 'client' && p.version === 2);
    expect(listed.toAcknowledge).toBe(v2?.id);
    // Only a package this side downloaded: the new provider's copy is not the client's to acknowledge.
    const npId = listed.packages.find((p) => p.audience === 'new-provider')?.id as string;
    await expect(acknowledge(parties.client, npId)).rejects.toMatchObject({ details: [{ path: 'packageId' }] });
    const { preview } = await acknowledge(parties.client, v2?.id as string);
    expect(preview.text).toContain(
      `Harbor Dental Group acknowledges that it received from MSP A version 2 of the documentation package of Harbor Dental Group, the copy prepared for Harbor Dental Group: a zip file of ${v2?.files} files with the SHA-256 ${v2?.sha256}, whose manifest.json has the SHA-256 ${v2?.manifestSha256}.`,
    );
    expect((await listPortalPackages(app, parties.client)).toAcknowledge).toBeNull();
    const after = (await loadOffboarding(database.db, a.tenantId, offboardingId)).tasks.find((t) => t.key === 'documentation-package');
    expect(after?.status).toBe('done');
    const evidence = await database.query<{ filename: string; sha256: string }>(
      'select filename, sha256 from evidence where task_id = $1',
      [task?.id],
    );
    expect(evidence).toEqual([{ filename: 'manifest-v2.json', sha256: v2?.manifestSha256 }]);
    // The new provider acknowledges its own copy.
    const npAck = await acknowledge(parties['new-provider'], npId);
    expect(npAck.preview.text).toContain('Northwind IT acknowledges that it received from MSP A version 1');

    const { verifiedWords } = await import('../../../test/bundle-fixture.ts');
    const words = await verifiedWords(app, a.admin, offboardingId);
    expect(words).toContain(
      `package v2 (sha256 ${v2?.sha256.slice(0, 16)}...) downloaded by Carla Client on 2026-03-02, receipt acknowledged by Carla Client on 2026-03-02`,
    );
    expect(words).toContain("the new provider's copy v1");
    expect(words).toMatch(/documentation package v2 for the client built: \d+ files/);
    expect(words).toContain('offboard, on the client’s acknowledgement of receipt');
  });
});
