/** The product's vocabulary (DESIGN.md section 2). These strings are stable API. */

export const OFFBOARDING_TYPES = ['provider-switch', 'business-closure', 'acquisition', 'msp-terminated', 'insourced'] as const;
export type OffboardingType = (typeof OFFBOARDING_TYPES)[number];

export const SERVICES = ['dns', 'm365', 'backup', 'edr', 'rmm', 'cloud'] as const;
export type Service = (typeof SERVICES)[number];

export const FIREWALL_OWNERSHIP = ['none', 'msp-owned', 'client-owned'] as const;
export type FirewallOwnership = (typeof FIREWALL_OWNERSHIP)[number];

/** Roles of the MSP's staff (and of API tokens). */
export const STAFF_ROLES = ['admin', 'manager', 'account-manager', 'technician', 'documentation', 'billing', 'auditor'] as const;
export type StaffRole = (typeof STAFF_ROLES)[number];

/** Staff roles a playbook task can be assigned to. */
export const TASK_ROLES = ['account-manager', 'technician', 'documentation', 'billing', 'manager'] as const;
export type TaskRole = (typeof TASK_ROLES)[number];

export const GATES = ['authorization', 'backup-handoff', 'replacement-coverage'] as const;
export type Gate = (typeof GATES)[number];

/** What the client's authorization lets the MSP hand to the new provider: each a checkbox. */
export const AUTHORIZATION_SCOPES = ['documentation', 'credentials', 'dns-registrar', 'cloud-m365', 'network-equipment'] as const;
export type AuthorizationScope = (typeof AUTHORIZATION_SCOPES)[number];

export const TASK_STATUSES = ['pending', 'ready', 'in-progress', 'done', 'waived'] as const;
export type TaskStatus = (typeof TASK_STATUSES)[number];

export const OFFBOARDING_STATUSES = ['planned', 'active', 'closing', 'closed', 'cancelled'] as const;
export type OffboardingStatus = (typeof OFFBOARDING_STATUSES)[number];

export type ServiceProfile = { [S in Service]: boolean } & { firewall: FirewallOwnership };

export function isClosedStatus(status: TaskStatus): boolean {
  return status === 'done' || status === 'waived';
}
