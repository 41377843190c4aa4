/**
 * The transparency log on PostgreSQL: durable single appends (one transaction each, as a use
 * case does) with p99, batched appends, proof generation at 1,000,000 leaves, and offline
 * verification of a 10,000-event evidence bundle. Beside pgbench's single-row durable
 * transaction rate on the same server, the floor any append is bounded by.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { randomBytes } from 'node:crypto';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createClient } from '../../src/app/clients/create-client.ts';
import { createTenant } from '../../src/app/accounts/create-tenant.ts';
import type { Actor, App } from '../../src/app/context.ts';
import { exportEvidence } from '../../src/app/log/export-evidence.ts';
import { secretBoxFromKey } from '../../src/app/secrets.ts';
import { startOffboarding } from '../../src/app/offboardings/start-offboarding.ts';
import { consistencyProof, inclusionProof } from '../../src/app/log/transparency-log.ts';
import { readBundle } from '../../src/cli/log-commands.ts';
import { ed25519, sha256 } from '../../src/crypto/node.ts';
import { verifyBundle } from '../../src/domain/evidence-bundle.ts';
import { appendToRange, leafHash } from '../../src/domain/merkle.ts';
import { parseVerifierKey } from '../../src/domain/signed-note.ts';
import { appendAuditEvent, appendAuditEvents, joinRange } from '../../src/storage/audit-repository.ts';
import { migrateDatabase, openDatabase } from '../../src/storage/db.ts';
import { freshPostgresDatabase } from '../db.ts';
import { logStatus } from '../../src/app/log/transparency-log.ts';

export type LogFigures = {
  /** The median of three rounds of 1,000 (each round's rate in singleRounds). */
  singlePerSecond: number;
  singleRounds: number[];
  singleP50: number;
  singleP99: number;
  batchedPerSecond: number;
  proofLeaves: number;
  inclusionP50: number;
  inclusionP99: number;
  consistencyP50: number;
  seedSeconds: number;
  bundleEvents: number;
  bundleBytes: number;
  verifySeconds: number;
  pgbenchTps: number | null;
};

const percentile = (values: number[], p: number) =>
  [...values].sort((a, b) => a - b)[Math.min(values.length - 1, Math.floor(values.length * p))] as number;
const event = (i: number) => ({
  actor: 'system:bench',
  action: 'bench.append',
  subject: { type: 'bench', id: String(i) },
  data: { i, note: 'a typical small event' },
});

async function withDatabase<T>(adminUrl: string, work: (app: App, tenantId: string) => Promise<T>): Promise<T> {
  const fresh = await freshPostgresDatabase(adminUrl, 'offboard_bench_log');
  const database = await openDatabase({ url: fresh.url });
  try {
    await migrateDatabase(database);
    const app: App = { database, clock: () => new Date(), secrets: secretBoxFromKey(randomBytes(32)) };
    const { tenantId } = await createTenant(app, { name: 'Bench MSP' });
    return await work(app, tenantId);
  } finally {
    await database.close();
    await fresh.drop();
  }
}

/** pgbench, one client, a one-row insert per transaction, on a fresh database of the same server. */
function pgbenchFloor(adminUrl: string, database: string): number | null {
  const dir = mkdtempSync(join(tmpdir(), 'offboard-pgbench-'));
  try {
    const script = join(dir, 'insert.sql');
    writeFileSync(script, 'insert into pgbench_floor (v) values (1);\n');
    const url = new URL(adminUrl);
    const args = ['-h', url.hostname, '-p', url.port || '5432', '-U', url.username || 'postgres'];
    execFileSync(
      'psql',
      [...args, '-q', '-d', database, '-c', 'create table if not exists pgbench_floor (id bigserial primary key, v int)'],
      { stdio: 'ignore' },
    );
    const out = execFileSync('pgbench', [...args, '-n', '-c', '1', '-j', '1', '-T', '5', '-f', script, database], {
      encoding: 'utf8',
      stdio: ['ignore', 'pipe', 'ignore'],
    });
    const tps = /tps = ([\d.]+)/.exec(out)?.[1];
    return tps ? Number(tps) : null;
  } catch {
    return null;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

export async function logBench(adminUrl: string, proofLeaves = 1_000_000, bundleEvents = 10_000): Promise<LogFigures> {
  // 1. Durable single appends, one transaction each, and batches of 500.
  const appends = await withDatabase(adminUrl, async (app, tenantId) => {
    // An earlier section's bulk load (the scheduler's million tasks) leaves the server a checkpoint
    // to write; racing it measured the disk, not the log (439/s after it, 973/s without). Write it first.
    await app.database.query('checkpoint').catch(() => undefined);
    for (let i = 0; i < 100; i++)
      await app.database.db.transaction((tx) => appendAuditEvent(tx, tenantId, new Date().toISOString(), event(i)));
    // Three rounds of 1,000, each after a checkpoint; the figure is the median round's rate (all three
    // printed): one round slowed by the disk's background work (2026-12-02: 264-361/s by the hour) does not decide it.
    const latencies: number[] = [];
    const rounds: number[] = [];
    for (let round = 0; round < 3; round++) {
      await app.database.query('checkpoint').catch(() => undefined);
      const started = performance.now();
      for (let i = 0; i < 1000; i++) {
        const t = performance.now();
        await app.database.db.transaction((tx) => appendAuditEvent(tx, tenantId, new Date().toISOString(), event(round * 1000 + i)));
        latencies.push(performance.now() - t);
      }
      rounds.push(1000 / ((performance.now() - started) / 1000));
    }
    const sortedRounds = [...rounds].sort((x, y) => x - y);
    const batchedStart = performance.now();
    for (let b = 0; b < 60; b++)
      await app.database.db.transaction((tx) =>
        appendAuditEvents(
          tx,
          tenantId,
          new Date().toISOString(),
          Array.from({ length: 500 }, (_, i) => event(b * 500 + i)),
        ),
      );
    const batchedSeconds = (performance.now() - batchedStart) / 1000;
    const url = new URL(adminUrl);
    const dbName = (await app.database.query<{ db: string }>('select current_database() as db'))[0]?.db ?? url.pathname.slice(1);
    return {
      singlePerSecond: sortedRounds[1] ?? 0,
      singleRounds: rounds,
      singleP50: percentile(latencies, 0.5),
      singleP99: percentile(latencies, 0.99),
      batchedPerSecond: 30_000 / batchedSeconds,
      pgbenchTps: pgbenchFloor(adminUrl, dbName),
    };
  });

  // 2. Proofs at a million leaves: the tree's subtrees computed here and bulk-loaded, then proofs read from the database.
  const proofs = await withDatabase(adminUrl, async (app, tenantId) => {
    const seeded = performance.now();
    // A tree of synthetic leaves replaces the tenant's one real event: only subtrees are read for proofs.
    await app.database.query('delete from log_nodes where tenant_id = $1', [tenantId]);
    let tree = { range: [] as Uint8Array[], size: 0 };
    const chunk = 50_000;
    for (let start = 0; start < proofLeaves; start += chunk) {
      const leaves = Array.from({ length: Math.min(chunk, proofLeaves - start) }, (_, i) =>
        leafHash(sha256, new TextEncoder().encode(`leaf ${start + i}`)),
      );
      const next = appendToRange(sha256, tree.range, tree.size, leaves);
      await app.database.query(
        `insert into log_nodes (tenant_id, level, idx, hash) select $1, l, i, h from unnest($2::smallint[], $3::bigint[], $4::bytea[]) as u(l, i, h)`,
        [tenantId, next.completed.map((n) => n.level), next.completed.map((n) => n.index), next.completed.map((n) => Buffer.from(n.hash))],
      );
      tree = next;
    }
    await app.database.query('update tenants set log_size = $2, audit_seq = $2, log_range = $3 where id = $1', [
      tenantId,
      tree.size,
      Buffer.from(joinRange(tree.range)),
    ]);
    // As a long-lived log would be: statistics current, and autovacuum not racing the measurement.
    await app.database.query('vacuum analyze log_nodes');
    const seedSeconds = (performance.now() - seeded) / 1000;
    const db = app.database.db;
    for (let i = 0; i < 200; i++) await inclusionProof(db, tenantId, (i * 7919) % proofLeaves, proofLeaves);
    const inclusion: number[] = [];
    const consistency: number[] = [];
    // 2,000 of each: a p99 of 300 samples is their third-slowest, one scheduler hiccup on a shared 2-core machine.
    for (let i = 0; i < 2000; i++) {
      const index = (i * 104_729 + 17) % proofLeaves;
      let t = performance.now();
      await inclusionProof(db, tenantId, index, proofLeaves);
      inclusion.push(performance.now() - t);
      t = performance.now();
      await consistencyProof(db, tenantId, 1 + index, proofLeaves);
      consistency.push(performance.now() - t);
    }
    return {
      inclusionP50: percentile(inclusion, 0.5),
      inclusionP99: percentile(inclusion, 0.99),
      consistencyP50: percentile(consistency, 0.5),
      seedSeconds,
    };
  });

  // 3. A 10,000-event offboarding exported as a bundle, verified as `offboard verify` does.
  const bundle = await withDatabase(adminUrl, async (app, tenantId) => {
    const admin: Actor = { tenantId, kind: 'system', id: 'bench', role: 'admin' };
    const { id: clientId } = await createClient(app, admin, {
      name: 'Bench Client',
      timezone: 'America/New_York',
      services: { rmm: true },
      contacts: [{ name: 'Signer', email: 'signer@bench.example', authorizedSigner: true }],
    });
    const { id } = await startOffboarding(app, admin, { clientId, type: 'insourced', noticeDate: '2026-03-02', endDate: '2026-03-31' });
    const existing =
      (await app.database.query<{ n: number }>('select count(*)::int as n from audit_events where offboarding_id = $1', [id]))[0]?.n ?? 0;
    for (let done = existing; done < bundleEvents; done += 1000) {
      const n = Math.min(1000, bundleEvents - done);
      await app.database.db.transaction((tx) =>
        appendAuditEvents(
          tx,
          tenantId,
          new Date().toISOString(),
          Array.from({ length: n }, (_, i) => ({ ...event(done + i), offboardingId: id, action: 'time.recorded' })),
        ),
      );
    }
    const exported = await exportEvidence(app, admin, id);
    const keys = (await logStatus(app, tenantId)).verifierKeys.map((k) => parseVerifierKey(sha256, k.verifierKey));
    const t = performance.now();
    const verdict = verifyBundle(readBundle(exported.zip), { keys, sha256, ed25519 });
    const verifySeconds = (performance.now() - t) / 1000;
    if (!verdict.valid) throw new Error(`the bench bundle does not verify: ${verdict.problems.join('; ')}`);
    return { bundleEvents: exported.manifest.events, bundleBytes: exported.zip.byteLength, verifySeconds };
  });

  return { ...appends, ...proofs, proofLeaves, ...bundle };
}
