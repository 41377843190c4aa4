import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testApp } from '../../test/app-fixture.ts';
import { testDatabaseKind } from '../../test/db.ts';
import type { App } from '../app/context.ts';
import type { Database } from '../storage/db.ts';
import { webAppBuilt } from './web-app.ts';
import { createHttpApp } from './app.ts';

let app: App;
let database: Database;
beforeAll(async () => {
  ({ app, database } = await testApp());
});
afterAll(async () => {
  await database.close();
});

describe(`first-admin setup on an empty database (${testDatabaseKind})`, () => {
  it('creates the MSP and its admin once, with the one-time token only', async () => {
    const http = createHttpApp(app, { setupToken: 'one-time-token-123' });
    const post = (body: unknown) =>
      http.request('/api/setup', {
        method: 'POST',
        headers: { 'content-type': 'application/json', origin: 'http://localhost' },
        body: JSON.stringify(body),
      });
    const admin = { name: 'Ada', email: 'ada@new-msp.example', password: 'a long enough password' };
    expect((await post({ token: 'guess', name: 'New MSP', admin })).status).toBe(403);
    const invalid = await post({ token: 'one-time-token-123', name: '', admin: { ...admin, password: 'short' } });
    expect(invalid.status).toBe(400);
    expect(((await invalid.json()) as { error: { details: { path: string }[] } }).error.details.map((d) => d.path).sort()).toEqual([
      'admin.password',
      'name',
    ]);
    expect((await post({ token: 'one-time-token-123', name: 'New MSP' })).status).toBe(400); // an admin is required
    const created = await post({ token: 'one-time-token-123', name: 'New MSP', admin });
    expect(created.status).toBe(201);
    expect((await post({ token: 'one-time-token-123', name: 'Again', admin: { ...admin, email: 'x@y.example' } })).status).toBe(403);
    const signIn = await http.request('/api/auth/sign-in', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ email: admin.email, password: admin.password }),
    });
    expect(signIn.status).toBe(200);
    const page = await http.request('/setup?token=x');
    // The web app's setup screen when it is built, else the server's plain page.
    expect(await page.text()).toMatch(webAppBuilt() ? /<script type="module"/ : /Set up offboard/);
  });
});
