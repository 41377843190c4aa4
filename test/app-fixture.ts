/** An app on a fresh test database, with a clock the test moves, and a seeded MSP. */
import { randomBytes } from 'node:crypto';
import { createClient } from '../src/app/clients/create-client.ts';
import { secretBoxFromKey } from '../src/app/secrets.ts';
import { createTenant } from '../src/app/accounts/create-tenant.ts';
import { createUser } from '../src/app/accounts/create-user.ts';
import type { Actor, App } from '../src/app/context.ts';
import type { Gate, StaffRole } from '../src/domain/vocabulary.ts';
import { AUTHORIZATION_SCOPES, STATEMENT_KINDS, type StatementKind } from '../src/domain/statements.ts';
import { type RecordAttestationInput, recordAttestation } from '../src/app/offboardings/record-attestation.ts';
import { loadOffboarding } from '../src/app/offboardings/offboarding-facts.ts';
import { attachEvidence } from '../src/app/tasks/attach-evidence.ts';
import { completeTask } from '../src/app/tasks/complete-task.ts';
import type { z } from 'zod';

type RecordAttestationData = z.input<typeof RecordAttestationInput>;
import type { Database } from '../src/storage/db.ts';
import { testDatabase } from './db.ts';

export type TestClock = { (): Date; set: (iso: string) => void };

export function testClock(start = '2026-03-02T14:00:00Z'): TestClock {
  let current = new Date(start);
  const clock = (() => new Date(current)) as TestClock;
  clock.set = (iso: string) => {
    current = new Date(iso);
  };
  return clock;
}

export async function testApp(): Promise<{ app: App; database: Database; clock: TestClock }> {
  const database = await testDatabase();
  const clock = testClock();
  return { app: { database, clock, secrets: secretBoxFromKey(randomBytes(32)) }, database, clock };
}

export type SeededMsp = {
  tenantId: string;
  admin: Actor;
  /** The admin's sign-in (the number in it differs per MSP, and per worker when files share one). */
  adminEmail: string;
  users: Record<'leader' | 'manager' | 'accountManager' | 'technician' | 'technician2' | 'documentation' | 'billing' | 'auditor', string>;
  as: (role: StaffRole, id?: string) => Actor;
  clientId: string;
};

let counter = 0;

/** An MSP with a manager chain (leadership <- manager <- staff) and one client with every service. */
export async function seedMsp(app: App, name = 'Acme MSP'): Promise<SeededMsp> {
  const n = ++counter;
  const adminEmail = `admin${n}@${n}.example`;
  const { tenantId, adminId } = await createTenant(app, {
    name,
    admin: { email: adminEmail, name: 'Ada Admin', password: 'correct horse battery' },
  });
  const admin: Actor = { tenantId, kind: 'user', id: adminId as string, role: 'admin' };
  const add = async (role: StaffRole, who: string, managerId?: string) =>
    (await createUser(app, admin, { email: `${who}${n}@${n}.example`, name: who, role, ...(managerId ? { managerId } : {}) })).id;
  const leader = await add('manager', 'leader');
  const manager = await add('manager', 'manager', leader);
  const users = {
    leader,
    manager,
    accountManager: await add('account-manager', 'amy', manager),
    technician: await add('technician', 'tom', manager),
    technician2: await add('technician', 'tara', manager),
    documentation: await add('documentation', 'dora', manager),
    billing: await add('billing', 'bill', manager),
    auditor: await add('auditor', 'audrey'),
  };
  const { id: clientId } = await createClient(app, admin, {
    name: 'Harbor Dental Group',
    timezone: 'America/New_York',
    services: { dns: true, m365: true, backup: true, edr: true, rmm: true, cloud: false, firewall: 'client-owned' },
    contacts: [{ name: 'Carla Client', email: 'carla@harbor.example', authorizedSigner: true }],
    contract: { includedOffboardingHours: 4, hourlyRate: 150, retentionDays: 180 },
    team: { 'account-manager': users.accountManager, technician: users.technician2 },
  });
  return { tenantId, admin, adminEmail, users, as: (role, id) => ({ tenantId, kind: 'user', id: id ?? adminId ?? '', role }), clientId };
}

/**
 * A statement signed on paper, recorded by staff from its scan: the scan is attached as evidence to
 * the offboarding's client-authorization task (else the first task), then recorded. Facts the
 * template needs have defaults; `overrides` replace them.
 */
export async function recordFromDocument(
  app: App,
  actor: Actor,
  offboardingId: string,
  kind: StatementKind,
  overrides: Partial<RecordAttestationData> = {},
): Promise<{ id: string; statementSha256: string }> {
  const tasks = (await loadOffboarding(app.database.db, actor.tenantId, offboardingId)).tasks;
  const task = tasks.find((t) => t.key === 'client-authorization' && t.status !== 'waived') ?? tasks[0];
  if (!task) throw new Error('the offboarding has no task to attach the scan to');
  const scan = await attachEvidence(
    app,
    actor,
    task.id,
    { filename: `${kind}-signed.pdf`, mediaType: 'application/pdf' },
    new TextEncoder().encode(`%PDF-1.4 the signed ${kind} ${randomBytes(4).toString('hex')}`),
  );
  const client = (overrides.party ?? STATEMENT_KINDS[kind].party) === 'client';
  return recordAttestation(app, actor, offboardingId, {
    kind,
    signerName: client ? 'Carla Client' : 'Nick Northwind',
    signerEmail: client ? 'carla@harbor.example' : 'transition@northwind.example',
    signedOn: app.clock().toISOString().slice(0, 10),
    documentEvidenceId: scan.id,
    ...(kind === 'authorization' ? { scopes: [...AUTHORIZATION_SCOPES] } : {}),
    ...(kind === 'backup-verified' ? { restore: { date: app.clock().toISOString().slice(0, 10), product: 'Veeam' } } : {}),
    // The file signed with it: on paper, the scan carries the report or the console screenshot too.
    ...(kind === 'backup-verified' || kind === 'replacement-coverage' ? { attachmentId: scan.id } : {}),
    ...(kind === 'replacement-coverage' ? { coverage: { product: 'SentinelOne', since: app.clock().toISOString().slice(0, 10) } } : {}),
    ...overrides,
  });
}

/** The statement that opens a gate, as the tests record it: the client's authorization and backup release, the new provider's coverage. */
export const STATEMENT_FOR_GATE: Record<Gate, StatementKind> = {
  authorization: 'authorization',
  'backup-handoff': 'backup-release',
  'replacement-coverage': 'replacement-coverage',
};

/** Attaches a screenshot-like file to a task as its evidence (the playbook asks for some on nearly every task). */
export async function attachProof(app: App, actor: Actor, taskId: string, name = 'proof.png') {
  return attachEvidence(
    app,
    actor,
    taskId,
    { filename: name, mediaType: 'image/png' },
    new TextEncoder().encode(`proof ${randomBytes(6).toString('hex')}`),
  );
}

/** Completes a task the way staff do: its evidence attached first. */
export async function completeWithProof(
  app: App,
  actor: Actor,
  taskId: string,
  input: Parameters<typeof completeTask>[4] = {},
): ReturnType<typeof completeTask> {
  await attachProof(app, actor, taskId);
  return completeTask(app, actor, taskId, undefined, input);
}
