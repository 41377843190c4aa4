/**
 * Revocation, verified, on PGlite and PostgreSQL: the vault's revoked credentials are on the
 * offboarding's list from the start, staff add what the vault does not hold; access-revocation
 * and mfa-cleanup complete only when every item is revoked and verified (a failed login after the
 * revocation, with its screenshot; the provider's answer) or accounted for by a manager, never
 * before the agreed date; verify says each item's fate and names its evidence.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type SeededMsp, type TestClock, seedMsp, testApp } from '../../../test/app-fixture.ts';
import { testDatabaseKind } from '../../../test/db.ts';
import type { Database } from '../../storage/db.ts';
import type { App } from '../context.ts';
import { startOffboarding } from '../offboardings/start-offboarding.ts';
import { attachEvidence } from '../tasks/attach-evidence.ts';
import { completeTask } from '../tasks/complete-task.ts';
import { waiveTask } from '../tasks/waive-task.ts';
import { addCredential } from './add-credential.ts';
import { accountForRevocation, addRevocation, listRevocations, recordRevocation } from './manage-revocations.ts';
import { setDispositions } from './set-dispositions.ts';

let app: App;
let database: Database;
let clock: TestClock;
let a: SeededMsp;

beforeAll(async () => {
  ({ app, database, clock } = await testApp());
  a = await seedMsp(app, 'Revocation MSP');
});
afterAll(async () => {
  await database.close();
});

describe(`revocation, verified (${testDatabaseKind})`, () => {
  it('completes the revocation tasks only when every item is revoked and verified or accounted for, on the agreed date', async () => {
    const rmm = await addCredential(app, a.admin, a.clientId, { name: 'RMM API key', kind: 'api-key', password: 'rmm-key-secret-1' });
    const admin = await addCredential(app, a.admin, a.clientId, {
      name: 'Acme admin in M365',
      kind: 'cloud-console',
      username: 'acme@harbor',
      password: 'x-1',
    });
    await setDispositions(app, a.admin, a.clientId, { ids: [rmm.id], disposition: 'revoke' });
    const o = await startOffboarding(app, a.admin, {
      clientId: a.clientId,
      type: 'insourced',
      noticeDate: '2026-03-02',
      endDate: '2026-03-31',
    });
    // Decided after the start: it joins the list of the running offboarding.
    await setDispositions(app, a.admin, a.clientId, { ids: [admin.id], disposition: 'revoke' });
    const manager = a.as('manager', a.users.manager);
    await addRevocation(app, a.admin, o.id, { what: "Acme's authenticator on the Harbor global admin", kind: 'mfa' });
    const listed = await listRevocations(app, a.as('auditor', a.users.auditor), o.id);
    expect(listed.items.map((i) => [i.what, i.kind, i.task, i.settled])).toEqual([
      ['Acme admin in M365 (acme@harbor)', 'admin-access', 'access-revocation', false],
      ["Acme's authenticator on the Harbor global admin", 'mfa', 'mfa-cleanup', false],
      ['RMM API key', 'api-key', 'access-revocation', false],
    ]);

    const tasks = async () =>
      new Map(
        (
          await database.query<{ key: string; id: string; status: string }>('select key, id, status from tasks where offboarding_id = $1', [
            o.id,
          ])
        ).map((t) => [t.key, t]),
      );
    const t0 = await tasks();
    // Upstream tasks waived, so the revocation tasks can be worked.
    for (const key of ['credential-transfer'])
      await waiveTask(app, manager, t0.get(key)?.id as string, undefined, { reason: 'handled in the test' });
    const access = t0.get('access-revocation')?.id as string;
    const cleanup = t0.get('mfa-cleanup')?.id as string;
    expect((await tasks()).get('access-revocation')?.status).toBe('ready');
    clock.set('2026-03-31T15:00:00Z');
    await expect(completeTask(app, a.admin, access, undefined, {})).rejects.toMatchObject({
      code: 'conflict',
      details: [{ path: 'revocations', message: '2 of 2 items to revoke: 2 not revoked yet' }],
    });
    const shot = await attachEvidence(
      app,
      a.admin,
      access,
      { filename: 'm365-login-failed.png', mediaType: 'image/png' },
      new Uint8Array([137, 80, 78, 71, 1]),
    );
    const [adminItem, mfaItem, rmmItem] = listed.items;
    await expect(
      recordRevocation(app, a.admin, adminItem?.id as string, {
        revokedAt: '2026-03-31T14:00:00Z',
        verification: { method: 'failed-login', attemptedAt: '2026-03-31T13:00:00Z', screenshotId: shot.id },
      }),
    ).rejects.toMatchObject({ details: [{ path: 'verification.attemptedAt' }] });
    await expect(
      recordRevocation(app, a.admin, adminItem?.id as string, {
        revokedAt: '2026-03-31T14:00:00Z',
        verification: { method: 'failed-login', attemptedAt: '2026-03-31T14:05:00Z', screenshotId: 'not-a-file' },
      }),
    ).rejects.toMatchObject({ details: [{ path: 'verification.screenshotId' }] });
    const adminDone = await recordRevocation(app, a.admin, adminItem?.id as string, {
      revokedAt: '2026-03-31T14:00:00Z',
      verification: { method: 'failed-login', attemptedAt: '2026-03-31T14:05:00Z', screenshotId: shot.id },
    });
    expect(adminDone.settled).toBe(true);
    expect(adminDone.inWords).toMatch(
      /^Acme admin in M365 \(acme@harbor\): revoked on 2026-03-31, verified by a failed login at 2026-03-31T14:05:00Z \(screenshot m365-login-failed\.png, SHA-256 [0-9a-f]{16}\.\.\.\)$/,
    );
    // Revoked without a check: not settled until verified or accounted for.
    const rmmRevoked = await recordRevocation(app, a.admin, rmmItem?.id as string, {});
    expect(rmmRevoked.settled).toBe(false);
    await expect(completeTask(app, a.admin, access, undefined, {})).rejects.toMatchObject({
      details: [
        { path: 'revocations', message: '1 of 2 items to revoke: 1 revoked but not verified (a manager may account for it with a reason)' },
      ],
    });
    await recordRevocation(app, a.admin, rmmItem?.id as string, {
      verification: { method: 'provider-answer', answer: 'Key deleted; API returns 401 for it', answeredAt: '2026-03-31T14:30:00Z' },
    });
    // Everything settled, and still not before the agreed date.
    clock.set('2026-03-30T15:00:00Z');
    await expect(completeTask(app, a.admin, access, undefined, {})).rejects.toMatchObject({ code: 'too-early' });
    clock.set('2026-03-31T15:00:00Z');
    await completeTask(app, a.admin, access, undefined, {});

    // MFA: it cannot be verified from outside; a manager accounts for it.
    await recordRevocation(app, a.admin, mfaItem?.id as string, {
      verification: { method: 'cannot-verify', reason: 'the authenticator lives on a phone we returned' },
    });
    await expect(completeTask(app, a.admin, cleanup, undefined, {})).rejects.toMatchObject({ details: [{ path: 'revocations' }] });
    await expect(
      accountForRevocation(app, a.as('technician', a.users.technician), mfaItem?.id as string, { reason: '' }),
    ).rejects.toMatchObject({
      details: [{ path: 'reason' }],
    });
    const accounted = await accountForRevocation(app, manager, mfaItem?.id as string, {
      reason: 'the client removed the method from the account',
    });
    expect(accounted).toMatchObject({
      settled: true,
      accounted: { by: 'manager, manager', reason: 'the client removed the method from the account' },
    });
    // The playbook asks for a screenshot of the registrations as they are now: the accounting does not replace it.
    await attachEvidence(
      app,
      a.admin,
      cleanup,
      { filename: 'mfa-methods.png', mediaType: 'image/png' },
      new Uint8Array([137, 80, 78, 71, 2]),
    );
    await completeTask(app, a.admin, cleanup, undefined, {});

    const { verifiedWords } = await import('../../../test/bundle-fixture.ts');
    const words = await verifiedWords(app, a.admin, o.id);
    expect(words).toContain('credential "Acme admin in M365": revoke (the MSP\'s own access)');
    expect(words).toMatch(
      /"Revoke all of our access" marked done with 1 evidence file; 2 revoked: Acme admin in M365 \(acme@harbor\): revoked on 2026-03-31, verified by a failed login at 2026-03-31T14:05:00Z \(screenshot m365-login-failed\.png, SHA-256 [0-9a-f]{16}\.\.\.\); RMM API key: revoked on 2026-03-31, verified by the provider's answer on 2026-03-31: "Key deleted; API returns 401 for it" \[access-revocation\]/,
    );
    expect(words).toContain(
      'not verifiable: the authenticator lives on a phone we returned; accounted for by manager, manager: the client removed the method from the account',
    );
    // Each credential's fate in one line, naming what verified its revocation.
    expect(words).toMatch(
      /^credential "Acme admin in M365": revoke \(the MSP's own access\); revoked on 2026-03-31, verified by a failed login at 2026-03-31T14:05:00Z \(screenshot m365-login-failed\.png, SHA-256 [0-9a-f]{16}\.\.\.\)$/m,
    );
  });
});
