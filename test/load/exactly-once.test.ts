/**
 * Exactly once under concurrency, on real PostgreSQL: four `offboard worker` processes deliver
 * more than 10,000 due notifications enqueued by two scheduler ticks running at once, and the
 * receiving SMTP server counts every message by its Message-ID (one per delivery, derived from
 * the notification key). Then a worker is killed with SIGKILL mid-batch: after a replacement
 * starts, every delivery is made, and the only repeats are messages the killed worker had
 * handed to the SMTP server but not yet recorded; they carry the same Message-ID (the email
 * channel's idempotency).
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { join } from 'node:path';
import type { PgBoss } from 'pg-boss';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type SeededMsp, seedMsp } from '../app-fixture.ts';
import { freshPostgresDatabase } from '../db.ts';
import { startSmtp } from '../smtp-fixture.ts';
import { createClient } from '../../src/app/clients/create-client.ts';
import type { App } from '../../src/app/context.ts';
import { setTenantNotificationSettings } from '../../src/app/notifications/notification-settings.ts';
import { loadOffboarding } from '../../src/app/offboardings/offboarding-facts.ts';
import { policyInputFor } from '../../src/app/offboardings/policy-input.ts';
import { secretBoxFromKey } from '../../src/app/secrets.ts';
import { startOffboarding } from '../../src/app/offboardings/start-offboarding.ts';
import { dueNotifications } from '../../src/domain/escalation.ts';
import { STAFF_NOTIFICATION_KINDS } from '../../src/domain/notification-preferences.ts';
import { type Database, migrateDatabase, openDatabase } from '../../src/storage/db.ts';
import { ensureQueues } from '../../src/app/jobs.ts';
import { openJobQueue } from '../../src/worker/queue.ts';
import { schedulerTick } from '../../src/worker/scheduler.ts';

const ADMIN_URL = process.env.TEST_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test';
const WANTED = Number(process.env.LOAD_NOTIFICATIONS) || 10_000;
const DAY_1 = new Date('2026-03-04T15:00:00Z');
const DAY_2 = new Date('2026-03-05T15:00:00Z');

let fresh: Awaited<ReturnType<typeof freshPostgresDatabase>>;
let database: Database;
let app: App;
let msp: SeededMsp;
let boss: PgBoss;
let smtp: Awaited<ReturnType<typeof startSmtp>>;
const workers = new Set<ChildProcess>();
const secretKey = randomBytes(32);

function startWorker(): ChildProcess {
  const child = spawn(process.execPath, [join(import.meta.dirname, '../../bin/offboard.js'), 'worker', '--no-scheduler'], {
    env: {
      ...process.env,
      DATABASE_URL: fresh.url,
      SMTP_URL: smtp.url,
      MAIL_FROM: 'Acme MSP <offboarding@acme.example>',
      OFFBOARD_SECRET_KEY: secretKey.toString('base64'),
      LOG_LEVEL: 'warn',
      // Jobs held by a killed worker come back within seconds, not pg-boss's default minute.
      OFFBOARD_JOB_HEARTBEAT_SECONDS: '10',
      OFFBOARD_QUEUE_SUPERVISE_SECONDS: '2',
    },
    stdio: ['ignore', 'ignore', 'inherit'],
  });
  workers.add(child);
  child.on('exit', () => workers.delete(child));
  return child;
}

// Generous: on a slow day this 2-core machine (workers, PostgreSQL and the SMTP server on it together) took over 240 s.
async function waitFor(condition: () => Promise<boolean>, what: string, timeoutMs = 420_000): Promise<void> {
  const until = Date.now() + timeoutMs;
  while (!(await condition())) {
    if (process.env.LOAD_DEBUG)
      console.log(
        what,
        await database.query('select name, state, count(*)::int as n from pgboss.job group by 1, 2 order by 1, 2'),
        await pendingDeliveries(),
        smtp.received.length,
      );
    if (Date.now() > until) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 500));
  }
}

const count = async (sql: string, params: unknown[] = []) => (await database.query<{ n: number }>(sql, params))[0]?.n ?? 0;
const unfinishedJobs = () => count("select count(*)::int as n from pgboss.job where state in ('created', 'retry', 'active')");
const pendingDeliveries = () => count("select count(*)::int as n from notifications where status = 'pending'");
const settled = async () => (await unfinishedJobs()) === 0 && (await pendingDeliveries()) === 0;

/** Messages received per delivery id (the Message-ID is `<delivery id@offboard>`). */
function receivedById(): Map<string, number> {
  const byId = new Map<string, number>();
  for (const m of smtp.received) {
    const id = /^<([^@>]+)@offboard>$/.exec(m.messageId)?.[1] ?? m.messageId;
    byId.set(id, (byId.get(id) ?? 0) + 1);
  }
  return byId;
}

beforeAll(async () => {
  fresh = await freshPostgresDatabase(ADMIN_URL, 'offboard_load');
  database = await openDatabase({ url: fresh.url });
  await migrateDatabase(database);
  app = { database, clock: () => new Date(), secrets: secretBoxFromKey(secretKey) };
  msp = await seedMsp(app);
  // Every kind by email, so every notification reaches the receiving server.
  await setTenantNotificationSettings(app, msp.admin, {
    preferences: { channels: Object.fromEntries(STAFF_NOTIFICATION_KINDS.map((k) => [k, ['email']])) },
  });
  smtp = await startSmtp(() => new Date());
  boss = await openJobQueue(database, { supervise: false });
  await ensureQueues(boss);

  // Identical offboardings, noticed four weeks before DAY_1: enough of them to make WANTED notifications on DAY_1.
  const open = async (i: number) => {
    const { id: clientId } = await createClient(app, msp.admin, {
      name: `Client ${String(i).padStart(4, '0')}`,
      timezone: 'America/New_York',
      services: { dns: true, m365: true, backup: true, edr: true, rmm: true, cloud: true, firewall: 'client-owned' },
      contacts: [{ name: 'Signer', email: `signer@client${i}.example`, authorizedSigner: true }],
      team: { 'account-manager': msp.users.accountManager, technician: msp.users.technician },
    });
    return (
      await startOffboarding(app, msp.admin, {
        clientId,
        type: 'provider-switch',
        noticeDate: '2026-02-02',
        endDate: '2026-03-31',
        newProvider: { name: 'Northwind IT', contact: 'transition@northwind.example' },
      })
    ).id;
  };
  const first = await open(0);
  const perOffboarding = dueNotifications(policyInputFor(await loadOffboarding(database.db, msp.tenantId, first)), {
    since: new Date(DAY_1.getTime() - 86_400_000).toISOString(),
    now: DAY_1.toISOString(),
  }).length;
  const total = Math.ceil(WANTED / perOffboarding);
  for (let i = 1; i < total; i += 10) await Promise.all(Array.from({ length: Math.min(10, total - i) }, (_, k) => open(i + k)));
}, 600_000);

afterAll(async () => {
  for (const child of workers) child.kill('SIGKILL');
  await boss?.stop({ graceful: false, close: true });
  await smtp?.close();
  await database?.close();
  await fresh?.drop();
});

describe('exactly once on PostgreSQL, four worker processes', () => {
  it('delivers every one of 10,000+ due notifications exactly once', { timeout: 600_000 }, async () => {
    const started = Date.now();
    for (let i = 0; i < 4; i++) startWorker();
    // Two schedulers tick at the same moment: the same notifications, the same job ids.
    const ticks = await Promise.all([schedulerTick(app, boss, DAY_1), schedulerTick(app, boss, DAY_1)]);
    const enqueued = ticks.reduce((sum, t) => sum + t.enqueued, 0);
    expect(enqueued).toBeGreaterThanOrEqual(WANTED);
    await waitFor(settled, 'the workers to finish');

    const keys = await count('select count(distinct key)::int as n from notifications where task_id is not null and fire_at <= $1', [
      DAY_1.toISOString(),
    ]);
    expect(keys).toBeGreaterThanOrEqual(WANTED);
    const emails = await database.query<{ id: string; status: string }>("select id, status from notifications where channel = 'email'");
    expect(emails.every((e) => e.status === 'sent')).toBe(true);
    const received = receivedById();
    // Every delivery arrived once, and nothing arrived that is not a delivery.
    expect(emails.filter((e) => received.get(e.id) !== 1)).toEqual([]);
    expect(smtp.received.length).toBe(emails.length);
    expect(received.size).toBe(emails.length);
    // And each was audited once.
    expect(
      await count(
        'select count(*)::int as n from audit_events where action = \'notification.sent\' and canonical like \'%"channel":"email"%\'',
      ),
    ).toBe(emails.length);
    console.log(
      `exactly once: ${enqueued} jobs enqueued, ${keys} notification keys, ${emails.length} emails received once each, in ${((Date.now() - started) / 1000).toFixed(1)} s`,
    );
  });

  it('after a worker is killed with SIGKILL mid-batch, every notification is still delivered', { timeout: 600_000 }, async () => {
    const before = new Set(receivedById().keys());
    const receivedBefore = smtp.received.length;
    const { enqueued } = await schedulerTick(app, boss, DAY_2);
    expect(enqueued).toBeGreaterThan(WANTED / 2);
    await waitFor(() => Promise.resolve(smtp.received.length - receivedBefore >= 300), 'the first messages of the day');
    const victim = [...workers][0] as ChildProcess;
    victim.kill('SIGKILL');
    await new Promise((resolve) => victim.once('exit', resolve));
    startWorker();
    await waitFor(settled, 'the remaining workers and the replacement to finish');

    const today = await database.query<{ id: string; status: string }>(
      "select id, status from notifications where channel = 'email' and created_at > (select max(created_at) from notifications where id = any($1))",
      [[...before]],
    );
    expect(today.length).toBeGreaterThan(0);
    expect(today.every((e) => e.status === 'sent')).toBe(true);
    const received = receivedById();
    const missing = today.filter((e) => (received.get(e.id) ?? 0) < 1);
    expect(missing).toEqual([]);
    const repeats = [...received.entries()].filter(([id, n]) => n > 1 && !before.has(id));
    // At most what the killed worker held in its batch; repeats carry the same Message-ID.
    expect(repeats.length).toBeLessThanOrEqual(10);
    console.log(`after SIGKILL: ${today.length} emails, all delivered; ${repeats.length} sent twice with the same Message-ID`);
  });
});
