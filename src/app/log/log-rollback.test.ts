/**
 * An operator with write access to the database rolls the log back and appends a different
 * history. The server's own copy of the last checkpoint it signed (outside the database) makes
 * it refuse to sign the new history, and `log check` report it.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type SeededMsp, type TestClock, seedMsp, testApp } from '../../../test/app-fixture.ts';
import { testDatabaseKind } from '../../../test/db.ts';
import { logStateOf, rollBackLog } from '../../../test/log-fixture.ts';
import { fileCheckpointStore } from '../../storage/signed-checkpoints.ts';
import type { Database } from '../../storage/db.ts';
import { type App, transaction } from '../context.ts';
import { createClient } from '../clients/create-client.ts';
import { startOffboarding } from '../offboardings/start-offboarding.ts';
import { LogRewrittenError, checkLog, logOrigin, signCheckpoint } from './transparency-log.ts';

let app: App;
let database: Database;
let clock: TestClock;
let msp: SeededMsp;
const dir = mkdtempSync(join(tmpdir(), 'offboard-signed-'));

beforeAll(async () => {
  ({ app, database, clock } = await testApp());
  app.signedCheckpoints = fileCheckpointStore(dir);
  msp = await seedMsp(app);
});
afterAll(async () => {
  await database.close();
  rmSync(dir, { recursive: true, force: true });
});

const sign = () => transaction(app, (tx) => signCheckpoint(tx, app, msp.tenantId, 'export', clock().toISOString()));
const addClient = (name: string) => createClient(app, msp.admin, { name, timezone: 'UTC', services: {}, contacts: [] });
const logSize = async () =>
  (await database.query<{ n: number }>('select log_size::int as n from tenants where id = $1', [msp.tenantId]))[0]?.n ?? 0;

describe(`a rolled-back or rewritten log (${testDatabaseKind})`, () => {
  it('is refused by the signer and reported by log check, from the checkpoint kept outside the database', async () => {
    await startOffboarding(app, msp.admin, {
      clientId: msp.clientId,
      type: 'provider-switch',
      noticeDate: '2026-03-02',
      endDate: '2026-03-31',
      newProvider: { name: 'Northwind IT', contact: 'n@northwind.example' },
    });
    const before = await logStateOf(database, msp.tenantId);
    for (let i = 0; i < 5; i++) await addClient(`Real client ${i}`);
    const signed = await sign();
    expect(signed?.size).toBe(await logSize());
    expect(signed?.size).toBeGreaterThan(before.size);
    const lastSigned = await app.signedCheckpoints!.last(logOrigin(msp.tenantId));
    expect(lastSigned).toBe(signed?.note);
    expect((await checkLog(database.db, msp.tenantId, { lastSigned })).problems).toEqual([]);

    // The operator rolls the database back: on its own, the database looks consistent.
    await rollBackLog(database, msp.tenantId, before.size, before.range);
    expect((await checkLog(database.db, msp.tenantId)).problems).toEqual([]);
    // Against the checkpoint the server kept, it is not.
    expect((await checkLog(database.db, msp.tenantId, { lastSigned })).problems.join(' ')).toMatch(/rolled back/);
    // A shorter log is refused...
    await addClient('Rewritten history');
    await expect(sign()).rejects.toThrow(LogRewrittenError);
    // ...and so is a longer one whose entries differ from those signed.
    while ((await logSize()) <= (signed?.size ?? 0)) await addClient('More rewritten history');
    await expect(sign()).rejects.toThrow(/not those of the checkpoint this server signed/);
    expect((await checkLog(database.db, msp.tenantId, { lastSigned })).problems.join(' ')).toMatch(/rewritten/);
    // The file still holds what was signed: nothing was recorded for the refused histories.
    expect(await app.signedCheckpoints!.last(logOrigin(msp.tenantId))).toBe(lastSigned);
  });
});
