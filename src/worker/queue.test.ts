import { sql } from 'drizzle-orm';
import type { PgBoss } from 'pg-boss';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testDatabase, testDatabaseKind } from '../../test/db.ts';
import type { Database } from '../storage/db.ts';
import { tenants } from '../storage/schema.ts';
import { jobsIn } from '../app/jobs.ts';
import { openJobQueue } from './queue.ts';

let database: Database;
let boss: PgBoss;
beforeAll(async () => {
  database = await testDatabase();
  boss = await openJobQueue(database, { supervise: false });
  await boss.createQueue('test-jobs');
});
afterAll(async () => {
  await boss.stop({ graceful: false, close: true });
  await database.close();
});

const jobsWithKey = async (key: string) => (await boss.findJobs('test-jobs', { key })).length;

describe(`job queue (${testDatabaseKind})`, () => {
  it('commits a job with the state change that sent it, or neither', async () => {
    await expect(
      database.db.transaction(async (tx) => {
        await tx.insert(tenants).values({ id: 'rolled-back', name: 'Never' });
        await boss.send('test-jobs', { tenant: 'rolled-back' }, { db: jobsIn(tx), singletonKey: 'rolled-back' });
        throw new Error('something failed after the send');
      }),
    ).rejects.toThrow('something failed');
    expect(await jobsWithKey('rolled-back')).toBe(0);
    expect(
      await database.db
        .select()
        .from(tenants)
        .where(sql`${tenants.id} = 'rolled-back'`),
    ).toEqual([]);

    await database.db.transaction(async (tx) => {
      await tx.insert(tenants).values({ id: 'committed', name: 'Yes' });
      await boss.send('test-jobs', { tenant: 'committed' }, { db: jobsIn(tx), singletonKey: 'committed' });
    });
    expect(await jobsWithKey('committed')).toBe(1);
  });

  it('runs a job in a worker', async () => {
    const seen: unknown[] = [];
    const done = new Promise<void>((resolve) => {
      void boss.work<{ n: number }>('test-jobs', { pollingIntervalSeconds: 0.5 }, async (jobs) => {
        for (const job of jobs) seen.push(job.data);
        if (seen.some((d) => (d as { n?: number }).n === 42)) resolve();
        await Promise.resolve();
      });
    });
    await boss.send('test-jobs', { n: 42 });
    await done;
    expect(seen).toContainEqual({ n: 42 });
  });
});
