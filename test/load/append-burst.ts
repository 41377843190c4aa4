/**
 * Appends audit events to one tenant's log as fast as it can, printing `acked <seq>` after each
 * commit; the crash test kills it with SIGKILL mid-burst. Usage: node append-burst.ts <url-or-dir> <tenant>
 */
import { appendAuditEvents } from '../../src/storage/audit-repository.ts';
import { openDatabase } from '../../src/storage/db.ts';

const [target, tenantId] = process.argv.slice(2) as [string, string];
const database = await openDatabase(target.startsWith('postgres') ? { url: target } : { dataDir: target });
for (let i = 0; ; i++) {
  const count = 1 + (i % 4);
  const events = await database.db.transaction((tx) =>
    appendAuditEvents(
      tx,
      tenantId,
      new Date().toISOString(),
      Array.from({ length: count }, (_, k) => ({
        actor: 'system',
        action: 'test.burst',
        subject: { type: 'burst', id: `${i}-${k}` },
        data: { i, k },
      })),
    ),
  );
  process.stdout.write(`acked ${events[events.length - 1]?.seq}\n`);
}
