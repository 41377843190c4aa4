/**
 * After the server's key is rotated: seals every client's data key with the new current key,
 * a batch per transaction. The secrets, sealed with the data keys, are not touched. Keys already
 * under the current key are left as they are, so running it again (or after a crash) is harmless.
 */
import { dataKeysRepo } from '../../storage/credentials-repository.ts';
import { type App, now, transaction } from '../context.ts';
import { unwrapDataKey, wrapDataKey } from './vault.ts';

const BATCH = 200;

export async function rewrapDataKeys(app: App): Promise<{ rewrapped: number; keyId: string }> {
  const box = app.secrets;
  if (!box) throw new Error('this server has no secret key');
  let rewrapped = 0;
  for (;;) {
    const done = await transaction(app, async (tx) => {
      const rows = await dataKeysRepo.wrappedByOther(tx, box.keyId, BATCH);
      const at = now(app);
      for (const row of rows)
        if (await dataKeysRepo.rewrap(tx, row, wrapDataKey(box, unwrapDataKey(box, row.wrappedKey as string)), box.keyId, at)) rewrapped++;
      return rows.length < BATCH;
    });
    if (done) return { rewrapped, keyId: box.keyId };
  }
}
