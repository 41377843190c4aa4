/**
 * Witnesses end to end: two `offboard witness` processes cosign the MSP's checkpoints; bundles
 * carry the cosignatures and `verify --witness` requires them; a witness killed with SIGKILL
 * keeps what it cosigned; and a forked log (the database rolled back and rewritten) is refused
 * by the witness that saw the original.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { unzipSync } from 'fflate';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type SeededMsp, type TestClock, seedMsp, testApp } from '../../../test/app-fixture.ts';
import { testDatabaseKind } from '../../../test/db.ts';
import { logStateOf, rollBackLog } from '../../../test/log-fixture.ts';
import { ed25519, sha256 } from '../../crypto/node.ts';
import { verifyBundle } from '../../domain/evidence-bundle.ts';
import { KEY_TYPES, parseVerifierKey } from '../../domain/signed-note.ts';
import type { Database } from '../../storage/db.ts';
import { type App, transaction } from '../context.ts';
import { createClient } from '../clients/create-client.ts';
import { exportEvidence } from './export-evidence.ts';
import { startOffboarding } from '../offboardings/start-offboarding.ts';
import { logStatus, signCheckpoint } from './transparency-log.ts';
import { type WitnessRow, addWitness, cosignLatest, listWitnesses } from './witnesses.ts';

const root = fileURLToPath(new URL('../../../', import.meta.url));
const dirs: string[] = [];
const children: ChildProcess[] = [];
let app: App;
let database: Database;
let clock: TestClock;
let msp: SeededMsp;
let logKey: string;

type Witness = { url: string; key: string; child: ChildProcess; dataDir: string };

function startWitnessProcess(name: string, dataDir: string): Promise<Witness> {
  const child = spawn(
    process.execPath,
    [join(root, 'src/cli/main.ts'), 'witness', '--name', name, '--port', '0', '--data-dir', dataDir, '--log', logKey],
    { cwd: root, stdio: ['ignore', 'pipe', 'pipe'] },
  );
  children.push(child);
  return new Promise((resolve, reject) => {
    let out = '';
    const timer = setTimeout(() => reject(new Error(`witness did not start: ${out}`)), 30_000);
    child.stdout?.on('data', (chunk: Buffer) => {
      out += chunk.toString();
      const url = /listening at (\S+)/.exec(out)?.[1];
      const key = /witness key: (\S+)/.exec(out)?.[1];
      if (url && key) {
        clearTimeout(timer);
        resolve({ url, key, child, dataDir });
      }
    });
    child.on('exit', (code) => reject(new Error(`witness exited with ${code}: ${out}`)));
  });
}

const kill9 = (w: Witness) =>
  new Promise<void>((resolve) => {
    w.child.once('exit', () => resolve());
    w.child.kill('SIGKILL');
  });

beforeAll(async () => {
  ({ app, database, clock } = await testApp());
  msp = await seedMsp(app);
  logKey = (await logStatus(app, msp.tenantId)).verifierKeys[0]!.verifierKey;
});
afterAll(async () => {
  for (const c of children) c.kill('SIGKILL');
  await database.close();
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
});

const tmp = () => {
  const d = mkdtempSync(join(tmpdir(), 'offboard-witness-'));
  dirs.push(d);
  return d;
};
const sign = () => transaction(app, (tx) => signCheckpoint(tx, app, msp.tenantId, 'export', clock().toISOString()));
const addClient = (name: string) => createClient(app, msp.admin, { name, timezone: 'UTC', services: {}, contacts: [] });
const reload = async (w: WitnessRow) => (await listWitnesses(app, msp.admin)).find((x) => x.id === w.id)!;
const verdictWith = async (offboardingId: string, witnessKeys: string[]) => {
  const files = new Map(Object.entries(unzipSync((await exportEvidence(app, msp.admin, offboardingId)).zip)));
  return verifyBundle(files, {
    keys: [parseVerifierKey(sha256, logKey)],
    witnesses: witnessKeys.map((k) => parseVerifierKey(sha256, k, KEY_TYPES.cosignature)),
    sha256,
    ed25519,
  });
};

describe(`witnesses (${testDatabaseKind})`, () => {
  it('cosign consistent checkpoints, survive SIGKILL, and refuse a forked log', { timeout: 120_000 }, async () => {
    const [a, b] = await Promise.all([startWitnessProcess('witness-a.example', tmp()), startWitnessProcess('witness-b.example', tmp())]);
    const wa = await addWitness(app, msp.admin, { name: 'Client (witness A)', url: a.url, verifierKey: a.key });
    const { id: offboardingId } = await startOffboarding(app, msp.admin, {
      clientId: msp.clientId,
      type: 'provider-switch',
      noticeDate: '2026-03-02',
      endDate: '2026-03-31',
      newProvider: { name: 'Northwind IT', contact: 'n@northwind.example' },
    });

    // A bundle: its final checkpoint carries witness A's cosignature, which `verify --witness` requires.
    const first = await verdictWith(offboardingId, [a.key]);
    expect(first.problems).toEqual([]);
    expect(first.summary.join(' ')).toMatch(/cosigned by witness witness-a.example/);
    const withoutB = await verdictWith(offboardingId, [a.key, b.key]);
    expect(withoutB.valid).toBe(false);
    expect(withoutB.problems.join(' ')).toMatch(/no cosignature of witness witness-b.example/);

    // Witness A follows the log as it grows, from the size it last cosigned (a consistency proof each time).
    const before = await logStateOf(database, msp.tenantId);
    for (let i = 0; i < 3; i++) await addClient(`Growing ${i}`);
    const grown = await sign();
    expect(await cosignLatest(app, await reload(wa))).toBe('cosigned');
    expect((await reload(wa)).cosignedSize).toBe(grown!.size);

    // SIGKILL and restart on the same folder: what it cosigned is still there (same key, same state).
    await kill9(a);
    const a2 = await startWitnessProcess('witness-a.example', a.dataDir);
    expect(a2.key).toBe(a.key);
    await database.query('update witnesses set url = $2 where id = $1', [wa.id, a2.url]);

    // The operator rolls the database back to before the growth and writes another history.
    await rollBackLog(database, msp.tenantId, before.size, before.range);
    for (let i = 0; i < 5; i++) await addClient(`Forked ${i}`);
    const forked = await sign();
    expect(forked!.size).toBeGreaterThan(grown!.size);

    // Witness A saw the original: it refuses, and the refusal is recorded and audited.
    expect(await cosignLatest(app, await reload(wa))).toBe('refused');
    expect((await reload(wa)).lastError).toMatch(/refused checkpoint \d+: 422 .*not consistent/);
    const refused = await database.query<{ n: number }>(
      "select count(*)::int as n from audit_events where tenant_id = $1 and action = 'witness.refused'",
      [msp.tenantId],
    );
    expect(refused[0]?.n).toBe(1);
    // Witness B never saw the original: it has nothing to compare with, and cosigns what it is shown.
    await addWitness(app, msp.admin, { name: 'Insurer (witness B)', url: b.url, verifierKey: b.key });
    const after = await verdictWith(offboardingId, [b.key]);
    expect(after.valid).toBe(true);
    // A client who requires witness A sees that the forked history lacks its cosignature.
    const requireA = await verdictWith(offboardingId, [a.key]);
    expect(requireA.valid).toBe(false);
    expect(requireA.problems.join(' ')).toMatch(/no cosignature of witness witness-a.example/);
  });
});
