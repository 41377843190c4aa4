/**
 * Credential reminders through the real scheduler, queue and SMTP server: the technician is told
 * to change a credential right before the hand-over; after the new provider took its credentials,
 * it is reminded every 2 business days (the client copied) until it confirms each one changed,
 * also once the transfer task is done; then the reminders stop.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { recordFromDocument } from '../../test/app-fixture.ts';
import { testDatabaseKind } from '../../test/db.ts';
import { type ReceivedMail, startSmtp } from '../../test/smtp-fixture.ts';
import { type WorkerHarness, workerHarness } from '../../test/worker-fixture.ts';
import { addCredential } from '../app/credentials/add-credential.ts';
import { confirmChanged, exportFromPortal } from '../app/credentials/portal-handover.ts';
import { setDispositions } from '../app/credentials/set-dispositions.ts';
import { recordRotation } from '../app/credentials/record-rotation.ts';
import { inviteParty } from '../app/portal/invite-party.ts';
import { completeTask } from '../app/tasks/complete-task.ts';
import type { PortalActor } from '../app/portal/portal-access.ts';
import { type Mailer, createMailer } from '../integrations/email/mailer.ts';

let h: WorkerHarness;
let smtp: Awaited<ReturnType<typeof startSmtp>>;
let mailer: Mailer;

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

const changeMails = () =>
  smtp.received
    .filter((m: ReceivedMail) => m.subject.startsWith('Please change the credentials we handed over'))
    .map((m) => `${m.date} ${m.to}`)
    .sort();

describe(`credential reminders (${testDatabaseKind})`, () => {
  it('reminds the technician before the transfer and the new provider after it, every 2 business days, until every change is confirmed', async () => {
    const { app, msp, offboardingId } = h;
    await h.day('2026-03-02');
    const admin = msp.admin;
    const fw = await addCredential(app, admin, msp.clientId, { name: 'Firewall admin', password: 'fw-secret-1' });
    const m365 = await addCredential(app, admin, msp.clientId, { name: 'M365 admin', password: 'm365-secret-1' });
    await setDispositions(app, admin, msp.clientId, { ids: [fw.id], disposition: 'hand-over', recipient: 'new-provider' });
    await setDispositions(app, admin, msp.clientId, { ids: [m365.id], disposition: 'rotate-then-hand-over', recipient: 'new-provider' });
    await recordFromDocument(app, msp.as('account-manager', msp.users.accountManager), offboardingId, 'authorization');
    // The authorization on file backs its task; the transfer can be worked once it is done (a pending task is not reminded).
    const authorizationTask = (
      await h.database.query<{ id: string }>("select id from tasks where offboarding_id = $1 and key = 'client-authorization'", [
        offboardingId,
      ])
    )[0]?.id as string;
    await completeTask(app, admin, authorizationTask, undefined, {});
    // The transfer task is due on business day 7 (2026-03-10): its assignee hears of the change the day before and on the day.
    const transfer = (
      await h.database.query<{ id: string; due: string; status: string }>(
        "select id, due::text as due, status from tasks where offboarding_id = $1 and key = 'credential-transfer'",
        [offboardingId],
      )
    )[0];
    expect(transfer?.due).toBe('2026-03-10');
    for (const d of ['2026-03-03', '2026-03-04', '2026-03-05', '2026-03-06', '2026-03-09', '2026-03-10']) await h.day(d);
    const rotations = await h.database.query<{ date: string }>(
      "select distinct substring(key from '\\d{4}-\\d{2}-\\d{2}$') as date from notifications where kind = 'rotation-reminder' order by 1",
    );
    expect(rotations.map((r) => r.date)).toEqual(['2026-03-09', '2026-03-10']);
    await recordRotation(app, admin, m365.id, { password: 'm365-secret-2' });

    // The new provider takes both on 2026-03-10; reminded on 03-12 and 03-16 (the client copied), not on the days between.
    const np = (
      await inviteParty(app, msp.admin, offboardingId, { side: 'new-provider', name: 'Nick', email: 'transition@northwind.example' })
    ).partyId;
    const nick: PortalActor = {
      tenantId: msp.tenantId,
      offboardingId,
      partyId: np,
      side: 'new-provider',
      name: 'Nick',
      email: 'transition@northwind.example',
      canSign: true,
      sessionHash: 'x',
      linkHash: 'x',
    };
    h.clock.set('2026-03-10T16:00:00Z');
    await exportFromPortal(app, nick, { passphrase: 'a long enough passphrase' }, { ip: '203.0.113.4', userAgent: undefined });
    for (const d of ['2026-03-11', '2026-03-12', '2026-03-13', '2026-03-16']) await h.day(d);
    expect(changeMails()).toEqual([
      '2026-03-12 carla@harbor.example',
      '2026-03-12 transition@northwind.example',
      '2026-03-16 carla@harbor.example',
      '2026-03-16 transition@northwind.example',
    ]);
    const mail = smtp.received.find((m) => m.subject.startsWith('Please change the credentials') && m.to.includes('northwind'));
    expect(mail?.text).toContain('2 credentials handed over since 2026-03-10 not yet confirmed changed');
    expect(mail?.text).toContain('http://offboard.test/portal');
    expect(mail?.text).not.toContain('fw-secret');

    // Confirmed: the reminders stop.
    h.clock.set('2026-03-16T18:00:00Z');
    await confirmChanged(app, nick, { all: true }, { ip: '203.0.113.4', userAgent: undefined });
    for (const d of ['2026-03-17', '2026-03-18', '2026-03-19', '2026-03-20']) await h.day(d);
    expect(changeMails()).toHaveLength(4);
  });
});
