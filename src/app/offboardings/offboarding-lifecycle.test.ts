import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type SeededMsp, attachProof, completeWithProof, recordFromDocument, seedMsp, testApp } from '../../../test/app-fixture.ts';
import { waiveEvidenceRequirement } from '../tasks/waive-evidence-requirement.ts';
import { testDatabaseKind } from '../../../test/db.ts';
import { DomainError } from '../../domain/errors.ts';
import type { App } from '../context.ts';
import type { Database } from '../../storage/db.ts';
import { assignTask } from '../tasks/assign-task.ts';
import { changeOffboardingDates } from './change-offboarding-dates.ts';
import { completeTask } from '../tasks/complete-task.ts';
import { cancelOffboarding, closeOffboarding } from './end-offboarding.ts';
import { loadOffboarding } from './offboarding-facts.ts';
import { recordAttestation } from './record-attestation.ts';
import { recordTime } from './record-time.ts';
import { reopenTask } from '../tasks/reopen-task.ts';
import { startOffboarding } from './start-offboarding.ts';
import { startTask } from '../tasks/start-task.ts';
import { isoInstant } from '../present.ts';
import { waiveTask } from '../tasks/waive-task.ts';
import { clientsRepo } from '../../storage/repositories.ts';
import type { TestClock } from '../../../test/app-fixture.ts';

let app: App;
let database: Database;
let clock: TestClock;

beforeAll(async () => {
  ({ app, database, clock } = await testApp());
});
afterAll(async () => {
  await database.close();
});

const codeOf = async (p: Promise<unknown>): Promise<string> => {
  try {
    await p;
  } catch (e) {
    if (e instanceof DomainError) return e.code;
    throw e;
  }
  throw new Error('expected a domain error');
};

const auditCount = async (tenantId: string) =>
  (await database.query<{ n: number }>('select count(*)::int as n from audit_events where tenant_id = $1', [tenantId]))[0]?.n ?? 0;

async function started(msp: SeededMsp, overrides: Record<string, unknown> = {}) {
  const { id } = await startOffboarding(app, msp.as('account-manager', msp.users.accountManager), {
    clientId: msp.clientId,
    type: 'provider-switch',
    noticeDate: '2026-03-02',
    endDate: '2026-03-31',
    revocationDate: '2026-03-27',
    newProvider: { name: 'Northwind IT', contact: 'transition@northwind.example' },
    ...overrides,
  });
  const loaded = await loadOffboarding(database.db, msp.tenantId, id);
  const task = (key: string) => {
    const t = loaded.tasks.find((x) => x.key === key);
    if (!t) throw new Error(`no task ${key}`);
    return t;
  };
  return { id, loaded, task };
}

describe(`offboarding lifecycle (${testDatabaseKind})`, () => {
  it('starts an offboarding: plan materialized, tasks assigned by role, client offboarding, audited', async () => {
    const msp = await seedMsp(app);
    const before = await auditCount(msp.tenantId);
    const { loaded, task } = await started(msp);
    expect(loaded.offboarding.status).toBe('active');
    expect(loaded.tasks).toHaveLength(26);
    expect(task('credential-transfer')).toMatchObject({ due: '2026-03-10', status: 'pending', gates: ['authorization'] });
    expect(isoInstant(task('credential-transfer').dueAt)).toBe('2026-03-10T21:00:00Z');
    expect(task('acknowledge-termination')).toMatchObject({ status: 'ready', readyOn: '2026-03-02', assigneeId: msp.users.accountManager });
    expect(task('dns-transfer').assigneeId).toBe(msp.users.technician2); // the client's team first
    expect(task('final-invoice').assigneeId).toBe(msp.users.billing); // then anyone with the role
    expect(task('ownership-register').assigneeId).toBe(msp.users.documentation);
    expect(task('credential-transfer').checklist[0]).toEqual({ item: 'Domain admin', done: false });
    expect((await clientsRepo.get(database.db, msp.tenantId, msp.clientId))?.status).toBe('offboarding');
    expect(loaded.offboarding.playbookDigest).toMatch(/^[0-9a-f]{64}$/);
    expect(await auditCount(msp.tenantId)).toBe(before + 2);
  });

  it('refuses a second offboarding of the same client and unknown clients', async () => {
    const msp = await seedMsp(app);
    await started(msp);
    expect(await codeOf(started(msp))).toBe('conflict');
    expect(
      await codeOf(
        startOffboarding(app, msp.admin, { clientId: 'nope', type: 'insourced', noticeDate: '2026-03-02', endDate: '2026-03-31' }),
      ),
    ).toBe('not-found');
  });

  it('rejects bad input naming the field, and changes nothing', async () => {
    const msp = await seedMsp(app);
    const before = await auditCount(msp.tenantId);
    try {
      await startOffboarding(app, msp.admin, {
        clientId: msp.clientId,
        type: 'eloped' as never,
        noticeDate: '2026-02-30',
        endDate: '2026-03-31',
      });
      expect.unreachable();
    } catch (e) {
      expect((e as DomainError).details.map((d) => d.path).sort()).toEqual(['noticeDate', 'type']);
    }
    expect(
      await codeOf(
        startOffboarding(app, msp.admin, { clientId: msp.clientId, type: 'insourced', noticeDate: '2026-03-10', endDate: '2026-03-01' }),
      ),
    ).toBe('invalid-input');
    expect(await auditCount(msp.tenantId)).toBe(before);
    expect((await clientsRepo.get(database.db, msp.tenantId, msp.clientId))?.status).toBe('active');
  });

  it('completes tasks, unblocks dependents, and enforces dependencies and gates', async () => {
    const msp = await seedMsp(app);
    const { id, task } = await started(msp);
    const tech = msp.as('technician', msp.users.technician2);
    const am = msp.as('account-manager', msp.users.accountManager);
    expect(await codeOf(completeTask(app, tech, task('credential-transfer').id, undefined, {}))).toBe('dependencies-open');

    clock.set('2026-03-05T15:00:00Z');
    // The playbook asks for the inventory as evidence: nothing attached, not done.
    expect(await codeOf(completeTask(app, tech, task('credential-inventory').id, undefined, {}))).toBe('evidence-required');
    const inventory = await completeWithProof(app, tech, task('credential-inventory').id, { note: '14 credentials', checked: [] });
    expect(inventory.task.status).toBe('done');
    expect(inventory.unblocked).toEqual([]); // credential-transfer still waits for client-authorization
    // The authorization task itself waits for the client's signed authorization: no tick completes it, no waiver passes it.
    expect(await codeOf(completeTask(app, am, task('client-authorization').id, undefined, {}))).toBe('gate-not-satisfied');
    expect(
      await codeOf(
        waiveTask(app, msp.as('manager', msp.users.manager), task('client-authorization').id, undefined, { reason: 'client said yes' }),
      ),
    ).toBe('gate-not-satisfied');
    // Staff record a paper authorization only from its scan.
    expect(
      await codeOf(
        recordAttestation(app, am, id, {
          kind: 'authorization',
          signerName: 'Carla Client',
          signerEmail: 'carla@harbor.example',
          signedOn: '2026-03-05',
          documentEvidenceId: 'no-such-scan',
          scopes: ['credentials'],
        }),
      ),
    ).toBe('invalid-input');
    const recorded = await recordFromDocument(app, am, id, 'authorization');
    const [row] = await database.query<{ method: string; statement: string; document_sha256: string }>(
      'select method, statement, document_sha256 from attestations where id = $1',
      [recorded.id],
    );
    expect(row?.method).toBe('recorded-from-document');
    expect(row?.statement).toContain(
      'Signed on paper by Carla Client <carla@harbor.example> on 2026-03-05. Recorded by amy (account-manager)',
    );
    expect(row?.statement).not.toContain('Signed electronically');
    expect(row?.statement).toContain(row?.document_sha256);
    const auth = await completeTask(app, am, task('client-authorization').id, undefined, {});
    expect(auth.unblocked).toEqual(['credential-transfer', 'dns-transfer']);
    const transfer = (await loadOffboarding(database.db, msp.tenantId, id)).tasks.find((t) => t.key === 'credential-transfer');
    expect(transfer).toMatchObject({ status: 'ready', readyOn: '2026-03-05' });
    // The authorization permits the hand-over; it is no proof of one: the transfer still needs its evidence.
    expect(await codeOf(completeTask(app, tech, task('credential-transfer').id, undefined, {}))).toBe('evidence-required');
    const done = await completeWithProof(app, tech, task('credential-transfer').id, {
      checked: ['Domain admin', 'Domain registrar'],
    });
    expect(done.task.checklist.filter((c) => c.done).map((c) => c.item)).toEqual(['Domain admin', 'Domain registrar']);
    expect(done.unblocked).toEqual(['access-revocation', 'network-equipment']);
    expect(await codeOf(completeTask(app, tech, task('credential-transfer').id, undefined, {}))).toBe('invalid-transition');
    expect(await codeOf(completeTask(app, tech, task('automation-removal').id, undefined, { checked: ['Make coffee'] }))).toBe(
      'invalid-input',
    );
  });

  it('lets exactly one of two simultaneous completions win', async () => {
    const msp = await seedMsp(app);
    const { task } = await started(msp);
    const t = task('internal-notification');
    await attachProof(app, msp.admin, t.id);
    const results = await Promise.allSettled([
      completeTask(app, msp.as('account-manager', msp.users.accountManager), t.id, undefined, { note: 'first' }),
      completeTask(app, msp.as('manager', msp.users.manager), t.id, undefined, { note: 'second' }),
    ]);
    expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(1);
    const rejected = results.find((r) => r.status === 'rejected');
    expect(['conflict', 'invalid-transition']).toContain((rejected?.reason as DomainError).code);
    const events = await database.query<{ n: number }>(
      "select count(*)::int as n from audit_events where tenant_id = $1 and action = 'task.completed' and subject_id = $2",
      [msp.tenantId, t.id],
    );
    expect(events[0]?.n).toBe(1);
    expect(await codeOf(startTask(app, msp.admin, task('contract-review').id, 99))).toBe('conflict'); // stale If-Match
  });

  it('waives with a reason, reopens, and reassigns', async () => {
    const msp = await seedMsp(app);
    const { id, task } = await started(msp);
    const manager = msp.as('manager', msp.users.manager);
    expect(await codeOf(waiveTask(app, manager, task('m365-transition').id, undefined, { reason: ' ' }))).toBe('invalid-input');
    const waived = await waiveTask(app, manager, task('ownership-register').id, undefined, {
      reason: 'Register kept by the client already',
    });
    expect(waived.task.waiver).toEqual({ reason: 'Register kept by the client already', approverId: msp.users.manager });
    expect(waived.unblocked).toEqual(['documentation-package']);
    await reopenTask(app, manager, task('ownership-register').id, undefined, { reason: 'Client lost it' });
    const after = await loadOffboarding(database.db, msp.tenantId, id);
    expect(after.tasks.find((t) => t.key === 'ownership-register')).toMatchObject({ status: 'ready', waiver: null });
    expect(after.tasks.find((t) => t.key === 'documentation-package')?.status).toBe('pending');
    const reassigned = await assignTask(app, manager, task('dns-transfer').id, undefined, { assigneeId: msp.users.technician });
    expect(reassigned.assigneeId).toBe(msp.users.technician);
    expect(await codeOf(assignTask(app, manager, task('dns-transfer').id, undefined, { assigneeId: 'ghost' }))).toBe('invalid-input');
  });

  it('lets a manager waive the evidence requirement with a reason, recorded as such', async () => {
    const msp = await seedMsp(app);
    const { task } = await started(msp);
    const manager = msp.as('manager', msp.users.manager);
    const am = msp.as('account-manager', msp.users.accountManager);
    const review = task('contract-review');
    expect(review.evidence).toEqual(["The contract's termination clause (page reference or excerpt)", 'The agreed fee schedule, if any']);
    const refused = await completeTask(app, am, review.id, undefined, {}).catch((e: DomainError) => e);
    expect(refused).toMatchObject({ code: 'evidence-required' });
    expect((refused as DomainError).message).toContain("The contract's termination clause");
    expect(await codeOf(waiveEvidenceRequirement(app, manager, review.id, undefined, { reason: '  ' }))).toBe('invalid-input');
    const before = await auditCount(msp.tenantId);
    const waived = await waiveEvidenceRequirement(app, manager, review.id, undefined, {
      reason: 'The contract is on paper at the client only',
    });
    expect(waived.evidenceWaiver).toMatchObject({ reason: 'The contract is on paper at the client only', approverId: msp.users.manager });
    expect(await auditCount(msp.tenantId)).toBe(before + 1);
    expect(await codeOf(waiveEvidenceRequirement(app, manager, review.id, undefined, { reason: 'again' }))).toBe('conflict');
    const done = await completeTask(app, am, review.id, undefined, {});
    expect(done.task.status).toBe('done');
    const [event] = await database.query<{ canonical: string }>(
      "select canonical from audit_events where tenant_id = $1 and action = 'task.evidence-waived'",
      [msp.tenantId],
    );
    expect(JSON.parse(event?.canonical ?? '{}')).toMatchObject({
      actor: `user:${msp.users.manager}`,
      data: { key: 'contract-review', reason: 'The contract is on paper at the client only' },
    });
  });

  it('replans when the dates change: open tasks move, done ones stay', async () => {
    const msp = await seedMsp(app);
    const { id, task } = await started(msp);
    await completeWithProof(app, msp.admin, task('contract-review').id);
    const { moved } = await changeOffboardingDates(app, msp.admin, id, undefined, { endDate: '2026-03-13', revocationDate: '2026-03-12' });
    expect(moved).toContainEqual({ key: 'dns-transfer', from: '2026-03-19', to: '2026-03-13' });
    expect(moved).toContainEqual({ key: 'access-revocation', from: '2026-03-27', to: '2026-03-12' });
    expect(moved.map((m) => m.key)).not.toContain('contract-review');
    const after = await loadOffboarding(database.db, msp.tenantId, id);
    expect(after.offboarding).toMatchObject({ endDate: '2026-03-13', revocationDate: '2026-03-12' });
    expect(isoInstant(after.tasks.find((t) => t.key === 'dns-transfer')?.dueAt ?? null)).toBe('2026-03-13T21:00:00Z');
    const event = await database.query<{ canonical: string }>(
      "select canonical from audit_events where tenant_id = $1 and action = 'offboarding.dates-changed'",
      [msp.tenantId],
    );
    expect((JSON.parse(event[0]?.canonical ?? '{}') as { data: { moved: unknown } }).data.moved).toEqual(moved);
  });

  it('tracks time against the included offboarding hours', async () => {
    const msp = await seedMsp(app);
    const { id } = await started(msp);
    const tech = msp.as('technician', msp.users.technician);
    expect((await recordTime(app, tech, id, { minutes: 180, workDate: '2026-03-03' })).summary).toEqual({
      minutes: 180,
      includedMinutes: 240,
      overIncluded: false,
    });
    expect((await recordTime(app, tech, id, { minutes: 90, workDate: '2026-03-04', note: 'Call with Northwind' })).summary).toEqual({
      minutes: 270,
      includedMinutes: 240,
      overIncluded: true,
    });
  });

  it('cancels (client stays) and closes (client leaves) only when allowed', async () => {
    const stays = await seedMsp(app);
    const a = await started(stays);
    await cancelOffboarding(app, stays.admin, a.id, undefined, { reason: 'Client renewed for a year' });
    expect((await clientsRepo.get(database.db, stays.tenantId, stays.clientId))?.status).toBe('active');
    expect(await codeOf(completeTask(app, stays.admin, a.task('contract-review').id, undefined, {}))).toBe('conflict');

    const leaves = await seedMsp(app);
    const b = await started(leaves, { type: 'insourced', newProvider: undefined, revocationDate: undefined });
    expect(await codeOf(closeOffboarding(app, leaves.admin, b.id, undefined, { departureReason: 'In-house IT' }))).toBe(
      'invalid-transition',
    );
    // Waivers pass no gate: the client's backup release and its own coverage attestation (on paper) open them first.
    await recordFromDocument(app, leaves.admin, b.id, 'backup-release');
    await recordFromDocument(app, leaves.admin, b.id, 'replacement-coverage', { party: 'client' });
    for (const t of b.loaded.tasks) await waiveTask(app, leaves.admin, t.id, undefined, { reason: 'test' });
    expect((await loadOffboarding(database.db, leaves.tenantId, b.id)).offboarding.status).toBe('closing');
    await closeOffboarding(app, leaves.admin, b.id, undefined, { departureReason: 'Hired an in-house IT team' });
    const client = await clientsRepo.get(database.db, leaves.tenantId, leaves.clientId);
    expect(client).toMatchObject({ status: 'former', departureReason: 'Hired an in-house IT team' });
  });

  it('keeps tenants apart: another tenant cannot see or change anything', async () => {
    const a = await seedMsp(app, 'MSP A');
    const b = await seedMsp(app, 'MSP B');
    const { id, task } = await started(a);
    const before = await auditCount(a.tenantId);
    expect(await codeOf(completeTask(app, b.admin, task('contract-review').id, undefined, {}))).toBe('not-found');
    expect(await codeOf(changeOffboardingDates(app, b.admin, id, undefined, { endDate: '2026-04-30' }))).toBe('not-found');
    expect(
      await codeOf(
        startOffboarding(app, b.admin, { clientId: a.clientId, type: 'insourced', noticeDate: '2026-03-02', endDate: '2026-03-31' }),
      ),
    ).toBe('not-found');
    expect(await codeOf(assignTask(app, a.admin, task('dns-transfer').id, undefined, { assigneeId: b.users.technician }))).toBe(
      'invalid-input',
    );
    expect(await auditCount(a.tenantId)).toBe(before);
  });

  it('numbers audit events contiguously per tenant, as canonical JSON without secrets', async () => {
    const msp = await seedMsp(app);
    const { task } = await started(msp);
    await Promise.allSettled(
      ['contract-review', 'ownership-register', 'credential-inventory'].map((k) => completeWithProof(app, msp.admin, task(k).id)),
    );
    const rows = await database.query<{ seq: number; canonical: string }>(
      'select seq::int as seq, canonical from audit_events where tenant_id = $1 order by seq',
      [msp.tenantId],
    );
    expect(rows.map((r) => r.seq)).toEqual(rows.map((_, i) => i + 1));
    for (const r of rows) {
      const parsed = JSON.parse(r.canonical) as Record<string, unknown>;
      expect(parsed.seq).toBe(r.seq);
      expect(r.canonical).not.toMatch(/scrypt|password/i);
      expect(JSON.stringify(parsed)).toHaveLength(r.canonical.length); // no insignificant space
    }
  });
});
