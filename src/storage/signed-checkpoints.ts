/**
 * The last checkpoint this server signed for each log, kept outside the database (beside the
 * secret key, in the data folder), so that someone with write access to the database alone
 * cannot roll the log back or rewrite it and have the server sign the new history. Written
 * atomically (temporary file, fsync, rename) after the signing transaction commits.
 */
import { createHash } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { perKeyInOrder, writeFileDurably } from './durable-file.ts';

export type SignedCheckpointStore = {
  /** The last checkpoint note signed for the log, if any. */
  last: (origin: string) => Promise<string | undefined>;
  /** Records a newly signed checkpoint of `size`; a smaller one than recorded is ignored. */
  record: (origin: string, size: number, note: string) => Promise<void>;
};

const fileOf = (dir: string, origin: string) => join(dir, `${createHash('sha256').update(origin).digest('hex').slice(0, 32)}.checkpoint`);

export function fileCheckpointStore(dir: string): SignedCheckpointStore {
  const last = async (origin: string) => {
    try {
      return await readFile(fileOf(dir, origin), 'utf8');
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
      throw error;
    }
  };
  // Writes of one log, one after another in this process: each compares with what the one before wrote.
  const inOrder = perKeyInOrder();
  const write = async (origin: string, size: number, note: string) => {
    const current = await last(origin);
    if (current !== undefined && Number(current.split('\n')[1]) >= size) return;
    await writeFileDurably(fileOf(dir, origin), note);
  };
  return {
    last,
    record: (origin, size, note) => inOrder(origin, () => write(origin, size, note)),
  };
}

/** Where a server keeps them: OFFBOARD_CHECKPOINT_DIR, else `signed-checkpoints` in the data folder (beside secret.key). */
export function checkpointStoreFor(dataDir: string, env: NodeJS.ProcessEnv = process.env): SignedCheckpointStore {
  return fileCheckpointStore(env.OFFBOARD_CHECKPOINT_DIR || join(dataDir, 'signed-checkpoints'));
}
