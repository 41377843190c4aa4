/**
 * Who may do what: one declarative table of actions by role, and rules for the actions that also
 * depend on the thing acted on. Routes name an action; handlers and use cases never check roles
 * themselves. The auditor reads everything and changes nothing.
 */
import { STAFF_ROLES, type StaffRole } from './vocabulary.ts';

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

/** Who is asking, as far as a rule needs to know. */
export type Requester = { kind: 'user' | 'token' | 'system'; id: string; role: StaffRole };

/**
 * Rules on a thing, checked after the role table lets the action through (the use case loads
 * the thing and asks). A task is worked by its assignee, people with the task's role, managers
 * and admins: billing does not complete a technician's credential inventory.
 */
export const RULES = {
  'tasks.work': (who: Requester, task: { assigneeId: string | null; role: string }) =>
    who.kind === 'system' ||
    (managers as readonly string[]).includes(who.role) ||
    who.role === task.role ||
    (who.kind === 'user' && who.id === task.assigneeId),
} as const;

export type Rule = keyof typeof RULES;

export function permits<R extends Rule>(rule: R, who: Requester, thing: Parameters<(typeof RULES)[R]>[1]): boolean {
  return RULES[rule](who, thing);
}
