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
  'me.update': everyone,
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
  'documentation.read': everyone,
  'documentation.write': ['admin', 'manager', 'account-manager', 'technician', 'documentation'],
  'documentation.import': ['admin', 'manager', 'account-manager', 'technician', 'documentation'],
  // The vault's listings never hold a secret; seeing one is its own action, never the auditor's.
  'credentials.read': everyone,
  'credentials.write': ['admin', 'manager', 'account-manager', 'technician'],
  'credentials.reveal': ['admin', 'manager', 'account-manager', 'technician'],
  'credentials.import': ['admin', 'manager', 'account-manager', 'technician'],
  'parties.read': everyone,
  'parties.manage': accountLeads,
  'conversation.write': staff,
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

export const TASK_ACTIONS = ['start', 'complete', 'tick', 'attach-evidence', 'assign', 'waive', 'waive-evidence', 'reopen'] as const;
export type TaskAction = (typeof TASK_ACTIONS)[number];

/**
 * What this requester may do with this task as it is now: the role table, the task rule and the
 * task's status together. The app shows exactly these controls; the routes check the same table.
 */
export function taskActionsFor(
  who: Requester,
  task: { assigneeId: string | null; role: string; status: string; evidence?: readonly string[]; evidenceWaiver?: unknown },
): TaskAction[] {
  const works = allowed(who.role, 'tasks.work') && permits('tasks.work', who, task);
  const open = task.status !== 'done' && task.status !== 'waived';
  const possible: Record<TaskAction, boolean> = {
    start: works && task.status === 'ready',
    complete: works && (task.status === 'ready' || task.status === 'in-progress'),
    tick: works && open,
    'attach-evidence': works && task.status !== 'waived',
    assign: allowed(who.role, 'tasks.assign') && open,
    waive: allowed(who.role, 'tasks.waive') && open,
    'waive-evidence': allowed(who.role, 'tasks.waive') && open && (task.evidence?.length ?? 0) > 0 && !task.evidenceWaiver,
    reopen: allowed(who.role, 'tasks.reopen') && !open,
  };
  return TASK_ACTIONS.filter((a) => possible[a]);
}

/** The actions a role may take, from the table: served to the app so it shows only what the role may do. */
export function permissionsOf(role: StaffRole): Action[] {
  return (Object.keys(PERMISSIONS) as Action[]).filter((a) => allowed(role, a));
}

/** Each action as a sentence ends: "You cannot <words>." */
const ACTION_WORDS: Record<Action, string> = {
  'me.read': 'see your own account',
  'me.update': 'change your own account',
  'users.read': 'see the people of this MSP',
  'users.create': 'add people',
  'users.update': 'change people or their passwords',
  'tokens.read': 'see API tokens',
  'tokens.create': 'create API tokens',
  'tokens.revoke': 'revoke API tokens',
  'clients.read': 'see clients',
  'clients.create': 'add clients',
  'clients.update': 'change clients',
  'offboardings.read': 'see offboardings',
  'offboardings.start': 'start offboardings',
  'offboardings.change-dates': "change an offboarding's dates",
  'offboardings.cancel': 'cancel offboardings',
  'offboardings.close': 'close offboardings',
  'offboardings.record-attestation': 'record written statements',
  'documentation.read': "see a client's documentation",
  'documentation.write': "change a client's documentation",
  'documentation.import': 'import documentation',
  'credentials.read': "see a client's credential inventory",
  'credentials.write': "change a client's credentials or their dispositions",
  'credentials.reveal': 'see the secret of a credential',
  'credentials.import': 'import credentials',
  'parties.read': 'see who is invited to the portal',
  'parties.manage': 'invite people to the portal or end their access',
  'conversation.write': 'write to the new provider',
  'time.read': 'see time records',
  'time.record': 'record time',
  'tasks.read': 'see tasks',
  'tasks.work': 'work on tasks',
  'tasks.assign': 'assign tasks',
  'tasks.waive': 'waive tasks',
  'tasks.reopen': 'reopen tasks',
  'audit.read': 'read the activity log',
  'log.read': 'read the signed log',
  'log.rotate-key': "rotate the log's signing key",
  'evidence.export': 'download evidence bundles',
  'playbooks.read': 'see playbooks',
  'playbooks.write': 'edit or publish playbooks',
  'settings.read': 'see the settings',
  'settings.write': 'change the settings',
};

/** What each role is for, in one sentence. */
export const ROLE_MEANING: Record<StaffRole, string> = {
  admin: 'Admins can do everything, including settings, people and API tokens.',
  manager: 'Managers run offboardings, waive tasks and publish playbooks; they read the settings but do not change them.',
  'account-manager': "Account managers run their clients' offboardings and work account tasks.",
  technician: 'Technicians work technical tasks and record their time.',
  documentation: 'Documentation staff work documentation tasks and record their time.',
  billing: 'Billing staff work billing tasks and record their time.',
  auditor: 'Auditors can read everything but change nothing, and never see a secret.',
};

/** A refusal a person can read: what they tried, and what their role is for. */
export function refusal(role: StaffRole, action: Action): string {
  return `You cannot ${ACTION_WORDS[action]}. ${ROLE_MEANING[role]}`;
}

/** A refusal by the task rule: whose task it is. */
export function taskRefusal(role: string): string {
  return `This is a ${role.replaceAll('-', ' ')} task: it is worked by its assignee, ${role.replaceAll('-', ' ')}s, managers and admins.`;
}
