/**
 * The demo MSP `npm start` creates on an empty database: staff in every role with a manager
 * chain, three clients with different service profiles, and one offboarding under way with
 * some tasks done and one overdue.
 */
import { calendarFor, localDateAt } from '../domain/calendar.ts';
import type { StaffRole } from '../domain/vocabulary.ts';
import { tasksRepo } from '../storage/repositories.ts';
import { completeTask } from './tasks/complete-task.ts';
import type { Actor, App } from './context.ts';
import { createClient } from './clients/create-client.ts';
import { createTenant } from './accounts/create-tenant.ts';
import { createUser } from './accounts/create-user.ts';
import { recordAttestation } from './offboardings/record-attestation.ts';
import { attachEvidence } from './tasks/attach-evidence.ts';
import { recordTime } from './offboardings/record-time.ts';
import { startOffboarding } from './offboardings/start-offboarding.ts';

export const DEMO_PASSWORD = 'offboard-demo';

export type DemoLogin = { email: string; name: string; role: StaffRole };

export async function seedDemo(app: App): Promise<{ tenantId: string; logins: DemoLogin[]; offboardingId: string }> {
  const { tenantId, adminId } = await createTenant(app, {
    name: 'Acme IT Services',
    admin: { email: 'ada@acme-it.example', name: 'Ada Admin', password: DEMO_PASSWORD },
  });
  const admin: Actor = { tenantId, kind: 'user', id: adminId as string, role: 'admin' };
  const logins: DemoLogin[] = [{ email: 'ada@acme-it.example', name: 'Ada Admin', role: 'admin' }];
  const add = async (name: string, role: StaffRole, managerId?: string) => {
    const email = `${name.split(' ')[0]?.toLowerCase()}@acme-it.example`;
    logins.push({ email, name, role });
    return (await createUser(app, admin, { email, name, role, password: DEMO_PASSWORD, ...(managerId ? { managerId } : {}) })).id;
  };
  const lee = await add('Lee Leader', 'manager');
  const morgan = await add('Morgan Manager', 'manager', lee);
  const amy = await add('Amy Account', 'account-manager', morgan);
  const tom = await add('Tom Tech', 'technician', morgan);
  await add('Tara Tech', 'technician', morgan);
  const dora = await add('Dora Docs', 'documentation', morgan);
  const bill = await add('Bill Billing', 'billing', morgan);
  await add('Audrey Auditor', 'auditor');

  const contract = { includedOffboardingHours: 4, hourlyRate: 150, retentionDays: 180, transitionFee: 750 };
  const { id: harbor } = await createClient(app, admin, {
    name: 'Harbor Dental Group',
    timezone: 'America/New_York',
    services: { dns: true, m365: true, backup: true, edr: true, rmm: true, cloud: false, firewall: 'msp-owned' },
    contacts: [{ name: 'Carla Diaz', email: 'carla@harbordental.example', role: 'Practice manager', authorizedSigner: true }],
    contract,
    team: { 'account-manager': amy, technician: tom },
  });
  await createClient(app, admin, {
    name: 'Bluebird Logistics',
    timezone: 'America/Chicago',
    services: { dns: false, m365: true, backup: true, edr: false, rmm: true, cloud: false, firewall: 'client-owned' },
    contacts: [{ name: 'Sam Reed', email: 'sam@bluebird.example', authorizedSigner: true }],
    contract,
  });
  await createClient(app, admin, {
    name: 'Cedar & Co Accounting',
    timezone: 'Europe/London',
    services: { dns: true, m365: true, backup: false, edr: true, rmm: false, cloud: true, firewall: 'none' },
    contacts: [{ name: 'Priya Shah', email: 'priya@cedarco.example', authorizedSigner: true }],
    contract,
  });

  // Harbor Dental gave notice eight business days ago; the contract ends in about a month.
  const cal = calendarFor({});
  const today = localDateAt(app.clock().toISOString(), 'America/New_York');
  const noticeDate = cal.addBusinessDays(cal.onOrBefore(today), -8);
  const endDate = cal.addDays(today, 24);
  const am: Actor = { tenantId, kind: 'user', id: amy, role: 'account-manager' };
  const { id: offboardingId } = await startOffboarding(app, am, {
    clientId: harbor,
    type: 'provider-switch',
    noticeDate,
    endDate,
    newProvider: { name: 'Northwind IT', contact: 'transition@northwind-it.example' },
  });
  // Carla signed the authorization on paper; Amy attaches the scan and records it from there.
  const authorizationTask = (await tasksRepo.ofOffboarding(app.database.db, tenantId, offboardingId)).find(
    (t) => t.key === 'client-authorization',
  );
  if (authorizationTask) {
    const scan = await attachEvidence(
      app,
      am,
      authorizationTask.id,
      { filename: 'signed-authorization.txt', mediaType: 'text/plain' },
      new TextEncoder().encode('Demo data: stands for the scan of the authorization Carla Diaz signed on paper.\n'),
    );
    await recordAttestation(app, am, offboardingId, {
      kind: 'authorization',
      signerName: 'Carla Diaz',
      signerEmail: 'carla@harbordental.example',
      signedOn: cal.addBusinessDays(noticeDate, 1),
      documentEvidenceId: scan.id,
      scopes: ['documentation', 'credentials', 'dns-registrar', 'cloud-m365'],
    });
  }
  // Everything due before today is done, except the credential inventory, which is overdue.
  const tech: Actor = { tenantId, kind: 'user', id: tom, role: 'technician' };
  // Each task is done by someone with its role, as the task rule requires.
  const byRole: Partial<Record<StaffRole, Actor>> = {
    'account-manager': am,
    technician: tech,
    documentation: { tenantId, kind: 'user', id: dora, role: 'documentation' },
    billing: { tenantId, kind: 'user', id: bill, role: 'billing' },
  };
  for (let round = 0; round < 3; round++) {
    for (const t of await tasksRepo.ofOffboarding(app.database.db, tenantId, offboardingId)) {
      if (t.due >= today || t.key === 'credential-inventory' || t.status !== 'ready') continue;
      const by = byRole[t.role as StaffRole] ?? admin;
      // What the playbook asks for as proof, as the technician would have attached it.
      if (t.evidence.length > 0)
        await attachEvidence(
          app,
          by,
          t.id,
          { filename: `${t.key}.txt`, mediaType: 'text/plain' },
          new TextEncoder().encode(`${t.title}\n\n${t.evidence.map((e) => `- ${e}`).join('\n')}\n`),
        );
      await completeTask(app, by, t.id, undefined, { checked: t.checklist.map((c) => c.item) });
    }
  }
  await recordTime(app, tech, offboardingId, {
    minutes: 150,
    workDate: cal.onOrBefore(cal.addDays(today, -1)),
    note: 'Documentation package and ownership register',
  });
  return { tenantId, logins, offboardingId };
}
