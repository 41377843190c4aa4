/**
 * Once per test run: a migrated PGlite database, dumped to a file that every test file's
 * database starts from (a fresh PGlite spends over a second creating its cluster; loading a
 * dump takes a quarter of that, and the migrations are already applied).
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { migrateDatabase, openDatabase } from '../src/storage/db.ts';

export default async function setup(): Promise<() => void> {
  const dir = mkdtempSync(join(tmpdir(), 'offboard-template-'));
  const database = await openDatabase({});
  const save = async (name: string) => {
    const dump = await database.pglite?.dumpDataDir('none');
    if (!dump) return undefined;
    const file = join(dir, name);
    writeFileSync(file, new Uint8Array(await dump.arrayBuffer()));
    return file;
  };
  await migrateDatabase(database);
  process.env.OFFBOARD_TEST_PGLITE_TEMPLATE = await save('migrated.tar');
  await database.close();
  return () => rmSync(dir, { recursive: true, force: true });
}
