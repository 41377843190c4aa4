/** A whole offboarding on a test app, from start to close, with evidence and a written authorization: the material of evidence bundles. */
import { attachEvidence } from '../src/app/tasks/attach-evidence.ts';
import type { App } from '../src/app/context.ts';
import { closeOffboarding } from '../src/app/offboardings/end-offboarding.ts';
import { completeTask } from '../src/app/tasks/complete-task.ts';
import { waiveEvidenceRequirement } from '../src/app/tasks/waive-evidence-requirement.ts';
import { gateStateOf, loadOffboarding } from '../src/app/offboardings/offboarding-facts.ts';
import type { Gate } from '../src/domain/vocabulary.ts';
import { startOffboarding } from '../src/app/offboardings/start-offboarding.ts';
import { waiveTask } from '../src/app/tasks/waive-task.ts';
import { STATEMENT_FOR_GATE, type SeededMsp, type TestClock, recordFromDocument } from './app-fixture.ts';
import { canonicalJson } from '../src/domain/audit.ts';
import type { Database } from '../src/storage/db.ts';

export async function closedOffboarding(app: App, msp: SeededMsp, clock: TestClock, options: { close?: boolean } = {}): Promise<string> {
  const am = msp.as('account-manager', msp.users.accountManager);
  const { id } = await startOffboarding(app, am, {
    clientId: msp.clientId,
    type: 'provider-switch',
    noticeDate: '2026-03-02',
    endDate: '2026-03-31',
    newProvider: { name: 'Northwind IT', contact: 'transition@northwind.example' },
  });
  const db = app.database.db;
  const task = async (key: string) => {
    const t = (await loadOffboarding(db, msp.tenantId, id)).tasks.find((x) => x.key === key);
    if (!t) throw new Error(`no task ${key}`);
    return t;
  };
  clock.set('2026-03-03T15:00:00Z');
  await recordFromDocument(app, am, id, 'authorization');
  const tech = msp.as('technician', msp.users.technician);
  const revoke = await task('credential-inventory');
  await attachEvidence(
    app,
    tech,
    revoke.id,
    { filename: 'inventory.csv', mediaType: 'text/csv' },
    new TextEncoder().encode('system,account\nm365,admin@harbor.example\n'),
  );
  await completeTask(app, tech, revoke.id, undefined, { note: 'Inventory done.' });
  // One task done without its evidence, the requirement waived by a manager with a reason.
  const announce = await task('internal-notification');
  await waiveEvidenceRequirement(app, msp.admin, announce.id, undefined, { reason: 'Announced at the Monday stand-up; nothing written' });
  await completeTask(app, am, announce.id, undefined, {});
  if (options.close === false) return id;
  clock.set('2026-04-01T15:00:00Z');
  await waiveAllAndClose(app, msp, id);
  return id;
}

/**
 * Everything still open is waived by the admin, in plan order (so each phase completes), then the
 * offboarding is closed. No waiver passes a gate: the gates still closed are opened first by the
 * parties' statements, recorded from signed documents.
 */
export async function waiveAllAndClose(app: App, msp: SeededMsp, id: string): Promise<void> {
  const db = app.database.db;
  const loaded = await loadOffboarding(db, msp.tenantId, id);
  const { met } = gateStateOf(loaded.attestations);
  for (const gate of new Set(loaded.tasks.flatMap((t) => t.gates as Gate[])))
    if (!met.has(gate)) await recordFromDocument(app, msp.admin, id, STATEMENT_FOR_GATE[gate]);
  for (let round = 0; round < 10; round++) {
    const open = (await loadOffboarding(db, msp.tenantId, id)).tasks.filter((t) => t.status !== 'done' && t.status !== 'waived');
    if (open.length === 0) break;
    for (const t of open) {
      try {
        await waiveTask(app, msp.admin, t.id, undefined, { reason: 'Handled outside this test.' });
      } catch {
        // waived in a later round, once what it waits for is closed
      }
    }
  }
  const o = await loadOffboarding(db, msp.tenantId, id);
  await closeOffboarding(app, msp.admin, id, o.offboarding.version, { departureReason: 'Moved to Northwind IT.' });
}

/**
 * The probe's tail attack on a bundle: the last `k` events of the offboarding removed with their
 * proofs, and the manifest's count fixed up, so only the signed heads can tell.
 */
/** The bundle with `events.jsonl` replaced by these lines and the manifest's count fixed up (proofs left as they are). */
export function withEvents(files: ReadonlyMap<string, Uint8Array>, events: readonly string[]): Map<string, Uint8Array> {
  const next = new Map(files);
  next.set('events.jsonl', new TextEncoder().encode(events.map((l) => `${l}\n`).join('')));
  const manifest = JSON.parse(new TextDecoder().decode(files.get('manifest.json'))) as { events: number };
  manifest.events = events.length;
  next.set('manifest.json', new TextEncoder().encode(canonicalJson(manifest)));
  return next;
}

export function dropLastEvents(files: ReadonlyMap<string, Uint8Array>, k: number): Map<string, Uint8Array> {
  const lines = new TextDecoder().decode(files.get('events.jsonl')).split('\n').filter(Boolean);
  const next = withEvents(files, lines.slice(0, -k));
  for (const l of lines.slice(-k)) next.delete(`proofs/${(JSON.parse(l) as { seq: number }).seq}.tlog-proof`);
  return next;
}

/** What an operator with write access to the database can do: put a tenant's log back to `k` entries, subtrees and checkpoints included. */
export async function rollBackLog(database: Database, tenantId: string, k: number, range: Uint8Array): Promise<void> {
  await database.query('delete from audit_events where tenant_id = $1 and seq > $2', [tenantId, k]);
  await database.query('delete from log_nodes where tenant_id = $1 and (idx + 1) * (1::bigint << level) > $2', [tenantId, k]);
  await database.query('delete from checkpoints where tenant_id = $1 and size > $2', [tenantId, k]);
  await database.query('update tenants set log_size = $2, audit_seq = $2, log_range = $3 where id = $1', [tenantId, k, range]);
}

/** The log's size and compact range now, to roll back to. */
export async function logStateOf(database: Database, tenantId: string): Promise<{ size: number; range: Uint8Array }> {
  const [row] = await database.query<{ size: number; range: Uint8Array }>(
    'select log_size::int as size, log_range as range from tenants where id = $1',
    [tenantId],
  );
  return { size: row?.size ?? 0, range: new Uint8Array(row?.range ?? []) };
}
