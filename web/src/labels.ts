/**
 * The words a person reads for the keys the API speaks: offboarding types, statuses, roles,
 * gates, services, notification kinds and fields. Keys stay in the API; screens use these.
 */
export const OFFBOARDING_TYPES = ['provider-switch', 'business-closure', 'acquisition', 'msp-terminated', 'insourced'] as const;
export const STAFF_ROLES = ['admin', 'manager', 'account-manager', 'technician', 'documentation', 'billing', 'auditor'] as const;
export const TASK_ROLES = ['account-manager', 'technician', 'documentation', 'billing', 'manager'] as const;

const words =
  (table: Record<string, string>) =>
  (key: string | null | undefined): string =>
    key == null ? '' : (table[key] ?? key.replaceAll('-', ' ').replace(/^./, (c) => c.toUpperCase()));

export const offboardingTypeLabel = words({
  'provider-switch': 'Switching to a new provider',
  'business-closure': 'Business closing',
  acquisition: 'Acquired by another company',
  'msp-terminated': 'We ended the contract',
  insourced: 'Taking IT in-house',
});

export const taskStatusLabel = words({
  pending: 'Waiting',
  ready: 'Ready',
  'in-progress': 'In progress',
  done: 'Done',
  waived: 'Waived',
});

export const offboardingStatusLabel = words({
  planned: 'Planned',
  active: 'In progress',
  closing: 'Closing',
  closed: 'Closed',
  cancelled: 'Cancelled',
});

export const clientStatusLabel = words({ active: 'Active', offboarding: 'Offboarding', former: 'Former client' });

export const roleLabel = words({
  admin: 'Admin',
  manager: 'Manager',
  'account-manager': 'Account manager',
  technician: 'Technician',
  documentation: 'Documentation',
  billing: 'Billing',
  auditor: 'Auditor',
});

export const gateLabel = words({
  authorization: 'Client’s written authorization',
  'backup-handoff': 'Backup handed off or released',
  'replacement-coverage': 'Replacement security in place',
});

export const statementLabel = words({
  authorization: 'Authorization to hand over to the new provider',
  'authorization-withdrawal': 'Withdrawal of the authorization',
  'backup-release': 'Backup release',
  'early-cutover': 'Agreement to an early access cut-over',
  'backup-verified': 'Attestation of a verified backup',
  'replacement-coverage': 'Attestation of replacement security coverage',
  receipt: 'Acknowledgement of receipt',
  'package-receipt': 'Acknowledgement of receipt of the documentation package',
  'credentials-receipt': 'Acknowledgement of receipt of the credentials',
});

export const serviceLabel = words({
  dns: 'DNS and domains',
  m365: 'Microsoft 365',
  backup: 'Backup',
  edr: 'Security (EDR)',
  rmm: 'Remote monitoring (RMM)',
  cloud: 'Cloud subscriptions',
});

export const firewallLabel = words({ none: 'No firewall', 'msp-owned': 'Ours', 'client-owned': 'The client’s' });

export const notificationKindLabel = words({
  reminder: 'Reminder',
  overdue: 'Overdue',
  escalation: 'Escalation',
  'gate-reminder': 'Waiting on the client or new provider',
  'gate-escalation': 'Gate escalation',
  'internal-notification': 'New offboarding',
  'client-acknowledgement': 'Acknowledgement to the client',
  'client-checkpoint': 'Signed checkpoint to the client',
  digest: 'Daily digest',
  announcement: 'Announcement',
});

export const channelLabel = words({ 'in-app': 'In the app', email: 'Email', slack: 'Slack', teams: 'Microsoft Teams' });

/** A client's contract terms as a person reads them. */
export function contractTerms(contract: Record<string, unknown>): string[] {
  const money = (v: unknown) =>
    typeof v === 'number' ? v.toLocaleString('en-US', { minimumFractionDigits: 0, maximumFractionDigits: 2 }) : String(v);
  const days = (v: unknown) => `${String(v)} ${v === 1 ? 'day' : 'days'}`;
  const TERMS: Record<string, (v: unknown) => string> = {
    start: (v) => `Started ${String(v)}`,
    end: (v) => `Ends ${String(v)}`,
    noticePeriodDays: (v) => `Notice period ${days(v)}`,
    includedOffboardingHours: (v) => `${String(v)} offboarding hours included`,
    hourlyRate: (v) => `${money(v)} an hour beyond them`,
    transitionFee: (v) => `Transition fee ${money(v)}`,
    returningClientFee: (v) => `Fee to come back ${money(v)}`,
    retentionDays: (v) => `Data kept ${days(v)} after the end`,
  };
  // In the order a person reads a contract, whatever order the database keeps the keys in.
  const order = Object.keys(TERMS);
  return Object.entries(contract)
    .filter(([, v]) => v !== undefined && v !== null)
    .sort(([a], [b]) => (order.indexOf(a) + 1 || 99) - (order.indexOf(b) + 1 || 99))
    .map(([k, v]) => (TERMS[k] ?? ((x: unknown) => `${k}: ${String(x)}`))(v));
}

export const phaseName = (phase: number): string =>
  ['Notification', 'Access', 'Agents', 'Infrastructure', 'Financial', 'Closeout'][phase - 1] ?? `Phase ${phase}`;
