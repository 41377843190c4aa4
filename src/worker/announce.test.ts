/**
 * The start messages (acknowledgement to the client, notice to the team), per-user and per-MSP
 * channel preferences, and the daily digest, through a real SMTP server on 127.0.0.1.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { SeededMsp, TestClock } from '../../test/app-fixture.ts';
import { type ReceivedMail, startSmtp } from '../../test/smtp-fixture.ts';
import { testDatabaseKind } from '../../test/db.ts';
import { type WorkerHarness, workerHarness } from '../../test/worker-fixture.ts';
import { createApiToken } from '../app/accounts/api-tokens.ts';
import type { App } from '../app/context.ts';
import { setMyPreferences, setTenantNotificationSettings } from '../app/notifications/notification-settings.ts';
import { createHttpApp } from '../http/app.ts';
import { type Mailer, createMailer } from '../integrations/email/mailer.ts';
import type { Database } from '../storage/db.ts';

let h: WorkerHarness;
let app: App;
let database: Database;
let clock: TestClock;
let msp: SeededMsp;
let smtp: Awaited<ReturnType<typeof startSmtp>>;
let mailer: Mailer;
let received: ReceivedMail[];
let email: (userId: string) => Promise<string>;

beforeAll(async () => {
  smtp = await startSmtp(() => clock());
  received = smtp.received;
  mailer = createMailer({ url: smtp.url, from: 'Acme MSP <offboarding@acme.example>' });
  h = await workerHarness({ mailer });
  ({ app, database, clock, msp } = h);
  email = async (userId) => (await database.query<{ email: string }>('select email from users where id = $1', [userId]))[0]?.email ?? '';
});
afterAll(async () => {
  mailer.close();
  await h.close();
  await smtp.close();
});

describe(`start messages, preferences and the digest (${testDatabaseKind})`, () => {
  it('acknowledges the notice to the client and tells the team, once', { timeout: 60_000 }, async () => {
    // Tara asks for her reminders by email, in one daily digest; the MSP's digest goes out at 09:00 New York time.
    await setMyPreferences(app, msp.as('technician', msp.users.technician2), { channels: { reminder: ['email'] }, digest: true });
    await setTenantNotificationSettings(app, msp.admin, { timezone: 'America/New_York', digestAt: '09:00' });

    await h.day('2026-03-02');
    const ack = received.filter((m) => m.subject.startsWith('We received your notice'));
    expect(ack.map((m) => m.to)).toEqual(['carla@harbor.example']);
    expect(ack[0]?.subject).toBe('We received your notice: offboarding of Harbor Dental Group ends 2026-03-31');
    expect(ack[0]?.text).toContain('our services end on 2026-03-31');
    expect(ack[0]?.text).toContain('amy (amy');
    expect(ack[0]?.text).toContain('we need your written authorization naming them');

    const notice = received.filter((m) => m.subject === 'Offboarding started: Harbor Dental Group (ends 2026-03-31)');
    const team = await Promise.all(
      [msp.users.accountManager, msp.users.technician2, msp.users.documentation, msp.users.billing, msp.users.manager].map(email),
    );
    expect(notice.map((m) => m.to).sort()).toEqual(team.sort());
    expect(notice[0]?.text).toContain('First due:');
    // The account manager also has both in the app.
    const inbox = await database.query<{ kind: string }>(
      "select kind from notifications where recipient_user_id = $1 and channel = 'in-app' and task_id is null order by kind",
      [msp.users.accountManager],
    );
    expect(inbox.map((r) => r.kind)).toEqual(['internal-notification', 'termination-acknowledgement']);

    const before = received.length;
    await h.day('2026-03-03');
    expect(
      received.slice(before).filter((m) => m.subject.startsWith('We received') || m.subject.startsWith('Offboarding started')),
    ).toEqual([]);
  });

  it('holds reminder emails for the digest and sends one email a day instead', { timeout: 60_000 }, async () => {
    const tara = await email(msp.users.technician2);
    const taraReminders = () => received.filter((m) => m.to === tara && m.subject.startsWith('Reminder:'));
    // Tara's credential inventory (due 03-05) is reminded on 03-04: held, not sent by itself, and not in her inbox.
    await h.day('2026-03-04');
    expect(taraReminders()).toEqual([]);
    const held = await database.query<{ n: number }>(
      "select count(*)::int as n from notifications where recipient_user_id = $1 and status = 'held'",
      [msp.users.technician2],
    );
    expect(held[0]?.n).toBeGreaterThan(0);
    const inApp = await database.query<{ n: number }>(
      "select count(*)::int as n from notifications where recipient_user_id = $1 and channel = 'in-app' and kind = 'reminder'",
      [msp.users.technician2],
    );
    expect(inApp[0]?.n).toBe(0);

    // The next morning's tick (after 09:00 New York) gathers them into one email.
    await h.day('2026-03-05');
    const digests = received.filter((m) => m.to === tara && m.subject.startsWith('Your offboarding digest'));
    expect(digests.length).toBe(1);
    // Everything held when it went out, including the morning's own reminders.
    const digested = await database.query<{ n: number }>(
      "select count(*)::int as n from notifications where recipient_user_id = $1 and status = 'digested'",
      [msp.users.technician2],
    );
    expect(digested[0]?.n).toBeGreaterThanOrEqual(held[0]?.n ?? 0);
    expect(digests[0]?.subject).toBe(`Your offboarding digest for 2026-03-05: ${digested[0]?.n} items`);
    expect(digests[0]?.text).toContain('- Reminder: Inventory');
    expect(
      await database.query("select 1 from notifications where recipient_user_id = $1 and status = 'held'", [msp.users.technician2]),
    ).toEqual([]);
    // Running the day's tick again makes no second digest.
    await h.day('2026-03-05');
    expect(received.filter((m) => m.to === tara && m.subject.startsWith('Your offboarding digest for 2026-03-05')).length).toBe(1);
  });

  it("the MSP's defaults apply to everyone who has not chosen; a person's choice wins", { timeout: 60_000 }, async () => {
    await setTenantNotificationSettings(app, msp.admin, { preferences: { channels: { overdue: [] } } });
    const before = await database.query<{ n: number }>("select count(*)::int as n from notifications where kind = 'overdue'");
    await h.day('2026-03-06');
    const after = await database.query<{ n: number }>("select count(*)::int as n from notifications where kind = 'overdue'");
    expect(after[0]?.n).toBe(before[0]?.n);
    // Escalations always reach the app, whatever anyone chose.
    const escalations = await database.query<{ n: number }>(
      "select count(*)::int as n from notifications where kind = 'escalation' and channel = 'in-app' and fire_at::date = '2026-03-06'",
    );
    expect(escalations[0]?.n).toBeGreaterThan(0);
  });

  it('preferences are validated and answered over the API', async () => {
    const { token } = await createApiToken(app, msp.admin, { name: 'prefs', role: 'admin' });
    const http = createHttpApp(app);
    const put = (path: string, body: unknown) =>
      http.request(path, {
        method: 'PUT',
        headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
        body: JSON.stringify(body),
      });
    const bad = await put('/api/settings/notifications', { preferences: { channels: { reminder: ['pager'] } }, digestAt: '25:00' });
    expect(bad.status).toBe(400);
    const paths = ((await bad.json()) as { error: { details: { path: string }[] } }).error.details.map((d) => d.path).sort();
    expect(paths).toEqual(['digestAt', 'preferences.channels.reminder[0]']);
    const ok = await put('/api/settings/notifications', { digestAt: '07:30' });
    expect(await ok.json()).toMatchObject({ timezone: 'America/New_York', digestAt: '07:30', preferences: { channels: { overdue: [] } } });
  });
});
