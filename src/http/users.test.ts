/** An admin changes people: role, manager chain (no loops), disabling (sign-in refused, sessions ended). */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type SeededMsp, seedMsp, testApp } from '../../test/app-fixture.ts';
import { createApiToken } from '../app/accounts/api-tokens.ts';
import type { App } from '../app/context.ts';
import type { Database } from '../storage/db.ts';
import { createHttpApp } from './app.ts';

let app: App;
let database: Database;
let msp: SeededMsp;
let http: ReturnType<typeof createHttpApp>;
let token: string;

beforeAll(async () => {
  ({ app, database } = await testApp());
  msp = await seedMsp(app);
  http = createHttpApp(app);
  token = (await createApiToken(app, msp.admin, { name: 'admin', role: 'admin' })).token;
});
afterAll(() => database.close());

const patch = async (id: string, body: unknown) => {
  const res = await http.request(`/api/users/${id}`, {
    method: 'PATCH',
    headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });
  return {
    status: res.status,
    body: (await res.json()) as {
      role?: string;
      managerId?: string | null;
      disabled?: boolean;
      error?: { details: { path: string; message: string }[] };
    },
  };
};

describe('PATCH /api/users/{id}', () => {
  it('changes a role and a manager, refusing a loop in the chain', async () => {
    expect((await patch(msp.users.technician, { role: 'documentation' })).body).toMatchObject({ role: 'documentation' });
    // The leader reporting to their own report would make a loop.
    const loop = await patch(msp.users.leader, { managerId: msp.users.manager });
    expect(loop.status).toBe(400);
    expect(loop.body.error?.details).toEqual([{ path: 'managerId', message: 'would make a loop in the manager chain' }]);
    expect((await patch(msp.users.technician, { managerId: null })).body).toMatchObject({ managerId: null });
    expect((await patch(msp.users.technician, {})).status).toBe(400);
  });

  it('disables a person: their sessions end and they cannot sign in; the last admin stays', async () => {
    const email = (await database.query<{ email: string }>('select email from users where id = $1', [msp.users.auditor]))[0]?.email;
    await database.query('update users set password_hash = (select password_hash from users where id = $1) where id = $2', [
      msp.admin.id,
      msp.users.auditor,
    ]);
    const signIn = () =>
      http.request('/api/auth/sign-in', {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ email, password: 'correct horse battery' }),
      });
    expect((await signIn()).status).toBe(200);
    expect((await database.query('select 1 from sessions where user_id = $1', [msp.users.auditor])).length).toBe(1);
    expect((await patch(msp.users.auditor, { disabled: true })).body).toMatchObject({ disabled: true });
    expect(await database.query('select 1 from sessions where user_id = $1', [msp.users.auditor])).toEqual([]);
    expect((await signIn()).status).toBe(401);
    const self = await patch(msp.admin.id, { disabled: true });
    expect(self.status).toBe(409);
  });
});
