/**
 * What the web app asks of the API beyond the basics: the session without a 401, the permission
 * table it shows controls from, what a requester may do with a task, checklist ticks saved one
 * by one, notifications marked read together, and passwords changed and reset.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type SeededMsp, seedMsp, testApp } from '../../test/app-fixture.ts';
import { apiCaller, type CallOptions } from '../../test/http-fixture.ts';
import { createApiToken } from '../app/accounts/api-tokens.ts';
import type { App } from '../app/context.ts';
import { startOffboarding } from '../app/offboardings/start-offboarding.ts';
import { PERMISSIONS } from '../domain/policies.ts';
import type { StaffRole } from '../domain/vocabulary.ts';
import type { Database } from '../storage/db.ts';
import { createHttpApp } from './app.ts';

let app: App;
let database: Database;
let http: ReturnType<typeof createHttpApp>;
let msp: SeededMsp;
let offboarding: string;
const tokens: Partial<Record<StaffRole, string>> = {};
const PASSWORD = 'correct horse battery';

beforeAll(async () => {
  ({ app, database } = await testApp());
  http = createHttpApp(app);
  msp = await seedMsp(app);
  offboarding = (
    await startOffboarding(app, msp.admin, {
      clientId: msp.clientId,
      type: 'provider-switch',
      noticeDate: '2026-03-02',
      endDate: '2026-03-31',
      newProvider: { name: 'Northwind IT', contact: 'n@northwind.example' },
    })
  ).id;
  for (const role of ['admin', 'manager', 'account-manager', 'technician', 'billing', 'auditor'] as const)
    tokens[role] = (await createApiToken(app, msp.admin, { name: role, role })).token;
});
afterAll(() => database.close());

// The browser's own requests carry its origin (the cross-site guard refuses cookie requests without it).
const call = (method: string, path: string, options: CallOptions = {}) =>
  apiCaller(http)(method, path, options.cookie ? { ...options, headers: { origin: 'http://localhost', ...options.headers } } : options);

async function signIn(email: string, password: string): Promise<{ status: number; cookie: string }> {
  const res = await http.request('/api/auth/sign-in', {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ email, password }),
  });
  return { status: res.status, cookie: (res.headers.get('set-cookie') ?? '').split(';')[0] ?? '' };
}

const emailOf = async (id: string) =>
  (await database.query<{ email: string }>('select email from users where id = $1', [id]))[0]?.email ?? '';

type TaskSeen = { id: string; key: string; checklist: { item: string; done: boolean }[]; evidenceRequired: boolean };
async function taskOf(key: string): Promise<TaskSeen> {
  const detail = await call('GET', `/api/offboardings/${offboarding}`, { token: tokens.admin });
  return (detail.body.tasks as TaskSeen[]).find((t) => t.key === key) as TaskSeen;
}

describe('the session and the permission table', () => {
  it('answers who is signed in with 200 and null without a session, and the role table with it', async () => {
    expect(await call('GET', '/api/auth/session')).toMatchObject({ status: 200, body: { user: null } });
    expect(await call('GET', '/api/auth/session', { cookie: 'offboard_session=not-a-session' })).toMatchObject({ body: { user: null } });
    const { cookie } = await signIn(await emailOf(msp.admin.id), PASSWORD);
    const session = await call('GET', '/api/auth/session', { cookie });
    expect(session.body.user).toMatchObject({ id: msp.admin.id, role: 'admin', name: 'Ada Admin' });
    const me = await call('GET', '/api/me', { token: tokens.auditor });
    const auditorMay = Object.entries(PERMISSIONS)
      .filter(([, roles]) => (roles as readonly string[]).includes('auditor'))
      .map(([action]) => action);
    expect(me.body.permissions).toEqual(auditorMay);
    expect(me.body.permissions).not.toContain('tasks.work');
    expect(me.body.permissions).toContain('audit.read');
  });

  it('says what each role may do with a task, and the routes agree', async () => {
    const task = await taskOf('contract-review');
    const allowed = async (role: StaffRole) => (await call('GET', `/api/tasks/${task.id}`, { token: tokens[role] })).body.allowed;
    expect(await allowed('auditor')).toEqual([]);
    expect(await allowed('billing')).toEqual([]);
    expect(await allowed('account-manager')).toEqual(['start', 'complete', 'tick', 'attach-evidence', 'assign']);
    expect(await allowed('manager')).toEqual(['start', 'complete', 'tick', 'attach-evidence', 'assign', 'waive', 'waive-evidence']);
    expect((await call('POST', `/api/tasks/${task.id}/start`, { token: tokens.billing })).status).toBe(403);
    const waiveEvidence = (role: StaffRole) =>
      call('POST', `/api/tasks/${task.id}/evidence-waiver`, { token: tokens[role], body: { reason: 'The client keeps the contract' } });
    expect((await waiveEvidence('account-manager')).status).toBe(403);
    expect((await taskOf('contract-review')).evidenceRequired).toBe(true);
    const waived = await waiveEvidence('manager');
    expect(waived.status).toBe(200);
    expect(waived.body).toMatchObject({ evidenceRequired: false, evidenceWaiver: { reason: 'The client keeps the contract' } });
    expect(await allowed('manager')).toEqual(['start', 'complete', 'tick', 'attach-evidence', 'assign', 'waive']);
  });
});

describe('checklist ticks', () => {
  it('saves each tick at once, audits it, names a wrong item, and refuses a finished task', async () => {
    const task = await taskOf('contract-review');
    const [first, second] = task.checklist;
    expect(first && second).toBeTruthy();
    const got = await call('GET', `/api/tasks/${task.id}`, { token: tokens['account-manager'] });
    const ticked = await call('POST', `/api/tasks/${task.id}/checklist`, {
      token: tokens['account-manager'],
      headers: { 'if-match': got.headers.get('etag') as string },
      body: { item: first?.item, done: true },
    });
    expect(ticked.status).toBe(200);
    expect(ticked.headers.get('etag')).not.toBe(got.headers.get('etag'));
    // A reload keeps it.
    expect((await taskOf('contract-review')).checklist).toEqual([{ item: first?.item, done: true }, ...task.checklist.slice(1)]);
    // An old ETag is a conflict: someone ticked in between.
    const stale = await call('POST', `/api/tasks/${task.id}/checklist`, {
      token: tokens['account-manager'],
      headers: { 'if-match': got.headers.get('etag') as string },
      body: { item: second?.item, done: true },
    });
    expect(stale.status).toBe(409);
    const unknown = await call('POST', `/api/tasks/${task.id}/checklist`, {
      token: tokens['account-manager'],
      body: { item: 'Not on the list', done: true },
    });
    expect(unknown.status).toBe(400);
    expect((unknown.body.error as { details: unknown[] }).details).toEqual([
      { path: 'item', message: '"Not on the list" is not on this task\'s checklist' },
    ]);
    expect(
      (await call('POST', `/api/tasks/${task.id}/checklist`, { token: tokens.auditor, body: { item: first?.item, done: false } })).status,
    ).toBe(403);
    const unticked = await call('POST', `/api/tasks/${task.id}/checklist`, {
      token: tokens['account-manager'],
      body: { item: first?.item, done: false },
    });
    expect((unticked.body.checklist as { done: boolean }[])[0]?.done).toBe(false);
    const events = await call('GET', `/api/offboardings/${offboarding}/events`, { token: tokens.auditor });
    expect(
      (events.body.items as { action: string; data: { item?: string } }[])
        .filter((e) => e.action.startsWith('task.checklist'))
        .map((e) => [e.action, e.data.item]),
    ).toEqual([
      ['task.checklist-ticked', first?.item],
      ['task.checklist-unticked', first?.item],
    ]);
    // The evidence requirement was waived by the manager in the test above.
    expect((await call('POST', `/api/tasks/${task.id}/complete`, { token: tokens['account-manager'], body: {} })).status).toBe(200);
    const done = await call('POST', `/api/tasks/${task.id}/checklist`, {
      token: tokens['account-manager'],
      body: { item: first?.item, done: true },
    });
    expect(done.status).toBe(409);
  });
});

describe('notifications', () => {
  it('marks every unread notification of mine read, and nobody else’s', async () => {
    const insert = (id: string, user: string) =>
      database.query(
        "insert into notifications (id, tenant_id, key, kind, level, channel, recipient, recipient_user_id, subject, body, fire_at) values ($1, $2, $1, 'reminder', 0, 'in-app', $3, $3, 's', 'b', now())",
        [id, msp.tenantId, user],
      );
    const { cookie } = await signIn(await emailOf(msp.admin.id), PASSWORD);
    await insert('mine-1', msp.admin.id);
    await insert('mine-2', msp.admin.id);
    await insert('theirs', msp.users.technician);
    expect((await call('GET', '/api/my/notifications', { cookie })).body.unread).toBe(2);
    expect((await call('POST', '/api/my/notifications/read', { cookie })).body).toEqual({ marked: 2 });
    expect((await call('GET', '/api/my/notifications', { cookie })).body.unread).toBe(0);
    expect((await database.query('select 1 from notifications where id = $1 and read_at is null', ['theirs'])).length).toBe(1);
  });
});

describe('passwords', () => {
  it('lets a person change their own: the current one is proven, other sessions end, this one stays', async () => {
    await database.query('update users set password_hash = (select password_hash from users where id = $1) where id = $2', [
      msp.admin.id,
      msp.users.documentation,
    ]);
    const email = await emailOf(msp.users.documentation);
    const here = await signIn(email, PASSWORD);
    const elsewhere = await signIn(email, PASSWORD);
    const wrong = await call('POST', '/api/me/password', {
      cookie: here.cookie,
      body: { currentPassword: 'nope', newPassword: 'a new long password' },
    });
    expect(wrong.status).toBe(400);
    expect((wrong.body.error as { details: unknown[] }).details).toEqual([
      { path: 'currentPassword', message: 'is not your current password' },
    ]);
    const short = await call('POST', '/api/me/password', {
      cookie: here.cookie,
      body: { currentPassword: PASSWORD, newPassword: 'short' },
    });
    expect((short.body.error as { details: { path: string }[] }).details[0]?.path).toBe('newPassword');
    const changed = await call('POST', '/api/me/password', {
      cookie: here.cookie,
      body: { currentPassword: PASSWORD, newPassword: 'a new long password' },
    });
    expect(changed.status).toBe(204);
    expect((await call('GET', '/api/me', { cookie: here.cookie })).status).toBe(200);
    expect((await call('GET', '/api/me', { cookie: elsewhere.cookie })).status).toBe(401);
    expect((await signIn(email, PASSWORD)).status).toBe(401);
    expect((await signIn(email, 'a new long password')).status).toBe(200);
    // A token is not a person with a password.
    expect(
      (await call('POST', '/api/me/password', { token: tokens.admin, body: { currentPassword: PASSWORD, newPassword: 'x'.repeat(12) } }))
        .status,
    ).toBe(403);
  });

  it('lets an admin reset a password to a temporary one shown once; their sessions end; others may not', async () => {
    const email = await emailOf(msp.users.documentation);
    await database.query('delete from login_attempts');
    const before = await signIn(email, 'a new long password');
    const reset = await call('POST', `/api/users/${msp.users.documentation}/password`, { token: tokens.admin });
    expect(reset.status).toBe(200);
    const temporary = reset.body.temporaryPassword as string;
    expect(temporary).toMatch(/^[a-zA-Z2-9]{16}$/);
    expect((await call('GET', '/api/me', { cookie: before.cookie })).status).toBe(401);
    expect((await signIn(email, temporary)).status).toBe(200);
    expect((await call('POST', `/api/users/${msp.users.documentation}/password`, { token: tokens.manager })).status).toBe(403);
    // The audit trail says it happened, never what the password is.
    const audited = await database.query<{ canonical: string }>(
      "select canonical from audit_events where action = 'user.password-changed' order by seq",
    );
    expect(audited.map((r) => (JSON.parse(r.canonical) as { data: unknown }).data)).toEqual([{ by: 'themselves' }, { by: 'admin-reset' }]);
    expect(JSON.stringify(audited)).not.toContain(temporary);
  });
});

describe('the offboarding screens', () => {
  it('previews a change of dates without changing anything, then the change moves the same tasks', async () => {
    const before = await call('GET', `/api/offboardings/${offboarding}`, { token: tokens.admin });
    const preview = await call('POST', `/api/offboardings/${offboarding}/dates/preview`, {
      token: tokens['account-manager'],
      body: { endDate: '2026-04-30' },
    });
    expect(preview.status).toBe(200);
    const moved = preview.body.moved as { key: string; from: string; to: string }[];
    expect(moved.length).toBeGreaterThan(0);
    expect((await call('GET', `/api/offboardings/${offboarding}`, { token: tokens.admin })).body).toEqual(before.body);
    expect(
      (await call('POST', `/api/offboardings/${offboarding}/dates/preview`, { token: tokens.technician, body: { endDate: '2026-04-30' } }))
        .status,
    ).toBe(403);
    const bad = await call('POST', `/api/offboardings/${offboarding}/dates/preview`, {
      token: tokens.admin,
      body: { endDate: '30/04/2026' },
    });
    expect((bad.body.error as { details: { path: string }[] }).details[0]?.path).toBe('endDate');
    const changed = await call('POST', `/api/offboardings/${offboarding}/dates`, {
      token: tokens['account-manager'],
      body: { endDate: '2026-04-30' },
    });
    expect(changed.body.moved).toEqual(moved);
  });

  it('names who did each thing, with the role they held then', async () => {
    const events = await call('GET', `/api/offboardings/${offboarding}/events`, { token: tokens.auditor });
    const items = events.body.items as { actor: string; actorName: string; actorRole: string | null; action: string }[];
    expect(items.find((e) => e.action === 'offboarding.started')).toMatchObject({ actorName: 'Ada Admin', actorRole: 'admin' });
    expect(items.find((e) => e.action === 'offboarding.dates-changed')).toMatchObject({
      actorName: 'API token "account-manager"',
      actorRole: 'account-manager',
    });
  });
});
