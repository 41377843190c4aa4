/**
 * The credential hand-over in the portal, at the use-case level on PGlite and PostgreSQL: the new
 * provider gets nothing before the authorization and then only its own; the client gets
 * everything the new provider gets; each secret is shown once; the age export decrypts with the
 * library; a credential to be changed waits for the change; the recipients' signed receipts
 * complete `credential-transfer` on the hand-over record; changes are confirmed.
 */
import { Decrypter, generateIdentity, identityToRecipient } from 'age-encryption';
import { parse } from 'csv-parse/sync';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type SeededMsp, recordFromDocument, seedMsp, testApp } from '../../../test/app-fixture.ts';
import { testDatabaseKind } from '../../../test/db.ts';
import type { Database } from '../../storage/db.ts';
import type { App } from '../context.ts';
import { startOffboarding } from '../offboardings/start-offboarding.ts';
import { completeTask } from '../tasks/complete-task.ts';
import { loadOffboarding } from '../offboardings/offboarding-facts.ts';
import { credentialFollowUps } from './credential-follow-ups.ts';
import { inviteParty } from '../portal/invite-party.ts';
import type { PortalActor } from '../portal/portal-access.ts';
import { previewStatement, signStatement } from '../portal/sign-statement.ts';
import { addCredential } from './add-credential.ts';
import { listPortalCredentials } from './list-portal-credentials.ts';
import { confirmChanged, exportFromPortal, revealInPortal } from './portal-handover.ts';
import { recordRotation } from './record-rotation.ts';
import { setDispositions } from './set-dispositions.ts';

let app: App;
let database: Database;
let a: SeededMsp;
const req = { ip: '203.0.113.9', userAgent: 'test browser' };
const PW = {
  toNewProvider: 'Np-Firewall-Admin-7a2c',
  toClient: 'Client-Nas-Root-19bd',
  rotateFirst: 'M365-Global-Old-55ee',
  rotated: 'M365-Global-New-91fa',
  revoked: 'Msp-Rmm-Key-0c0c',
};

beforeAll(async () => {
  ({ app, database } = await testApp());
  a = await seedMsp(app, 'Hand-over MSP');
});
afterAll(async () => {
  await database.close();
});

const actorOf = (partyId: string, offboardingId: string, side: 'client' | 'new-provider', canSign = true): PortalActor => ({
  tenantId: a.tenantId,
  offboardingId,
  partyId,
  side,
  name: side === 'client' ? 'Carla Client' : 'Nina Bluebird',
  email: side === 'client' ? 'carla@harbor.example' : 'nina@bluebird.example',
  canSign,
  sessionHash: 'no-session',
  linkHash: 'no-link',
});

async function acknowledge(actor: PortalActor, signerName: string) {
  const listed = await listPortalCredentials(app, actor);
  const credentialsSha256 = listed.toAcknowledge?.sha256 as string;
  expect(credentialsSha256).toMatch(/^[0-9a-f]{64}$/);
  const preview = await previewStatement(app, actor, 'credentials-receipt', { signerName, credentialsSha256 });
  expect(preview.text).toContain(`the ${listed.toAcknowledge?.count} credentials of Harbor Dental Group handed over to it`);
  return signStatement(
    app,
    actor,
    'credentials-receipt',
    { signerName, credentialsSha256, statementSha256: preview.statementSha256, intent: true, consent: true },
    req,
  );
}

describe(`credentials in the portal (${testDatabaseKind})`, () => {
  it('hands over each side its own, the client everything; each secret once; the export decrypts; receipts complete the transfer', async () => {
    const o = await startOffboarding(app, a.admin, {
      clientId: a.clientId,
      type: 'provider-switch',
      noticeDate: '2026-03-02',
      endDate: '2026-03-31',
      newProvider: { name: 'Bluebird IT', contact: 'nina@bluebird.example' },
    });
    const am = a.as('account-manager', a.users.accountManager);
    const clientParty = (
      await inviteParty(app, am, o.id, { side: 'client', name: 'Carla Client', email: 'carla@harbor.example', canSign: true })
    ).partyId;
    const viewerParty = (
      await inviteParty(app, am, o.id, { side: 'client', name: 'Vic Viewer', email: 'vic@harbor.example', canSign: false })
    ).partyId;
    const npParty = (await inviteParty(app, am, o.id, { side: 'new-provider', name: 'Nina Bluebird', email: 'nina@bluebird.example' }))
      .partyId;
    const carla = actorOf(clientParty, o.id, 'client');
    const vic = actorOf(viewerParty, o.id, 'client', false);
    const nina = actorOf(npParty, o.id, 'new-provider');

    const add = (name: string, password: string) => addCredential(app, a.admin, a.clientId, { name, password });
    const fw = await add('Firewall admin', PW.toNewProvider);
    const nas = await add('NAS root', PW.toClient);
    const m365 = await add('M365 global admin', PW.rotateFirst);
    const rmm = await add('RMM API key', PW.revoked);
    const tom = a.as('technician', a.users.technician);
    await setDispositions(app, tom, a.clientId, { ids: [fw.id], disposition: 'hand-over', recipient: 'new-provider' });
    await setDispositions(app, tom, a.clientId, { ids: [nas.id], disposition: 'hand-over', recipient: 'client' });
    await setDispositions(app, tom, a.clientId, { ids: [m365.id], disposition: 'rotate-then-hand-over', recipient: 'new-provider' });
    await setDispositions(app, tom, a.clientId, { ids: [rmm.id], disposition: 'revoke' });

    // Before the authorization: the new provider is kept out; the client sees what is handed over, never the revoked key.
    await expect(listPortalCredentials(app, nina)).rejects.toMatchObject({ code: 'forbidden' });
    await expect(revealInPortal(app, nina, fw.id, req)).rejects.toMatchObject({ code: 'forbidden' });
    const early = await listPortalCredentials(app, carla);
    expect(early.items.map((i) => [i.name, i.state, i.to])).toEqual([
      ['Firewall admin', 'available', 'new-provider'],
      ['M365 global admin', 'waiting-for-change', 'new-provider'],
      ['NAS root', 'available', 'client'],
    ]);
    await expect(revealInPortal(app, carla, m365.id, req)).rejects.toMatchObject({ code: 'conflict' });
    await expect(revealInPortal(app, carla, rmm.id, req)).rejects.toMatchObject({ code: 'not-found' });
    await expect(revealInPortal(app, vic, nas.id, req)).rejects.toMatchObject({ code: 'forbidden' });
    expect((await listPortalCredentials(app, vic)).toAcknowledge).toBeNull();

    await recordFromDocument(app, a.admin, o.id, 'authorization');
    // The authorization on file backs its task; the transfer can start once it is done.
    const authorizationTask = (
      await database.query<{ id: string }>("select id from tasks where offboarding_id = $1 and key = 'client-authorization'", [o.id])
    )[0]?.id as string;
    await completeTask(app, a.admin, authorizationTask, undefined, {});
    expect(
      (await credentialFollowUps(database.db, [await loadOffboarding(database.db, a.tenantId, o.id)])).get(o.id)?.rotationsPending,
    ).toBe(1);
    await recordRotation(app, tom, m365.id, { password: PW.rotated });
    const forNina = await listPortalCredentials(app, nina);
    expect(forNina.items.map((i) => [i.name, i.state])).toEqual([
      ['Firewall admin', 'available'],
      ['M365 global admin', 'available'],
    ]);
    await expect(revealInPortal(app, nina, nas.id, req)).rejects.toMatchObject({ code: 'not-found' });

    const shown = await revealInPortal(app, nina, fw.id, req);
    expect(shown.password).toBe(PW.toNewProvider);
    await expect(revealInPortal(app, nina, fw.id, req)).rejects.toMatchObject({
      code: 'conflict',
      // eslint-disable-next-line @typescript-eslint/no-unsafe-assignment -- vitest's asymmetric matcher
      details: [{ path: 'id', message: expect.stringContaining('download the encrypted export') }],
    });
    const identity = await generateIdentity();
    await expect(exportFromPortal(app, nina, { recipient: 'age1nope' }, req)).rejects.toMatchObject({ details: [{ path: 'recipient' }] });
    await expect(exportFromPortal(app, nina, {}, req)).rejects.toMatchObject({ details: [{ path: 'passphrase' }] });
    const exported = await exportFromPortal(app, nina, { recipient: await identityToRecipient(identity) }, req);
    expect(exported.count).toBe(2);
    const decrypter = new Decrypter();
    decrypter.addIdentity(identity);
    const rows = parse<Record<string, string>>(await decrypter.decrypt(exported.bytes, 'text'), { columns: true });
    expect(rows.map((r) => [r.name, r.password])).toEqual([
      ['Firewall admin', PW.toNewProvider],
      ['M365 global admin', PW.rotated],
    ]);
    for (const secret of Object.values(PW)) expect(Buffer.from(exported.bytes).includes(secret)).toBe(false);

    // The client takes everything the new provider took, and its own.
    const passphrase = 'correct horse battery staple 42';
    const clientCopy = await exportFromPortal(app, carla, { passphrase }, req);
    const byPassphrase = new Decrypter();
    byPassphrase.addPassphrase(passphrase);
    const clientRows = parse<Record<string, string>>(await byPassphrase.decrypt(clientCopy.bytes, 'text'), { columns: true });
    expect(clientRows.map((r) => r.password).sort()).toEqual([PW.toClient, PW.toNewProvider, PW.rotated].sort());

    // Acknowledgements: the new provider's alone does not complete the transfer; the client's does.
    const task = async () =>
      (
        await database.query<{ id: string; status: string }>(
          "select id, status from tasks where offboarding_id = $1 and key = 'credential-transfer'",
          [o.id],
        )
      )[0];
    await acknowledge(nina, 'Nina Bluebird');
    expect((await listPortalCredentials(app, nina)).toAcknowledge).toBeNull();
    expect((await task())?.status).not.toBe('done');
    await acknowledge(carla, 'Carla Client');
    const done = await task();
    expect(done?.status).toBe('done');
    const completed = await database.query<{ actor: string; canonical: string }>(
      "select actor, canonical from audit_events where action = 'task.completed' and subject_id = $1",
      [done?.id],
    );
    expect(completed[0]?.actor).toBe('system:credentials-receipt');
    const data = (JSON.parse(completed[0]?.canonical as string) as { data: { credentialsReceived: Record<string, unknown> } }).data;
    expect(data.credentialsReceived).toMatchObject({
      client: { by: 'Carla Client', count: 3 },
      newProvider: { by: 'Nina Bluebird', count: 2 },
      // eslint-disable-next-line @typescript-eslint/no-unsafe-assignment -- vitest's asymmetric matcher
      recordSha256: expect.stringMatching(/^[0-9a-f]{64}$/),
    });
    const evidence = await database.query<{ filename: string }>('select filename from evidence where task_id = $1', [done?.id]);
    expect(evidence.map((e) => e.filename)).toEqual([expect.stringMatching(/^credential-handover-[0-9a-f]{12}\.csv$/)]);

    // What the scheduler's policy reads: each side's credentials taken and not confirmed changed.
    const followUps = async () =>
      (await credentialFollowUps(database.db, [await loadOffboarding(database.db, a.tenantId, o.id)])).get(o.id);
    expect(await followUps()).toEqual({
      credentialChanges: [
        { party: 'client', since: '2026-03-02', count: 1 },
        { party: 'new-provider', since: '2026-03-02', count: 2 },
      ],
      rotationsPending: 0,
    });
    // Changes confirmed by whom each was handed to; the client may confirm any.
    await expect(confirmChanged(app, nina, { ids: [nas.id] }, req)).rejects.toMatchObject({ details: [{ path: 'ids[0]' }] });
    expect(await confirmChanged(app, nina, { all: true }, req)).toEqual({ confirmed: 2 });
    expect(await confirmChanged(app, nina, { all: true }, req)).toEqual({ confirmed: 0 });
    expect(await confirmChanged(app, carla, { ids: [nas.id] }, req)).toEqual({ confirmed: 1 });
    expect((await listPortalCredentials(app, carla)).items.every((i) => i.changedAt !== null)).toBe(true);
    expect(await followUps()).toEqual({ credentialChanges: [], rotationsPending: 0 });

    // verify tells each credential's fate, from the events alone.
    const { verifiedWords } = await import('../../../test/bundle-fixture.ts');
    const words = await verifiedWords(app, a.admin, o.id);
    expect(words).toContain(
      'credential "Firewall admin": hand over to the new provider; shown once in the portal to the new provider on 2026-03-02; exported, encrypted with age, to the new provider on 2026-03-02; exported, encrypted with age, to the client on 2026-03-02; confirmed changed by the new provider on 2026-03-02',
    );
    expect(words).toContain(
      'credential "M365 global admin": change, then hand over to the new provider; changed at its system on 2026-03-02; exported, encrypted with age, to the new provider on 2026-03-02',
    );
    expect(words).toContain('credential "RMM API key": revoke (the MSP\'s own access)');
    expect(words).toMatch(
      /"Hand over the credentials the client keeps" marked done with 1 evidence file; authorization: .*; credentials received, in the recipients' own words: the client: 3 acknowledged by Carla Client on 2026-03-02 \(list SHA-256 [0-9a-f]{16}\.\.\.\); the new provider: 2 acknowledged by Nina Bluebird on 2026-03-02 \(list SHA-256 [0-9a-f]{16}\.\.\.\); hand-over record SHA-256 [0-9a-f]{16}\.\.\. \[credential-transfer\]/,
    );
    expect(words).toContain('offboard, on the recipients’ acknowledgements of the credentials');
    for (const secret of Object.values(PW)) expect(words).not.toContain(secret);
    const revealed = await database.query<{ canonical: string }>(
      "select canonical from audit_events where action = 'credential.revealed-in-portal'",
    );
    expect(revealed).toHaveLength(1);
    expect(revealed[0]?.canonical).toContain('203.0.113.9');
    const everything =
      JSON.stringify(await database.query('select * from audit_events')) +
      JSON.stringify(await database.query('select * from credential_handovers')) +
      JSON.stringify(await database.query('select * from attestations')) +
      JSON.stringify(await database.query('select * from credentials'));
    for (const secret of [...Object.values(PW), passphrase]) expect(everything).not.toContain(secret);
  });
});
