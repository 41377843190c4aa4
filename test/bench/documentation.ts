/**
 * Issue 13's figures on PostgreSQL: importing 10,000 configurations from a local server that
 * speaks IT Glue's JSON:API (1,000 a page, as IT Glue allows), then building the documentation
 * package of those items plus 2 GiB of files (2,048 files of 1 MiB) and downloading it, in a
 * child process whose peak RSS is the figure (the bench process itself holds other sections'
 * memory). Beside them, `cp` of the downloaded zip on the same disk: the floor for moving the bytes.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createTenant } from '../../src/app/accounts/create-tenant.ts';
import { createClient } from '../../src/app/clients/create-client.ts';
import type { Actor, App } from '../../src/app/context.ts';
import { getDocumentationImport } from '../../src/app/documentation/get-import.ts';
import { runDocumentationImport } from '../../src/app/documentation/run-import.ts';
import { startDocumentationImport } from '../../src/app/documentation/start-import.ts';
import { startOffboarding } from '../../src/app/offboardings/start-offboarding.ts';
import { secretBoxFromKey } from '../../src/app/secrets.ts';
import { migrateDatabase, openDatabase } from '../../src/storage/db.ts';
import { freshPostgresDatabase } from '../db.ts';
import { itGlueServer } from '../platform-servers.ts';

export type DocumentationFigures = {
  configurations: number;
  importSeconds: number;
  importCreated: number;
  items: number;
  fileBytes: number;
  seedSeconds: number;
  buildSeconds: number;
  downloadSeconds: number;
  zipBytes: number;
  childPeakRssMiB: number;
  defaultFlagsPeakRssMiB: number;
  cpSeconds: number;
};

const KEY = 'bench-itglue-key-0123456789';
/** A small young generation for the measured process (`NODE_OPTIONS=--max-semi-space-size=2`, README): its garbage and the buffers it holds go sooner. */
export const MEMORY_FLAGS = ['--max-semi-space-size=2'];

export async function documentationBench(
  adminUrl: string,
  options: { configurations: number; files: number; keep?: boolean } = { configurations: 10_000, files: 2048 },
): Promise<DocumentationFigures> {
  const fresh = await freshPostgresDatabase(adminUrl, 'offboard_bench_docs');
  const database = await openDatabase({ url: fresh.url });
  const work = mkdtempSync(join(tmpdir(), 'offboard-bench-docs-'));
  const previousAllow = process.env.OFFBOARD_OUTBOUND_ALLOW;
  process.env.OFFBOARD_OUTBOUND_ALLOW = '127.0.0.1';
  const configurations = Array.from({ length: options.configurations }, (_, i) => ({
    id: String(100_000 + i),
    attributes: {
      name: `DEVICE-${String(i).padStart(5, '0')}`,
      hostname: `host-${i}`,
      'primary-ip': `10.${(i >> 16) & 255}.${(i >> 8) & 255}.${i & 255}`,
      'serial-number': `SN${i}`,
      'configuration-type-name': i % 10 === 0 ? 'Server' : 'Workstation',
      'operating-system-name': 'Windows 11 Pro',
      'location-name': `Floor ${i % 5}`,
      archived: false,
    },
  }));
  const server = await itGlueServer(
    KEY,
    {
      '/organizations': [{ id: '77', attributes: { name: 'Bench Client', 'psa-id': null } }],
      '/organizations/77/relationships/configurations': configurations,
      '/organizations/77/relationships/passwords': [],
    },
    1000,
  );
  try {
    await migrateDatabase(database);
    const app: App = { database, clock: () => new Date(), secrets: secretBoxFromKey(randomBytes(32)) };
    const { tenantId, adminId } = await createTenant(app, {
      name: 'Bench MSP',
      admin: { email: 'a@bench.example', name: 'Ada', password: 'correct horse battery' },
    });
    const actor: Actor = { tenantId, kind: 'user', id: adminId as string, role: 'admin' };
    const { id: clientId } = await createClient(app, actor, { name: 'Bench Client', timezone: 'America/New_York' });
    const o = await startOffboarding(app, actor, { clientId, type: 'provider-switch', noticeDate: '2026-03-02', endDate: '2026-03-31' });

    if (options.keep) console.log(`kept: ${fresh.url} ${tenantId} ${o.id}`);
    const importStart = performance.now();
    const started = await startDocumentationImport(app, actor, clientId, { source: 'itglue', url: server.url, key: KEY });
    await runDocumentationImport(app, tenantId, started.id);
    const importSeconds = (performance.now() - importStart) / 1000;
    const imported = await getDocumentationImport(app, actor, started.id);
    if (imported.status !== 'done') throw new Error(`the bench import failed: ${imported.error}`);

    const seedStart = performance.now();
    // The files are made by PostgreSQL itself, in one statement: each a 1 MiB random piece with its
    // number in its first four bytes, stored under its sha256() as an upload stores it (a blob, one
    // piece, a files item), without 2 GiB crossing the socket as bytea text first.
    await database.query(
      `with f as (select i, int4send(i) || substring($3::bytea from 5) as bytes from generate_series(0, $4::int - 1) as i),
       d as materialized (select i, bytes, encode(sha256(bytes), 'hex') as sha from f),
       b as (insert into blobs (tenant_id, sha256, size) select $1, sha, length(bytes) from d),
       c as (insert into blob_chunks (tenant_id, sha256, n, bytes) select $1, sha, 0, bytes from d)
       insert into documentation_items (id, tenant_id, client_id, section, name, fields, owner, source, file_sha256, file_name, media_type, file_size)
       select gen_random_uuid()::text, $1, $2, 'files', 'backup-' || i || '.bin', '{}'::jsonb,
              case when i % 2 = 0 then 'client' else 'third-party' end, 'manual', sha, 'backup-' || i || '.bin', 'application/octet-stream', length(bytes)
       from d`,
      [tenantId, clientId, randomBytes(1024 * 1024), options.files],
    );
    await database.query("update documentation_items set owner = 'client' where owner is null");
    const seedSeconds = (performance.now() - seedStart) / 1000;
    const [{ n: items } = { n: 0 }] = await database.query<{ n: number }>('select count(*)::int as n from documentation_items');

    const out = join(work, 'package.zip');
    const child = (flags: string[]) => {
      const run = spawnSync(
        process.execPath,
        [...flags, fileURLToPath(new URL('./package-child.ts', import.meta.url)), fresh.url, tenantId, o.id, out],
        { encoding: 'utf8', env: { ...process.env, NODE_OPTIONS: '' }, maxBuffer: 1 << 20 },
      );
      if (run.status !== 0) throw new Error(`the package bench child failed: ${run.stderr}`);
      return JSON.parse(run.stdout.trim().split('\n').at(-1) as string) as {
        buildSeconds: number;
        downloadSeconds: number;
        maxRssKiB: number;
      };
    };
    // With the memory flag, then with V8's default young generation for comparison.
    const figures = child(MEMORY_FLAGS);
    const defaults = child([]);
    const cpStart = performance.now();
    execFileSync('cp', [out, join(work, 'copy.zip')]);
    const cpSeconds = (performance.now() - cpStart) / 1000;
    return {
      configurations: options.configurations,
      importSeconds,
      importCreated: imported.summary?.created ?? 0,
      items,
      fileBytes: options.files * 1024 * 1024,
      seedSeconds,
      buildSeconds: figures.buildSeconds,
      downloadSeconds: figures.downloadSeconds,
      zipBytes: statSync(out).size,
      childPeakRssMiB: figures.maxRssKiB / 1024,
      defaultFlagsPeakRssMiB: defaults.maxRssKiB / 1024,
      cpSeconds,
    };
  } finally {
    if (previousAllow === undefined) delete process.env.OFFBOARD_OUTBOUND_ALLOW;
    else process.env.OFFBOARD_OUTBOUND_ALLOW = previousAllow;
    await server.close();
    await database.close();
    if (!options.keep) await fresh.drop();

    rmSync(work, { recursive: true, force: true });
  }
}
