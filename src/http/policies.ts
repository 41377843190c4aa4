/**
 * Who may do what: one declarative table. Routes name an action; the handlers never check roles.
 * The auditor reads everything and changes nothing.
 */
import { STAFF_ROLES, type StaffRole } from '../domain/vocabulary.ts';

const everyone = STAFF_ROLES;
const staff: readonly StaffRole[] = ['admin', 'manager', 'account-manager', 'technician', 'documentation', 'billing'];
const managers: readonly StaffRole[] = ['admin', 'manager'];
const accountLeads: readonly StaffRole[] = ['admin', 'manager', 'account-manager'];

export const PERMISSIONS = {
  'me.read': everyone,
  'users.read': everyone,
  'users.create': ['admin'],
  'users.update': ['admin'],
  'tokens.read': ['admin'],
  'tokens.create': ['admin'],
  'tokens.revoke': ['admin'],
  'clients.read': everyone,
  'clients.create': accountLeads,
  'clients.update': accountLeads,
  'offboardings.read': everyone,
  'offboardings.start': accountLeads,
  'offboardings.change-dates': accountLeads,
  'offboardings.cancel': accountLeads,
  'offboardings.close': accountLeads,
  'offboardings.record-attestation': accountLeads,
  'time.read': everyone,
  'time.record': staff,
  'tasks.read': everyone,
  'tasks.work': staff,
  'tasks.assign': accountLeads,
  'tasks.waive': managers,
  'tasks.reopen': accountLeads,
  'audit.read': ['admin', 'manager', 'account-manager', 'auditor'],
  'log.read': ['admin', 'manager', 'account-manager', 'auditor'],
  'log.rotate-key': ['admin'],
  'evidence.export': ['admin', 'manager', 'account-manager', 'auditor'],
  'playbooks.read': everyone,
  'playbooks.write': managers,
  'settings.read': managers,
  'settings.write': ['admin'],
} as const satisfies Record<string, readonly StaffRole[]>;

export type Action = keyof typeof PERMISSIONS;

export function allowed(role: StaffRole, action: Action): boolean {
  return (PERMISSIONS[action] as readonly StaffRole[]).includes(role);
}
