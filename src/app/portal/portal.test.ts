/**
 * The portal end to end at the use-case level, on PGlite and PostgreSQL, with a real SMTP server:
 * the client's signer is invited when the offboarding opens, opens the emailed link once, signs the
 * authorization; only then is the new provider invited, the client copied; a withdrawal closes the
 * gate again. Links are stored hashed, single use and expiring; link requests answer the same for
 * known and unknown addresses and are rate limited.
 */
import { createHash } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type WorkerHarness, workerHarness } from '../../../test/worker-fixture.ts';
import { type ReceivedMailWithFrom, startSmtp } from '../../../test/smtp-fixture.ts';
import { testDatabaseKind } from '../../../test/db.ts';
import { type Mailer, createMailer } from '../../integrations/email/mailer.ts';
import { getPortalView } from './get-portal-view.ts';
import { inviteParty } from './invite-party.ts';
import { listParties } from './list-parties.ts';
import { type PortalActor, openPortalLink, portalActorForSession, requestPortalLink, LINK_REQUESTS_PER_ADDRESS } from './portal-access.ts';
import { previewStatement, signStatement } from './sign-statement.ts';
import { revokePartyAccess } from './revoke-party-access.ts';
import { completeTask } from '../tasks/complete-task.ts';
import { attachProof } from '../../../test/app-fixture.ts';
import { waiveTask } from '../tasks/waive-task.ts';
import { proposeEarlyCutover } from '../offboardings/propose-early-cutover.ts';
import { uploadPortalFile } from './upload-portal-file.ts';
import { requestSigningCode } from './signing-code.ts';
import { configurePortal } from '../settings/configure-portal.ts';
import { postMessage } from './post-message.ts';
import { postPortalMessage } from './post-portal-message.ts';
import { listPortalMessages } from './list-messages.ts';

let h: WorkerHarness;
let smtp: Awaited<ReturnType<typeof startSmtp>>;
let mailer: Mailer;
const req = { ip: '203.0.113.7', userAgent: 'Mozilla/5.0 (iPhone) test' };

beforeAll(async () => {
  smtp = await startSmtp(() => h.clock());
  mailer = createMailer({ url: smtp.url, from: 'Acme MSP <offboarding@acme.example>' });
  h = await workerHarness({ mailer, portal: true });
});
afterAll(async () => {
  mailer.close();
  await h.close();
  await smtp.close();
});

const mailsTo = (address: string): ReceivedMailWithFrom[] => smtp.received.filter((m) => m.to.includes(address));
const tokenIn = (mail: ReceivedMailWithFrom | undefined): string => {
  const m = /http:\/\/offboard\.test\/portal\/open#([\w-]+)/.exec(mail?.text ?? '');
  if (!m) throw new Error(`no portal link in: ${mail?.text}`);
  return m[1] as string;
};

describe(`the portal (${testDatabaseKind})`, () => {
  let clientToken = '';
  /** The new provider's portal session, kept from the conversation to the withdrawal. */
  let noraInConversation: PortalActor | undefined;

  it('invites the client’s signer when the offboarding opens: one email with a single-use link, stored only as a hash', async () => {
    await h.day('2026-03-02');
    const invitations = mailsTo('carla@harbor.example').filter((m) => m.subject.startsWith('Acme MSP: the hand-over'));
    expect(invitations).toHaveLength(1);
    expect(mailsTo('northwind').length).toBe(0);
    const token = tokenIn(invitations[0]);
    // Nowhere in the database in clear: not the links, not the email as stored, not the audit log.
    const dump = JSON.stringify(
      await h.database.query(
        "select l.*, n.body, n.sealed_link, (select string_agg(canonical, '') from audit_events) as log from portal_links l, notifications n where n.kind = 'portal-link'",
      ),
    );
    expect(dump).not.toContain(token);
    expect(dump).toContain('{portal-link}');
    // The sealed copy is erased once the mail server took it.
    expect(await h.database.query("select sealed_link from notifications where kind = 'portal-link' and sealed_link is not null")).toEqual(
      [],
    );
    clientToken = token;
  });

  it('opens the link once, for one party of one offboarding; a used, tampered or expired link is refused', async () => {
    const opened = await openPortalLink(h.app, { token: clientToken }, req);
    expect(opened.actor).toMatchObject({ side: 'client', email: 'carla@harbor.example', canSign: true, offboardingId: h.offboardingId });
    await expect(openPortalLink(h.app, { token: clientToken }, req)).rejects.toMatchObject({ code: 'unauthenticated' });
    await expect(openPortalLink(h.app, { token: `${clientToken.slice(0, -2)}xx` }, req)).rejects.toMatchObject({ code: 'unauthenticated' });
    const session = await portalActorForSession(h.app, opened.token);
    expect(session?.partyId).toBe(opened.actor.partyId);
    // 12 hours later the session has ended.
    const now = h.clock().toISOString();
    h.clock.set(new Date(Date.parse(now) + 12 * 3_600_000 + 1000).toISOString());
    expect(await portalActorForSession(h.app, opened.token)).toBeUndefined();
    h.clock.set(now);
    // A link not opened within 14 days no longer works.
    const am = h.msp.as('account-manager', h.msp.users.accountManager);
    await inviteParty(h.app, am, h.offboardingId, { side: 'client', name: 'Victor Viewer', email: 'victor@harbor.example' });
    await h.drain();
    const late = tokenIn(mailsTo('victor@harbor.example').at(-1));
    h.clock.set(new Date(Date.parse(now) + 14 * 86_400_000 + 1000).toISOString());
    await expect(openPortalLink(h.app, { token: late }, req)).rejects.toMatchObject({ code: 'unauthenticated' });
    h.clock.set(now);
  });

  it('answers link requests the same for known and unknown addresses, and limits them per address', async () => {
    const before = smtp.received.length;
    await expect(requestPortalLink(h.app, { email: 'nobody-here@else.example' }, '198.51.100.1')).resolves.toBeUndefined();
    await expect(requestPortalLink(h.app, { email: 'Carla@Harbor.example' }, '198.51.100.1')).resolves.toBeUndefined();
    await h.drain();
    expect(smtp.received.length).toBe(before + 1);
    expect(smtp.received.at(-1)?.subject).toContain('Your sign-in link');
    for (let i = 1; i < LINK_REQUESTS_PER_ADDRESS; i++)
      await requestPortalLink(h.app, { email: 'carla@harbor.example' }, `198.51.100.${i + 1}`);
    await expect(requestPortalLink(h.app, { email: 'carla@harbor.example' }, '198.51.100.99')).rejects.toMatchObject({
      code: 'rate-limited',
    });
    await expect(requestPortalLink(h.app, { email: 'stranger@else.example' }, '198.51.100.99')).resolves.toBeUndefined();
  });

  it('shows the new provider only a waiting page before the authorization, and sends them nothing', async () => {
    const am = h.msp.as('account-manager', h.msp.users.accountManager);
    const invited = await inviteParty(h.app, am, h.offboardingId, {
      side: 'new-provider',
      name: 'Nora North',
      email: 'nora@northwind.example',
    });
    expect(invited).toMatchObject({ sent: false, waitingFor: 'authorization' });
    await requestPortalLink(h.app, { email: 'nora@northwind.example' }, '198.51.100.50');
    // Nor does staff write to them: the conversation opens with the client's authorization.
    await expect(postMessage(h.app, am, h.offboardingId, { body: 'Hello Northwind' })).rejects.toMatchObject({
      code: 'conflict',
      details: [{ path: 'authorization', message: 'is not on file' }],
    });
    await h.drain();
    expect(mailsTo('northwind')).toEqual([]);
  });

  it('lets the client sign the authorization they read; the gate opens, the new provider is invited and the client copied', async () => {
    const opened = await openPortalLink(h.app, { token: tokenIn(mailsTo('carla@harbor.example').at(-1)) }, req);
    const carla = opened.actor;
    const view = await getPortalView(h.app, carla);
    expect(view.signable).toContain('authorization');
    expect(view.steps.find((s) => s.key === 'credential-transfer')).toMatchObject({ state: 'waiting-on-you' });
    const details = { signerName: 'Carla Client', scopes: ['documentation', 'credentials'] as const };
    const shown = await previewStatement(h.app, carla, 'authorization', details);
    expect(shown.text).toContain('Northwind IT');
    // A text other than the one shown is not signed; nor without intent and consent.
    await expect(
      signStatement(
        h.app,
        carla,
        'authorization',
        { ...details, scopes: ['documentation'], statementSha256: shown.statementSha256, intent: true, consent: true },
        req,
      ),
    ).rejects.toMatchObject({ code: 'conflict' });
    await expect(
      signStatement(
        h.app,
        carla,
        'authorization',
        { ...details, statementSha256: shown.statementSha256, intent: true, consent: false },
        req,
      ),
    ).rejects.toMatchObject({
      code: 'invalid-input',
      details: [{ path: 'consent', message: 'confirm that you agree to sign electronically' }],
    });
    const signed = await signStatement(
      h.app,
      carla,
      'authorization',
      { ...details, statementSha256: shown.statementSha256, intent: true, consent: true },
      req,
    );
    expect(signed.statementSha256).toBe(shown.statementSha256);
    const [row] = await h.database.query<Record<string, unknown>>('select * from attestations where id = $1', [signed.id]);
    expect(row).toMatchObject({
      method: 'signed',
      kind: 'authorization',
      signer_email: 'carla@harbor.example',
      ip: req.ip,
      user_agent: req.userAgent,
      statement: shown.text,
    });
    await h.drain();
    // The signer's copy: the signing certificate, whose digest the row and the audit event carry.
    const copy = mailsTo('carla@harbor.example').find((m) => m.subject.startsWith('Your signed statement: Authorization'));
    const pdf = copy?.attachments.find((a) => a.contentType === 'application/pdf');
    expect(pdf?.filename).toBe('signing-certificate-authorization.pdf');
    expect(pdf?.content.subarray(0, 5).toString()).toBe('%PDF-');
    expect(
      createHash('sha256')
        .update(pdf?.content ?? '')
        .digest('hex'),
    ).toBe(row?.certificate_sha256);
    const [event] = await h.database.query<{ canonical: string }>("select canonical from audit_events where action = 'statement.signed'");
    expect(event?.canonical).toContain(String(row?.certificate_sha256));
    expect(copy?.text).toContain(shown.text.split('\n')[0]);
    const toNora = mailsTo('nora@northwind.example');
    expect(toNora.map((m) => m.subject)).toEqual(['Acme MSP: the hand-over of Harbor Dental Group']);
    expect(mailsTo('carla@harbor.example').map((m) => m.subject)).toContain(
      'Copy: Northwind IT was invited to the hand-over of Harbor Dental Group',
    );
    const nora = (await openPortalLink(h.app, { token: tokenIn(toNora[0]) }, req)).actor;
    const noraView = await getPortalView(h.app, nora);
    expect(noraView.waitingFor).toBeNull();
    expect(noraView.offboarding?.authorization?.scopes).toEqual(['documentation', 'credentials']);
    expect(noraView.signable).toEqual(['backup-verified', 'replacement-coverage', 'receipt']);
    const staff = await listParties(h.app, h.msp.as('auditor', h.msp.users.auditor), h.offboardingId);
    expect(staff.gates.authorization?.scopes).toEqual(['documentation', 'credentials']);
    expect(staff.statements.map((s) => `${s.method} ${s.kind} ${s.signerEmail}`)).toEqual(['signed authorization carla@harbor.example']);

    // What it does not cover stays closed: the new provider does not see the DNS step, no one can complete it.
    expect(noraView.steps.map((st) => st.key)).toEqual(expect.arrayContaining(['credential-transfer', 'documentation-package']));
    expect(noraView.steps.map((st) => st.key)).not.toContain('dns-transfer');
    const dnsStep = (await getPortalView(h.app, carla)).steps.find((st) => st.key === 'dns-transfer');
    expect(dnsStep?.state).toBe('waiting-on-you');
    expect(dnsStep?.waitingFor).toContain('your authorization does not include control of our domains');
    const am = h.msp.as('account-manager', h.msp.users.accountManager);
    const tech = h.msp.as('technician', h.msp.users.technician);
    const tasks = await h.database.query<{ id: string; key: string }>('select id, key from tasks where offboarding_id = $1', [
      h.offboardingId,
    ]);
    const idOf = (key: string) => tasks.find((t) => t.key === key)?.id as string;
    // The signed statement is the authorization task's evidence; no file is needed.
    await completeTask(h.app, am, idOf('client-authorization'), undefined, {});
    await attachProof(h.app, tech, idOf('dns-transfer'));
    const refused = await completeTask(h.app, tech, idOf('dns-transfer'), undefined, {}).catch((e: unknown) => e);
    expect(refused).toMatchObject({
      code: 'gate-not-satisfied',
      details: [{ path: 'gates.authorization', message: 'no authorization covering dns-registrar is on file' }],
    });
  });

  it('keeps a viewer from signing and the new provider from signing for the client', async () => {
    const am = h.msp.as('account-manager', h.msp.users.accountManager);
    await inviteParty(h.app, am, h.offboardingId, { side: 'client', name: 'Victor Viewer', email: 'victor@harbor.example' });
    await h.drain();
    const victor = (await openPortalLink(h.app, { token: tokenIn(mailsTo('victor@harbor.example').at(-1)) }, req)).actor;
    await expect(previewStatement(h.app, victor, 'backup-release', { signerName: 'Victor Viewer' })).rejects.toMatchObject({
      code: 'forbidden',
    });
    expect((await getPortalView(h.app, victor)).signable).toEqual([]);
    const nora = (await openPortalLink(h.app, { token: await freshLink('nora@northwind.example') }, req)).actor;
    await expect(previewStatement(h.app, nora, 'backup-release', { signerName: 'Nora North' })).rejects.toMatchObject({
      code: 'forbidden',
    });
  });

  it('takes the new provider’s backup attestation only with its restore report, named by digest and filed on the task', async () => {
    const nora = (await openPortalLink(h.app, { token: await freshLink('nora@northwind.example') }, req)).actor;
    const carla = (await openPortalLink(h.app, { token: await freshLink('carla@harbor.example') }, req)).actor;
    const details = { signerName: 'Nora North', restore: { date: '2026-03-04', product: 'Veeam' } };
    await expect(previewStatement(h.app, nora, 'backup-verified', details)).rejects.toMatchObject({
      code: 'invalid-input',
      details: [{ path: 'attachment', message: 'is required' }],
    });
    const bytes = new TextEncoder().encode('%PDF-1.4 restore of FS01 to an isolated host: 1,204 files, checksums match');
    const report = await uploadPortalFile(h.app, nora, { filename: 'restore-report.pdf', mediaType: 'application/pdf' }, bytes);
    expect(report.sha256).toBe(createHash('sha256').update(bytes).digest('hex'));
    // A file the client uploaded is not the new provider's to sign with.
    const carlas = await uploadPortalFile(h.app, carla, { filename: 'mine.png', mediaType: 'image/png' }, new Uint8Array([1, 2, 3]));
    await expect(previewStatement(h.app, nora, 'backup-verified', { ...details, attachmentId: carlas.id })).rejects.toMatchObject({
      details: [{ path: 'attachmentId', message: 'is not a file you uploaded to this hand-over' }],
    });
    const shown = await previewStatement(h.app, nora, 'backup-verified', { ...details, attachmentId: report.id });
    expect(shown.text).toContain(`The report of that restore is the file restore-report.pdf, SHA-256 ${report.sha256}.`);
    expect(shown.version).toBe(2);
    const signed = await signStatement(
      h.app,
      nora,
      'backup-verified',
      { ...details, attachmentId: report.id, statementSha256: shown.statementSha256, intent: true, consent: true },
      req,
    );
    const [row] = await h.database.query<{ artifact_sha256: string; details: { attachment: { filename: string } } }>(
      'select artifact_sha256, details from attestations where id = $1',
      [signed.id],
    );
    expect(row?.artifact_sha256).toBe(report.sha256);
    expect(row?.details.attachment.filename).toBe('restore-report.pdf');
    // The report is now the backup hand-over task's evidence, in the new provider's name.
    const [filed] = await h.database.query<{ key: string; created_by: string }>(
      'select t.key, e.created_by from evidence e join tasks t on t.id = e.task_id where e.id = $1',
      [report.id],
    );
    expect(filed).toEqual({ key: 'backup-transition', created_by: `party:${nora.partyId}` });
    const [event] = await h.database.query<{ actor: string; canonical: string }>(
      "select actor, canonical from audit_events where action = 'evidence.attached' and subject_id = $1",
      [report.id],
    );
    expect(event?.actor).toBe(`party:${nora.partyId}`);
    // A viewer uploads nothing.
    const victor = (await openPortalLink(h.app, { token: await freshLink('victor@harbor.example') }, req)).actor;
    await expect(uploadPortalFile(h.app, victor, { filename: 'x.png', mediaType: 'image/png' }, new Uint8Array([1]))).rejects.toMatchObject(
      {
        code: 'forbidden',
      },
    );
  });

  it('asks for a one-time code emailed to the signer when the MSP wants a second factor', async () => {
    const admin = h.msp.admin;
    await configurePortal(h.app, admin, { signingCode: true });
    const nora = (await openPortalLink(h.app, { token: await freshLink('nora@northwind.example') }, req)).actor;
    expect((await getPortalView(h.app, nora)).signingCodeRequired).toBe(true);
    const details = { signerName: 'Nora North', received: 'the documentation package v1' };
    const shown = await previewStatement(h.app, nora, 'receipt', details);
    const sign = (code?: string) =>
      signStatement(
        h.app,
        nora,
        'receipt',
        { ...details, statementSha256: shown.statementSha256, intent: true, consent: true, ...(code ? { code } : {}) },
        req,
      );
    await expect(sign()).rejects.toMatchObject({ details: [{ path: 'code', message: 'is required: ask for a code by email first' }] });
    await requestSigningCode(h.app, nora);
    await h.drain();
    const mail = mailsTo('nora@northwind.example').findLast((m) => m.subject.startsWith('Your code to sign'));
    const code = /\n\n(\d{6})\n\n/.exec(mail?.text ?? '')?.[1] as string;
    expect(code).toMatch(/^\d{6}$/);
    // The code is in the email only: not in the outbox, not on the session row.
    const dump = JSON.stringify(
      await h.database.query(
        "select n.body, n.sealed_link, s.code_hash from notifications n, portal_sessions s where n.kind = 'signing-code' and s.party_id = $1",
        [nora.partyId],
      ),
    );
    expect(dump).not.toContain(code);
    const wrongCode = code === '000000' ? '111111' : '000000';
    await expect(sign(wrongCode)).rejects.toMatchObject({ details: [{ path: 'code', message: 'is not the code we sent' }] });
    const signed = await sign(code);
    const [row] = await h.database.query<{ details: { secondFactor?: string } }>('select details from attestations where id = $1', [
      signed.id,
    ]);
    expect(row?.details.secondFactor).toBe('email-code');
    // Used once: a second signing with it is refused.
    await expect(sign(code)).rejects.toMatchObject({ code: 'invalid-input' });
    // Five wrong tries and the code is dead, even the right one.
    await requestSigningCode(h.app, nora);
    await h.drain();
    const next = /\n\n(\d{6})\n\n/.exec(
      mailsTo('nora@northwind.example').findLast((m) => m.subject.startsWith('Your code to sign'))?.text ?? '',
    )?.[1] as string;
    const wrongNext = next === '000000' ? '111111' : '000000';
    for (let i = 0; i < 5; i++) await expect(sign(wrongNext)).rejects.toMatchObject({ code: 'invalid-input' });
    await expect(sign(next)).rejects.toMatchObject({ details: [{ path: 'code', message: 'was tried too often: ask for a new code' }] });
    await configurePortal(h.app, admin, { signingCode: false });
    expect((await getPortalView(h.app, nora)).signingCodeRequired).toBe(false);
  });

  it('keeps one conversation: what the new provider is told, the client is told, word for word', async () => {
    const am = h.msp.as('account-manager', h.msp.users.accountManager);
    const nora = (await openPortalLink(h.app, { token: await freshLink('nora@northwind.example') }, req)).actor;
    const carla = (await openPortalLink(h.app, { token: await freshLink('carla@harbor.example') }, req)).actor;
    const before = smtp.received.length;
    const staffSays = await postMessage(h.app, am, h.offboardingId, {
      body: 'Nora, the firewall admin account moves to you on Friday; Carla, nothing to do.',
    });
    expect(staffSays.recipients).toEqual(
      expect.arrayContaining(['carla@harbor.example', 'nora@northwind.example', 'victor@harbor.example']),
    );
    noraInConversation = nora;
    const noraSays = await postPortalMessage(h.app, nora, { body: 'Friday works. Please include the VPN pre-shared key.' });
    await h.drain();
    const mails = smtp.received.slice(before);
    const to = (address: string) => mails.filter((m) => m.to.includes(address));
    // The client and the new provider receive the staff message with the same words.
    const fromStaff = (address: string) => to(address).find((m) => m.text.includes('firewall admin account'));
    const toNora = fromStaff('nora@northwind.example');
    const toCarla = fromStaff('carla@harbor.example');
    expect(toNora?.text).toContain('the firewall admin account moves to you on Friday');
    expect(toCarla?.text).toBe(toNora?.text);
    // The new provider's message goes to the client and to the account manager, not back to its author.
    expect(to('carla@harbor.example').map((m) => m.subject)).toContain(
      'Harbor Dental Group hand-over: message from Nora North (Northwind IT)',
    );
    expect(to('nora@northwind.example')).toHaveLength(1);
    const amEmail = (await h.database.query<{ email: string }>('select email from users where id = $1', [h.msp.users.accountManager]))[0]
      ?.email as string;
    expect(noraSays.recipients).toContain(amEmail);
    expect(
      to(amEmail)
        .map((m) => m.text)
        .join(),
    ).toContain('Please include the VPN pre-shared key.');
    // Everyone reads the same conversation, in order.
    const seen = (await listPortalMessages(h.app, carla)).items.map((m) => `${m.side}: ${m.authorName}`);
    expect(seen).toEqual([
      `msp: ${(await h.database.query<{ name: string }>('select name from users where id = $1', [h.msp.users.accountManager]))[0]?.name}`,
      'new-provider: Nora North',
    ]);
    expect((await listPortalMessages(h.app, nora)).items).toHaveLength(2);
    // The record keeps who wrote, the digest of the words and whom they reached.
    const [event] = await h.database.query<{ canonical: string }>(
      "select canonical from audit_events where action = 'message.posted' and subject_id = $1",
      [noraSays.id],
    );
    expect(JSON.parse(event?.canonical ?? '{}')).toMatchObject({
      actor: `party:${nora.partyId}`,
      data: {
        side: 'new-provider',
        bodySha256: createHash('sha256').update('Friday works. Please include the VPN pre-shared key.').digest('hex'),
      },
    });
    await expect(postPortalMessage(h.app, nora, { body: '   ' })).rejects.toMatchObject({
      code: 'invalid-input',
      details: [{ path: 'body', message: 'is required' }],
    });
  });

  it('closes the gate again when the client withdraws: tasks done under it open again, audited', async () => {
    const carla = (await openPortalLink(h.app, { token: await freshLink('carla@harbor.example') }, req)).actor;
    const am = h.msp.as('account-manager', h.msp.users.accountManager);
    const detail = await h.database.query<{ id: string; key: string }>('select id, key from tasks where offboarding_id = $1', [
      h.offboardingId,
    ]);
    const idOf = (key: string) => detail.find((t) => t.key === key)?.id as string;
    const statusOf = async (key: string) =>
      (await h.database.query<{ status: string }>('select status from tasks where id = $1', [idOf(key)]))[0]?.status;
    // Done under the authorization (the test above completed it when this suite runs whole).
    if ((await statusOf('client-authorization')) !== 'done') await completeTask(h.app, am, idOf('client-authorization'), undefined, {});
    expect(await statusOf('dns-transfer')).toBe('ready');
    const shown = await previewStatement(h.app, carla, 'authorization-withdrawal', { signerName: 'Carla Client' });
    await signStatement(
      h.app,
      carla,
      'authorization-withdrawal',
      { signerName: 'Carla Client', statementSha256: shown.statementSha256, intent: true, consent: true },
      req,
    );
    const [task] = await h.database.query<{ status: string }>('select status from tasks where id = $1', [idOf('client-authorization')]);
    expect(task?.status).not.toBe('done');
    // What it had let start waits again.
    const [dns] = await h.database.query<{ status: string }>('select status from tasks where id = $1', [idOf('dns-transfer')]);
    expect(dns?.status).toBe('pending');
    const events = await h.database.query<{ actor: string; canonical: string }>(
      "select actor, canonical from audit_events where action = 'task.reopened'",
    );
    expect(events.at(-1)?.canonical).toContain('the client withdrew the authorization');
    expect(events.at(-1)?.actor).toBe(`party:${carla.partyId}`);
    // Now nobody can complete or waive it: not the account manager, not a manager.
    await expect(completeTask(h.app, am, idOf('client-authorization'), undefined, {})).rejects.toMatchObject({
      code: 'gate-not-satisfied',
    });
    await expect(
      waiveTask(h.app, h.msp.as('manager', h.msp.users.manager), idOf('client-authorization'), undefined, {
        reason: 'they said so on the phone',
      }),
    ).rejects.toMatchObject({
      code: 'gate-not-satisfied',
    });
    // The conversation with the new provider closes with it: they read nothing, nobody writes to them.
    const nora = noraInConversation as PortalActor;
    await expect(listPortalMessages(h.app, nora)).rejects.toMatchObject({ code: 'forbidden' });
    await expect(postPortalMessage(h.app, nora, { body: 'Still there?' })).rejects.toMatchObject({ code: 'conflict' });
    await expect(postMessage(h.app, am, h.offboardingId, { body: 'Nora, stop' })).rejects.toMatchObject({ code: 'conflict' });
    expect((await listPortalMessages(h.app, carla)).items).toHaveLength(2);
  });

  it('ends access early only with the client’s agreement to the date the MSP proposed', async () => {
    const am = h.msp.as('account-manager', h.msp.users.accountManager);
    await expect(proposeEarlyCutover(h.app, am, h.offboardingId, { date: '2026-03-01', reason: 'x' })).rejects.toMatchObject({
      details: [{ path: 'date', message: 'must not be in the past (today is 2026-03-02)' }],
    });
    await expect(proposeEarlyCutover(h.app, am, h.offboardingId, { date: '2026-03-31', reason: 'x' })).rejects.toMatchObject({
      details: [{ path: 'date', message: 'must be before the agreed revocation date (2026-03-31)' }],
    });
    await proposeEarlyCutover(h.app, am, h.offboardingId, { date: '2026-03-20', reason: 'Northwind takes over on the 20th' });
    await h.drain();
    // The client's signer hears of it by email, with the reason and where to agree.
    const proposal = mailsTo('carla@harbor.example').find(
      (m) => m.subject === 'Acme MSP asks to end its access to your systems on 2026-03-20',
    );
    expect(proposal?.text).toContain('Northwind takes over on the 20th');
    expect(proposal?.text).toContain('Nothing changes unless you agree: until then, our access ends on 2026-03-31 as agreed.');
    expect(proposal?.text).toContain('http://offboard.test/portal');
    expect(mailsTo('victor@harbor.example').some((m) => m.subject.includes('end its access'))).toBe(false);
    const carla = (await openPortalLink(h.app, { token: await freshLink('carla@harbor.example') }, req)).actor;
    const view = await getPortalView(h.app, carla);
    expect(view.offboarding).toMatchObject({ proposedCutover: '2026-03-20', accessEndsOn: '2026-03-31' });
    expect(view.signable).toContain('early-cutover');
    await expect(
      previewStatement(h.app, carla, 'early-cutover', { signerName: 'Carla Client', cutoverDate: '2026-03-10' }),
    ).rejects.toMatchObject({
      details: [{ path: 'cutoverDate', message: 'must be the proposed date, 2026-03-20' }],
    });
    const shown = await previewStatement(h.app, carla, 'early-cutover', { signerName: 'Carla Client', cutoverDate: '2026-03-20' });
    expect(shown.text).toContain('removes its access to our systems on 2026-03-20, before the agreed revocation date of 2026-03-31');
    await signStatement(
      h.app,
      carla,
      'early-cutover',
      { signerName: 'Carla Client', cutoverDate: '2026-03-20', statementSha256: shown.statementSha256, intent: true, consent: true },
      req,
    );
    const after = await getPortalView(h.app, carla);
    expect(after.offboarding).toMatchObject({ proposedCutover: null, accessEndsOn: '2026-03-20' });
    expect(after.signable).not.toContain('early-cutover');
  });

  it('ends a person’s access at once when staff revoke it', async () => {
    const opened = await openPortalLink(h.app, { token: await freshLink('carla@harbor.example') }, req);
    const carla = opened.actor;
    await revokePartyAccess(h.app, h.msp.as('account-manager', h.msp.users.accountManager), h.offboardingId, carla.partyId);
    expect(await portalActorForSession(h.app, opened.token)).toBeUndefined();
    const before = smtp.received.length;
    await requestPortalLink(h.app, { email: 'carla@harbor.example' }, '198.51.100.77');
    await h.drain();
    expect(smtp.received.length).toBe(before);
  });

  it('tells staff on whom each open gate waits, since when, and how many reminders went out', async () => {
    // Last in this file: the days move on. The authorization was withdrawn above; the client is reminded again.
    for (const date of ['2026-03-03', '2026-03-04', '2026-03-05', '2026-03-06', '2026-03-09']) await h.day(date);
    await h.drain();
    const { gates } = await listParties(h.app, h.msp.as('auditor', h.msp.users.auditor), h.offboardingId);
    const authorization = gates.waiting.find((w) => w.gate === 'authorization');
    expect(authorization).toMatchObject({ waitingOn: 'client', since: '2026-03-02' });
    expect(authorization?.tasks).toContain('client-authorization');
    const sent = await h.database.query<{ n: number }>(
      "select count(distinct key)::int as n from notifications where offboarding_id = $1 and kind = 'gate-reminder' and key like '%gate-reminder.authorization%' and status = 'sent'",
      [h.offboardingId],
    );
    expect(sent[0]?.n).toBeGreaterThan(0);
    expect(authorization?.remindersSent).toBe(sent[0]?.n);
    expect(authorization?.lastReminderAt).toMatch(/^2026-03-\d\dT/);
    expect(gates.waiting.map((w) => w.gate)).not.toContain('backup-handoff');
    expect(gates.waiting.find((w) => w.gate === 'replacement-coverage')).toMatchObject({ since: '2026-03-06', remindersSent: 0 });
  });
});

/** A new link for an address, as the sign-in page would get it (each test may spend a few of the address's requests). */
async function freshLink(email: string): Promise<string> {
  await h.database.query("delete from login_attempts where key like 'portal-%'");
  await requestPortalLink(h.app, { email }, '198.51.100.200');
  await h.drain();
  return tokenIn(mailsTo(email).findLast((m) => m.subject.includes('sign-in link')));
}
