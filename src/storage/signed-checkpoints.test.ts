import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { fileCheckpointStore } from './signed-checkpoints.ts';

const dir = mkdtempSync(join(tmpdir(), 'offboard-store-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('the signed-checkpoint store outside the database', () => {
  it('keeps the largest of many concurrent writes, with no temporary file left behind', async () => {
    const store = fileCheckpointStore(dir);
    const sizes = Array.from({ length: 60 }, (_, i) => ((i * 37) % 60) + 1);
    await Promise.all(sizes.map((size) => store.record('offboard/t', size, `offboard/t\n${size}\nroot\n\n— sig\n`)));
    expect(await store.last('offboard/t')).toBe('offboard/t\n60\nroot\n\n— sig\n');
    await store.record('offboard/t', 12, 'offboard/t\n12\nold\n\n— sig\n');
    expect((await store.last('offboard/t'))?.split('\n')[1]).toBe('60');
    expect(await store.last('offboard/other')).toBeUndefined();
    expect(readdirSync(dir).filter((f) => f.endsWith('.tmp'))).toEqual([]);
  });
});
