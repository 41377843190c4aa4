/**
 * The transparency log under concurrency and crashes: 8 writers (each its own connection pool)
 * append 10,000 events to one tenant's log on PostgreSQL, and the sequence stays contiguous with
 * one consistent root; a writer killed with SIGKILL mid-burst leaves a log that `offboard log
 * check` finds consistent with every acknowledged write (PostgreSQL and PGlite).
 */
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { freshPostgresDatabase } from '../db.ts';
import { createTenant } from '../../src/app/accounts/create-tenant.ts';
import { type SecretBox, loadSecretBox } from '../../src/app/secrets.ts';
import { checkLog } from '../../src/app/log/transparency-log.ts';
import { run } from '../../src/cli/main.ts';
import { appendAuditEvent } from '../../src/storage/audit-repository.ts';
import { type Database, migrateDatabase, openDatabase } from '../../src/storage/db.ts';

const ADMIN_URL = process.env.TEST_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test';

async function tenantIn(database: Database, secrets?: SecretBox): Promise<string> {
  return (await createTenant({ database, clock: () => new Date(), secrets }, { name: 'Log MSP' })).tenantId;
}

describe('the transparency log under load', () => {
  it('8 concurrent writers, 10,000 events on PostgreSQL: contiguous sequence, one consistent root', { timeout: 600_000 }, async () => {
    const fresh = await freshPostgresDatabase(ADMIN_URL, 'offboard_log');
    const writers: Database[] = [];
    try {
      const main = await openDatabase({ url: fresh.url });
      writers.push(main);
      await migrateDatabase(main);
      const tenantId = await tenantIn(main);
      for (let i = 1; i < 8; i++) writers.push(await openDatabase({ url: fresh.url }));
      const started = Date.now();
      await Promise.all(
        writers.map(async (db, w) => {
          for (let i = 0; i < 1250; i++)
            await db.db.transaction((tx) =>
              appendAuditEvent(tx, tenantId, new Date().toISOString(), {
                actor: `system:writer-${w}`,
                action: 'test.append',
                subject: { type: 'writer', id: String(w) },
                data: { i },
              }),
            );
        }),
      );
      const seconds = (Date.now() - started) / 1000;
      const [row] = await main.query<{ n: number; min: number; max: number }>(
        'select count(*)::int as n, min(seq)::int as min, max(seq)::int as max from audit_events where tenant_id = $1',
        [tenantId],
      );
      expect(row).toEqual({ n: 10_001, min: 1, max: 10_001 });
      const check = await checkLog(main.db, tenantId);
      expect(check.problems).toEqual([]);
      expect(check.events).toBe(10_001);
      console.log(
        `8 writers: 10,000 appends in ${seconds.toFixed(1)} s (${Math.round(10_000 / seconds)}/s), ${check.nodes} subtrees, log check consistent`,
      );
    } finally {
      for (const w of writers) await w.close();
      await fresh.drop();
    }
  });

  for (const kind of ['postgres', 'pglite'] as const) {
    it(
      `a writer killed with SIGKILL mid-burst: every acknowledged append is there and the tree is consistent (${kind})`,
      { timeout: 300_000 },
      async () => {
        const dir = mkdtempSync(join(tmpdir(), 'offboard-log-crash-'));
        const fresh = kind === 'postgres' ? await freshPostgresDatabase(ADMIN_URL, 'offboard_log') : undefined;
        const target = fresh?.url ?? join(dir, 'db');
        // The CLI's data folder: PGlite's, or (on PostgreSQL) just where the secret key file lives.
        const dataDir = fresh ? dir : target;
        try {
          const setup = await openDatabase(fresh ? { url: fresh.url } : { dataDir: target });
          await migrateDatabase(setup);
          const tenantId = await tenantIn(setup, loadSecretBox(join(dataDir, 'secret.key')));
          await setup.close();

          const child = spawn(process.execPath, [join(import.meta.dirname, 'append-burst.ts'), target, tenantId], {
            stdio: ['ignore', 'pipe', 'inherit'],
          });
          let acked = 0;
          let buffer = '';
          await new Promise<void>((resolve, reject) => {
            child.stdout.on('data', (chunk: Buffer) => {
              buffer += chunk.toString();
              const lines = buffer.split('\n');
              buffer = lines.pop() ?? '';
              for (const l of lines) acked = Math.max(acked, Number(l.replace('acked ', '')));
              if (acked >= 1500 && child.exitCode === null) {
                child.kill('SIGKILL');
                resolve();
              }
            });
            child.on('exit', (code) => (acked < 1500 ? reject(new Error(`the writer stopped early (${code})`)) : resolve()));
          });
          if (child.exitCode === null && child.signalCode === null) await once(child, 'exit');

          const after = await openDatabase(fresh ? { url: fresh.url } : { dataDir: target });
          try {
            const check = await checkLog(after.db, tenantId);
            expect(check.problems).toEqual([]);
            expect(check.events).toBeGreaterThanOrEqual(acked);
            console.log(`SIGKILL (${kind}) after ${acked} acknowledged appends: ${check.events} in the log, consistent`);
          } finally {
            await after.close();
          }
          // The command itself says so too.
          const out: string[] = [];
          const env = process.env.DATABASE_URL;
          if (fresh) process.env.DATABASE_URL = fresh.url;
          try {
            expect(
              await run(['log', 'check', '--tenant', tenantId, '--data-dir', dataDir], {
                out: (t) => out.push(t),
                err: (t) => out.push(t),
              }),
            ).toBe(0);
            expect(
              await run(['log', 'status', '--tenant', tenantId, '--data-dir', dataDir], {
                out: (t) => out.push(t),
                err: (t) => out.push(t),
              }),
            ).toBe(0);
          } finally {
            if (env === undefined) delete process.env.DATABASE_URL;
            else process.env.DATABASE_URL = env;
          }
          expect(out.join('')).toMatch(/consistent/);
          expect(out.join('')).toMatch(new RegExp(`offboard/${tenantId}: \\d+ events, root [A-Za-z0-9+/]{43}=`));
          expect(out.join('')).toMatch(/verifier key: offboard\/\S+\+[0-9a-f]{8}\+\S+/);
        } finally {
          await fresh?.drop();
          rmSync(dir, { recursive: true, force: true });
        }
      },
    );
  }
});
