/**
 * Email through a real SMTP server on 127.0.0.1 (the smtp-server package): gate reminders reach
 * the client's contact, and the new provider only once the client's authorization is on file,
 * with the client copied; a refused address is recorded as a failed delivery and not retried.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type SeededMsp, type TestClock, recordFromDocument } from '../../test/app-fixture.ts';
import { type WorkerHarness, workerHarness } from '../../test/worker-fixture.ts';
import { type ReceivedMail, startSmtp } from '../../test/smtp-fixture.ts';
import { testDatabaseKind } from '../../test/db.ts';
import type { App } from '../app/context.ts';
import { type Mailer, createMailer } from '../integrations/email/mailer.ts';
import type { Database } from '../storage/db.ts';
import { sendEmailDelivery } from '../app/notifications/send-email-delivery.ts';

type Received = ReceivedMail;

let h: WorkerHarness;
let app: App;
let database: Database;
let clock: TestClock;
let msp: SeededMsp;
let offboardingId: string;
let smtp: Awaited<ReturnType<typeof startSmtp>>;
let mailer: Mailer;
let received: Received[] = [];

beforeAll(async () => {
  smtp = await startSmtp(() => clock());
  received = smtp.received;
  mailer = createMailer({ url: smtp.url, from: 'Acme MSP <offboarding@acme.example>' });

  h = await workerHarness({ mailer });
  ({ app, database, clock, msp, offboardingId } = h);
});
afterAll(async () => {
  mailer.close();
  await h.close();
  await smtp.close();
});

const day = (date: string) => h.day(date);

describe(`email notifications over SMTP (${testDatabaseKind})`, () => {
  it(
    'asks the client for attestations, and the new provider only after the authorization, copying the client',
    { timeout: 60_000 },
    async () => {
      for (const date of ['2026-03-02', '2026-03-03', '2026-03-04', '2026-03-05', '2026-03-06', '2026-03-09', '2026-03-10'])
        await day(date);
      const backup = (r: Received) => r.subject.startsWith('Waiting on you: Keep backups running');
      expect(received.filter(backup).map((r) => `${r.date} ${r.to}`)).toEqual(['2026-03-10 carla@harbor.example']);
      expect(received.some((r) => r.to.includes('northwind'))).toBe(false);
      const mail = received.find(backup);
      expect(mail?.subject).toBe('Waiting on you: Keep backups running until the new backup is verified (Harbor Dental Group)');
      expect(mail?.text).toContain('a verified successful backup from the new provider, or a signed backup release from the client');
      // The client acts in the portal: the email takes them there, never to a staff page.
      expect(mail?.text).toContain('Sign in to the hand-over portal to read it and sign: http://127.0.0.1:3000/portal');
      expect(mail?.text).not.toContain('/offboardings/');

      clock.set('2026-03-11T15:00:00Z');
      await recordFromDocument(app, msp.as('account-manager', msp.users.accountManager), offboardingId, 'authorization');
      await day('2026-03-11');
      await day('2026-03-12');
      expect(
        received
          .filter(backup)
          .map((r) => `${r.date} ${r.to}`)
          .sort(),
      ).toEqual(['2026-03-10 carla@harbor.example', '2026-03-12 carla@harbor.example', '2026-03-12 transition@northwind.example']);
      // Every email sent is recorded as a delivery, with its audit event.
      const sent = await database.query<{ n: number }>(
        "select count(*)::int as n from notifications where channel = 'email' and status = 'sent'",
      );
      expect(sent[0]?.n).toBe(received.length);
      const audited = await database.query<{ n: number }>(
        'select count(*)::int as n from audit_events where action = \'notification.sent\' and canonical like \'%"channel":"email"%\'',
      );
      expect(audited[0]?.n).toBe(received.length);
    },
  );

  it('records a refused address as a failed delivery, with the reason, and does not retry it', async () => {
    const [template] = await database.query<Record<string, unknown>>("select * from notifications where channel = 'email' limit 1");
    const id = crypto.randomUUID();
    await database.query(
      "insert into notifications (id, tenant_id, key, offboarding_id, task_id, kind, level, channel, recipient, subject, body, fire_at, status) values ($1, $2, $3, $4, $5, 'gate-reminder', 0, 'email', 'nobody@harbor.example', 'x', 'y', now(), 'pending')",
      [id, template?.tenant_id, `${String(template?.key)}:test`, template?.offboarding_id, template?.task_id],
    );
    const result = await sendEmailDelivery(
      app,
      mailer,
      { tenantId: String(template?.tenant_id), deliveryId: id },
      { retryCount: 0, retryLimit: 5 },
    );
    expect(result).toBe('failed');
    const [row] = await database.query<{ status: string; error: string }>('select status, error from notifications where id = $1', [id]);
    expect(row?.status).toBe('failed');
    expect(row?.error).toContain('No such mailbox');
    // Run again (a duplicate job): nothing is sent.
    expect(
      await sendEmailDelivery(app, mailer, { tenantId: String(template?.tenant_id), deliveryId: id }, { retryCount: 0, retryLimit: 5 }),
    ).toBe('already-done');
  });
});
