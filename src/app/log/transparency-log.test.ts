import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { unzipSync } from 'fflate';
import { type SeededMsp, type TestClock, seedMsp, testApp } from '../../../test/app-fixture.ts';
import { testDatabaseKind } from '../../../test/db.ts';
import { closedOffboarding } from '../../../test/log-fixture.ts';
import { ed25519, sha256 } from '../../crypto/node.ts';
import { verifyBundle } from '../../domain/evidence-bundle.ts';
import { leafHash, verifyConsistency, verifyInclusion } from '../../domain/merkle.ts';
import { parseCheckpoint, parseVerifierKey, verifyNote } from '../../domain/signed-note.ts';
import type { Database } from '../../storage/db.ts';
import { logRepo } from '../../storage/log-repository.ts';
import type { App } from '../context.ts';
import { exportEvidence } from './export-evidence.ts';
import { createClient } from '../clients/create-client.ts';
import { startOffboarding } from '../offboardings/start-offboarding.ts';
import { signDailyCheckpoints } from '../../worker/scheduler.ts';
import { checkLog, consistencyProof, inclusionProof, logStatus, rotateSigningKey } from './transparency-log.ts';

let app: App;
let database: Database;
let clock: TestClock;
let msp: SeededMsp;
let offboardingId: string;

beforeAll(async () => {
  ({ app, database, clock } = await testApp());
  msp = await seedMsp(app);
  offboardingId = await closedOffboarding(app, msp, clock);
}, 60_000);
afterAll(async () => {
  await database.close();
});

const unzip = (zip: Uint8Array) => new Map(Object.entries(unzipSync(zip)));

describe(`the transparency log (${testDatabaseKind})`, () => {
  it('signs checkpoints at start, each phase completed and close, and they match the tree', async () => {
    const rows = await logRepo.checkpoints(database.db, msp.tenantId);
    const reasons = rows.map((r) => r.reason);
    expect(reasons[0]).toBe('offboarding-started');
    expect(reasons.filter((r) => r === 'phase-completed').length).toBeGreaterThanOrEqual(5);
    expect(reasons.at(-1)).toBe('offboarding-closed');
    const status = await logStatus(app, msp.tenantId);
    const key = parseVerifierKey(sha256, status.verifierKeys[0]!.verifierKey);
    for (const row of rows) {
      const cp = parseCheckpoint(verifyNote(ed25519, row.note, [key]).text);
      expect(cp.size).toBe(row.size);
      expect(cp.origin).toBe(`offboard/${msp.tenantId}`);
    }
    const check = await checkLog(database.db, msp.tenantId);
    expect(check.problems).toEqual([]);
    expect(check.events).toBe(status.size);
  });

  it('gives inclusion proofs for every event and consistency proofs between every pair of checkpoints that verify', async () => {
    const status = await logStatus(app, msp.tenantId);
    const root = new Uint8Array(Buffer.from(status.root, 'base64'));
    const events = await database.query<{ seq: number; canonical: string }>(
      'select seq::int as seq, canonical from audit_events where tenant_id = $1 order by seq',
      [msp.tenantId],
    );
    for (const e of events)
      verifyInclusion(
        sha256,
        e.seq - 1,
        status.size,
        leafHash(sha256, new TextEncoder().encode(e.canonical)),
        await inclusionProof(database.db, msp.tenantId, e.seq - 1, status.size),
        root,
      );
    const rows = await logRepo.checkpoints(database.db, msp.tenantId);
    for (const a of rows)
      for (const b of rows)
        if (a.size < b.size)
          verifyConsistency(
            sha256,
            a.size,
            b.size,
            await consistencyProof(database.db, msp.tenantId, a.size, b.size),
            new Uint8Array(a.root),
            new Uint8Array(b.root),
          );
    await expect(inclusionProof(database.db, msp.tenantId, 0, status.size + 1)).rejects.toMatchObject({
      code: 'invalid-input',
      details: [{ path: 'size' }],
    });
  });

  it('emails the closing checkpoint and the verifier key to the client, and puts the key in the acknowledgement', async () => {
    const [mail] = await database.query<{ recipient: string; body: string; status: string }>(
      "select recipient, body, status from notifications where tenant_id = $1 and kind = 'client-checkpoint'",
      [msp.tenantId],
    );
    const status = await logStatus(app, msp.tenantId);
    const closing = (await logRepo.checkpoints(database.db, msp.tenantId)).find((c) => c.reason === 'offboarding-closed')!;
    expect(mail?.status).toBe('pending');
    // The close checkpoint's size and root, with the offboarding's head as an extension line.
    expect(mail?.body).toContain(closing.note.split('\n').slice(0, 3).join('\n'));
    expect(mail?.body).toContain(`offboard-head ${offboardingId} `);
    expect(mail?.body).toContain(status.verifierKeys[0]!.verifierKey);
  });

  it("exports a bundle that verifies offline, agrees with the client's copy, and says what was done", async () => {
    const exported = await exportEvidence(app, msp.admin, offboardingId, { includeFiles: true });
    const status = await logStatus(app, msp.tenantId);
    const keys = status.verifierKeys.map((k) => parseVerifierKey(sha256, k.verifierKey));
    const closing = (await logRepo.checkpoints(database.db, msp.tenantId)).find((c) => c.reason === 'offboarding-closed')!;
    const verdict = verifyBundle(unzip(exported.zip), { keys, knownCheckpoint: closing.note, sha256, ed25519 });
    expect(verdict.problems).toEqual([]);
    expect(verdict.valid).toBe(true);
    expect(verdict.facts.join('\n')).toMatch(/offboarding started/);
    expect(verdict.facts.join('\n')).toMatch(
      /authorization to hand over to the new provider of Carla Client .* recorded from a signed document/,
    );
    expect(verdict.facts.join('\n')).toMatch(/evidence "inventory.csv"/);
    expect(verdict.facts.join('\n')).toMatch(/offboarding closed/);
    // The evidence, each statement's exact text, and the signed scans it was recorded from.
    expect(
      exported.manifest.artifacts
        .filter((a) => a.included)
        .map((a) => a.name)
        .sort(),
    ).toEqual([
      'authorization-signed.pdf',
      'backup-release-signed.pdf',
      'inventory.csv',
      'replacement-coverage-signed.pdf',
      'statement: authorization',
      'statement: backup-release',
      'statement: replacement-coverage',
    ]);
  });

  it('keeps old keys after a rotation, so earlier checkpoints still verify with them', async () => {
    const before = await logStatus(app, msp.tenantId);
    const { verifierKey } = await rotateSigningKey(app, msp.admin);
    const after = await logStatus(app, msp.tenantId);
    expect(after.verifierKeys.map((k) => k.verifierKey)).toEqual([before.verifierKeys[0]!.verifierKey, verifierKey]);
    expect(after.verifierKeys.filter((k) => k.active).map((k) => k.verifierKey)).toEqual([verifierKey]);
    expect(after.lastCheckpoint?.reason).toBe('key-rotated');
    const exported = await exportEvidence(app, msp.admin, offboardingId);
    const keys = after.verifierKeys.map((k) => parseVerifierKey(sha256, k.verifierKey));
    expect(verifyBundle(unzip(exported.zip), { keys, sha256, ed25519 }).valid).toBe(true);
    // With only the old key, the final checkpoint (signed by the new one) is from an unknown key.
    expect(verifyBundle(unzip(exported.zip), { keys: keys.slice(0, 1), sha256, ed25519 }).problems.join()).toMatch(
      /no signature from a known key/,
    );
    expect((await checkLog(database.db, msp.tenantId)).problems).toEqual([]);
  });

  it('signs a daily checkpoint while the log grows, not more often, and none when nothing changed', async () => {
    const last = (await logRepo.latestCheckpoint(database.db, msp.tenantId))!;
    const signedAt = new Date(last.signedAt).getTime();
    await createClient(app, msp.admin, { name: 'Another client', timezone: 'Europe/London', services: {}, contacts: [] });
    const grown = (await logStatus(app, msp.tenantId)).size;
    expect(grown).toBeGreaterThan(last.size);
    await signDailyCheckpoints(app, new Date(signedAt + 3_600_000));
    expect((await logRepo.latestCheckpoint(database.db, msp.tenantId))!.size).toBe(last.size);
    await signDailyCheckpoints(app, new Date(signedAt + 25 * 3_600_000));
    const daily = (await logRepo.latestCheckpoint(database.db, msp.tenantId))!;
    expect(daily).toMatchObject({ size: grown, reason: 'daily' });
    await signDailyCheckpoints(app, new Date(signedAt + 50 * 3_600_000));
    expect((await logRepo.latestCheckpoint(database.db, msp.tenantId))!.size).toBe(grown);
  });

  it('concurrent client creations and starts (each signing a checkpoint) neither deadlock nor break the tree', async () => {
    const busy = await seedMsp(app, 'Busy MSP');
    const am = busy.as('account-manager', busy.users.accountManager);
    await Promise.all(
      Array.from({ length: 12 }, async (_, i) => {
        const { id: clientId } = await createClient(app, busy.admin, {
          name: `Concurrent ${i}`,
          timezone: 'America/New_York',
          services: { rmm: true },
          contacts: [{ name: 'Signer', email: `s${i}@c.example`, authorizedSigner: true }],
        });
        await startOffboarding(app, am, { clientId, type: 'insourced', noticeDate: '2026-03-02', endDate: '2026-03-31' });
      }),
    );
    expect((await checkLog(database.db, busy.tenantId)).problems).toEqual([]);
  });

  it('log check finds a changed event, a changed subtree and a changed checkpoint', async () => {
    const other = await seedMsp(app, 'Tamper MSP');
    await closedOffboarding(app, other, clock, { close: false });
    expect((await checkLog(database.db, other.tenantId)).problems).toEqual([]);
    await database.query(
      `update audit_events set canonical = replace(canonical, '"type":"provider-switch"', '"type":"acquisition"') where tenant_id = $1`,
      [other.tenantId],
    );
    await database.query('update log_nodes set hash = sha256(hash) where tenant_id = $1 and level = 1 and idx = 0', [other.tenantId]);
    const problems = (await checkLog(database.db, other.tenantId)).problems.join('\n');
    expect(problems).toMatch(/subtree 1\/0 has the wrong hash/);
    expect(problems).toMatch(/compact range differs/);
    expect(problems).toMatch(/checkpoint \d+ signs a root the events do not make/);
  });
});
