/**
 * Issue 14's figures on PostgreSQL: importing 10,000 passwords from a local server that speaks IT
 * Glue's JSON:API (1,000 a page, passwords in the list), each sealed with the client's data key;
 * then revealing one credential, over and over, through the use case a staff reveal runs (open
 * the data key, open the secret, write the audited event, commit): its latency percentiles.
 */
import { randomBytes } from 'node:crypto';
import { createTenant } from '../../src/app/accounts/create-tenant.ts';
import { createClient } from '../../src/app/clients/create-client.ts';
import type { Actor, App } from '../../src/app/context.ts';
import { listCredentials } from '../../src/app/credentials/list-credentials.ts';
import { revealCredential } from '../../src/app/credentials/reveal-credential.ts';
import { getDocumentationImport } from '../../src/app/documentation/get-import.ts';
import { runDocumentationImport } from '../../src/app/documentation/run-import.ts';
import { startCredentialImport } from '../../src/app/documentation/start-import.ts';
import { secretBoxFromKey } from '../../src/app/secrets.ts';
import { migrateDatabase, openDatabase } from '../../src/storage/db.ts';
import { freshPostgresDatabase } from '../db.ts';
import { itGlueServer } from '../platform-servers.ts';

export type CredentialFigures = {
  passwords: number;
  importSeconds: number;
  created: number;
  reveals: number;
  revealP50Ms: number;
  revealP99Ms: number;
  revealsPerSecond: number;
};

const KEY = 'bench-itglue-key-0123456789';

const percentile = (sorted: number[], p: number) => sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)] ?? 0;

export async function credentialsBench(adminUrl: string, options = { passwords: 10_000, reveals: 2_000 }): Promise<CredentialFigures> {
  const fresh = await freshPostgresDatabase(adminUrl, 'offboard_bench_vault');
  const database = await openDatabase({ url: fresh.url });
  const previousAllow = process.env.OFFBOARD_OUTBOUND_ALLOW;
  process.env.OFFBOARD_OUTBOUND_ALLOW = '127.0.0.1';
  const passwords = Array.from({ length: options.passwords }, (_, i) => ({
    id: String(500_000 + i),
    attributes: {
      name: `Account ${String(i).padStart(5, '0')}`,
      username: `user${i}@bench.example`,
      password: randomBytes(12).toString('base64url'),
      url: `https://system-${i % 50}.bench.example`,
      'password-category-name': i % 7 === 0 ? 'Network device' : 'User account',
    },
  }));
  const server = await itGlueServer(
    KEY,
    {
      '/organizations': [{ id: '88', attributes: { name: 'Vault Client', 'psa-id': null } }],
      '/organizations/88/relationships/passwords': passwords,
    },
    1000,
  );
  try {
    await migrateDatabase(database);
    const app: App = { database, clock: () => new Date(), secrets: secretBoxFromKey(randomBytes(32)) };
    const { tenantId, adminId } = await createTenant(app, {
      name: 'Vault Bench MSP',
      admin: { email: 'a@vault-bench.example', name: 'Ada', password: 'correct horse battery' },
    });
    const actor: Actor = { tenantId, kind: 'user', id: adminId as string, role: 'admin' };
    const { id: clientId } = await createClient(app, actor, { name: 'Vault Client', timezone: 'America/New_York' });

    const importStart = performance.now();
    const started = await startCredentialImport(app, actor, clientId, { source: 'itglue', url: server.url, key: KEY });
    await runDocumentationImport(app, tenantId, started.id);
    const importSeconds = (performance.now() - importStart) / 1000;
    const imported = await getDocumentationImport(app, actor, started.id);
    if (imported.status !== 'done') throw new Error(`the bench import failed: ${imported.error}`);

    const one = (await listCredentials(app, actor, clientId, { q: 'Account 04242' })).items[0];
    if (!one) throw new Error('the bench credential is not in the vault');
    for (let i = 0; i < 50; i++) await revealCredential(app, actor, one.id, { ip: '127.0.0.1' });
    const times: number[] = [];
    const revealStart = performance.now();
    for (let i = 0; i < options.reveals; i++) {
      const t = performance.now();
      await revealCredential(app, actor, one.id, { ip: '127.0.0.1' });
      times.push(performance.now() - t);
    }
    const revealSeconds = (performance.now() - revealStart) / 1000;
    times.sort((x, y) => x - y);
    return {
      passwords: options.passwords,
      importSeconds,
      created: imported.summary?.created ?? 0,
      reveals: options.reveals,
      revealP50Ms: percentile(times, 50),
      revealP99Ms: percentile(times, 99),
      revealsPerSecond: options.reveals / revealSeconds,
    };
  } finally {
    await server.close();
    await database.close();
    await fresh.drop();
    if (previousAllow === undefined) delete process.env.OFFBOARD_OUTBOUND_ALLOW;
    else process.env.OFFBOARD_OUTBOUND_ALLOW = previousAllow;
  }
}
