/**
 * Time travel: a clock walks an offboarding day by day; the scheduler ticks and the notify
 * worker delivers. Who got what, and when, is checked against DESIGN.md section 5.
 */
import type { PgBoss } from 'pg-boss';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type SeededMsp, completeWithProof } from '../../test/app-fixture.ts';
import { type WorkerHarness, workerHarness } from '../../test/worker-fixture.ts';
import { testDatabaseKind } from '../../test/db.ts';
import type { App } from '../app/context.ts';
import { loadOffboarding } from '../app/offboardings/offboarding-facts.ts';
import type { Database } from '../storage/db.ts';
import type { NotifyJob } from '../app/jobs.ts';
import { deliverNotification } from '../app/notifications/deliver-notification.ts';
import { inboxRows as inboxOf } from '../app/notifications/my-inbox.ts';
import { schedulerTick } from './scheduler.ts';
import { createHttpApp } from '../http/app.ts';
import { hashPassword } from '../app/accounts/passwords.ts';

let h: WorkerHarness;
let app: App;
let database: Database;
let boss: PgBoss;
let msp: SeededMsp;
let offboardingId: string;

beforeAll(async () => {
  h = await workerHarness({ offboarding: { revocationDate: '2026-03-27' } });
  ({ app, database, boss, msp, offboardingId } = h);
});
afterAll(async () => {
  await h.close();
});

const day = (date: string) => h.day(date);

// Sorted: notifications of one day are delivered by separate jobs, in any order.
const inbox = async (userId: string) =>
  (await inboxOf(app, msp.tenantId, userId)).map((n) => `${n.fireAt.slice(0, 10)} ${n.kind}/${n.level} ${n.subject}`).sort();

describe(`scheduler and in-app notifications (${testDatabaseKind})`, () => {
  it('reminds, then escalates to the manager at 3 and leadership at 5 business days overdue, once each', async () => {
    const am = msp.as('account-manager', msp.users.accountManager);
    const tasks = (await loadOffboarding(database.db, msp.tenantId, offboardingId)).tasks;
    const id = (key: string) => tasks.find((t) => t.key === key)?.id as string;

    await day('2026-03-02');
    // The day-1 tasks are done on time; the credential inventory (due Thursday 03-05) never is.
    for (const key of ['acknowledge-termination', 'internal-notification']) await completeWithProof(app, am, id(key));
    for (const date of [
      '2026-03-03',
      '2026-03-04',
      '2026-03-05',
      '2026-03-06',
      '2026-03-07',
      '2026-03-08',
      '2026-03-09',
      '2026-03-10',
      '2026-03-11',
      '2026-03-12',
    ]) {
      await day(date);
    }

    const technician = (await inbox(msp.users.technician2)).filter((l) => l.includes('Inventory every credential'));
    expect(technician).toEqual([
      '2026-03-04 reminder/0 Reminder: Inventory every credential we hold (Harbor Dental Group) is due 2026-03-05',
      '2026-03-05 reminder/0 Reminder: Inventory every credential we hold (Harbor Dental Group) is due today',
      '2026-03-06 overdue/0 Overdue: Inventory every credential we hold (Harbor Dental Group)',
      '2026-03-09 overdue/0 Overdue: Inventory every credential we hold (Harbor Dental Group)',
      '2026-03-10 escalation/1 Escalation: Inventory every credential we hold (Harbor Dental Group) is 3 business days overdue',
      '2026-03-10 overdue/0 Overdue: Inventory every credential we hold (Harbor Dental Group)',
      '2026-03-11 overdue/0 Overdue: Inventory every credential we hold (Harbor Dental Group)',
      '2026-03-12 escalation/2 Escalation: Inventory every credential we hold (Harbor Dental Group) is 5 business days overdue',
      '2026-03-12 overdue/0 Overdue: Inventory every credential we hold (Harbor Dental Group)',
    ]);
    // The escalations reached the manager (level 1) and leadership (level 2), copying the assignee.
    expect((await inbox(msp.users.manager)).filter((l) => l.includes('Inventory'))).toEqual([
      '2026-03-10 escalation/1 Escalation: Inventory every credential we hold (Harbor Dental Group) is 3 business days overdue',
      '2026-03-12 escalation/2 Escalation: Inventory every credential we hold (Harbor Dental Group) is 5 business days overdue',
    ]);
    expect((await inbox(msp.users.leader)).filter((l) => l.includes('Inventory'))).toEqual([
      '2026-03-12 escalation/2 Escalation: Inventory every credential we hold (Harbor Dental Group) is 5 business days overdue',
    ]);
    // Tasks done on time got their reminders and nothing after.
    expect((await inbox(msp.users.accountManager)).filter((l) => l.includes('Acknowledge'))).toEqual([
      '2026-03-02 reminder/0 Reminder: Acknowledge the termination in writing (Harbor Dental Group) is due today',
    ]);
  });

  it('shows each user their notifications over the API, and marks them read', async () => {
    await database.query('update users set password_hash = $1 where id = $2', [
      await hashPassword('technician password'),
      msp.users.technician2,
    ]);
    const email = (await database.query<{ email: string }>('select email from users where id = $1', [msp.users.technician2]))[0]?.email;
    const http = createHttpApp(app);
    const signIn = await http.request('/api/auth/sign-in', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ email, password: 'technician password' }),
    });
    const cookie = (signIn.headers.get('set-cookie') ?? '').split(';')[0] as string;
    const list = async () =>
      (await (await http.request('/api/my/notifications', { headers: { cookie } })).json()) as {
        items: { id: string; subject: string; read: boolean }[];
        unread: number;
      };
    const before = await list();
    expect(before.items.length).toBeGreaterThanOrEqual(9);
    expect(before.unread).toBe(before.items.length);
    expect(before.items.some((i) => i.subject.includes('Inventory every credential'))).toBe(true);
    const read = await http.request(`/api/my/notifications/${before.items[0]?.id}/read`, {
      method: 'POST',
      headers: { cookie, origin: 'http://localhost' },
    });
    expect(read.status).toBe(204);
    expect((await list()).unread).toBe(before.unread - 1);
    // Someone else's notification is not there to mark.
    const managers = await inboxOf(app, msp.tenantId, msp.users.manager);
    expect(
      (
        await http.request(`/api/my/notifications/${managers[0]?.id}/read`, {
          method: 'POST',
          headers: { cookie, origin: 'http://localhost' },
        })
      ).status,
    ).toBe(404);
  });

  it('never delivers a notification twice: a second tick, a second scheduler or a retried job', async () => {
    const before = (await inbox(msp.users.technician2)).length;
    await schedulerTick(app, boss, app.clock());
    // A second scheduler that lost its state would look back over the same window: same ids.
    await database.query("update scheduler_state set last_tick_at = last_tick_at - interval '3 days'");
    expect((await schedulerTick(app, boss, app.clock())).enqueued).toBe(0);
    await h.drain();
    expect((await inbox(msp.users.technician2)).length).toBe(before);
    // A delivery job run again (a retry after a crash) writes nothing new.
    const sent = await database.query<{ n: number }>("select count(*)::int as n from audit_events where action = 'notification.sent'");
    const escalation = h.handled.find((j) => j.notification.kind === 'escalation' && j.notification.level === 2);
    expect(escalation).toBeDefined();
    expect((await deliverNotification(app, escalation as NotifyJob)).delivered).toBe(0);
    expect(
      (await database.query<{ n: number }>("select count(*)::int as n from audit_events where action = 'notification.sent'"))[0]?.n,
    ).toBe(sent[0]?.n);
  });
});
