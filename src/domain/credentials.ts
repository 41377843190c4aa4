/**
 * Credentials the MSP holds for a client: what they are, who owns them, and what happens to each
 * at the offboarding (its disposition). Pure: the vault's rules and words, no secrets, no I/O.
 */

export const CREDENTIAL_KINDS = [
  'admin-account',
  'service-account',
  'user-account',
  'shared-mailbox',
  'network-device',
  'registrar',
  'cloud-console',
  'api-key',
  'vpn',
  'wifi',
  'other',
] as const;
export type CredentialKind = (typeof CREDENTIAL_KINDS)[number];

export const CREDENTIAL_OWNERS = ['client', 'msp', 'vendor'] as const;
export type CredentialOwner = (typeof CREDENTIAL_OWNERS)[number];

/**
 * What happens to a credential: handed over as it is, changed by the MSP right before it is
 * handed over, or revoked (the MSP's own access, which nobody receives).
 */
export const DISPOSITIONS = ['hand-over', 'rotate-then-hand-over', 'revoke'] as const;
export type Disposition = (typeof DISPOSITIONS)[number];

export const CREDENTIAL_RECIPIENTS = ['client', 'new-provider'] as const;
export type CredentialRecipient = (typeof CREDENTIAL_RECIPIENTS)[number];

export const KIND_WORDS: Record<CredentialKind, string> = {
  'admin-account': 'admin account',
  'service-account': 'service account',
  'user-account': 'user account',
  'shared-mailbox': 'shared mailbox',
  'network-device': 'network device',
  registrar: 'domain registrar',
  'cloud-console': 'cloud console',
  'api-key': 'API key',
  vpn: 'VPN',
  wifi: 'Wi-Fi',
  other: 'other',
};

const RECIPIENT_WORDS: Record<CredentialRecipient, string> = { client: 'the client', 'new-provider': 'the new provider' };

/** A disposition in words: "hand over to the new provider", "rotate, then hand over to the client", "revoke". */
export function dispositionInWords(disposition: Disposition, recipient: CredentialRecipient | null): string {
  const to = recipient ? RECIPIENT_WORDS[recipient] : 'nobody chosen yet';
  switch (disposition) {
    case 'hand-over':
      return `hand over to ${to}`;
    case 'rotate-then-hand-over':
      return `change, then hand over to ${to}`;
    case 'revoke':
      return "revoke (the MSP's own access)";
  }
}

/** The problem with a disposition, or undefined: a hand-over needs its recipient, a revocation has none. */
export function dispositionProblem(disposition: Disposition, recipient: CredentialRecipient | null | undefined): string | undefined {
  if (disposition === 'revoke') return recipient ? 'a revoked credential is handed to nobody: leave the recipient out' : undefined;
  return recipient ? undefined : 'is required: who receives it, the client or the new provider';
}

export type InventoryEntry = { disposition: Disposition | null; recipient: CredentialRecipient | null; n?: number };

export type InventorySummary = {
  credentials: number;
  undecided: number;
  handOver: { client: number; newProvider: number };
  rotateThenHandOver: number;
  revoke: number;
};

export function summarizeInventory(entries: readonly InventoryEntry[]): InventorySummary {
  const summary: InventorySummary = {
    credentials: 0,
    undecided: 0,
    handOver: { client: 0, newProvider: 0 },
    rotateThenHandOver: 0,
    revoke: 0,
  };
  for (const e of entries) {
    const n = e.n ?? 1;
    summary.credentials += n;
    if (e.disposition === null) {
      summary.undecided += n;
      continue;
    }
    if (e.disposition === 'revoke') summary.revoke += n;
    else {
      if (e.disposition === 'rotate-then-hand-over') summary.rotateThenHandOver += n;
      if (e.recipient === 'new-provider') summary.handOver.newProvider += n;
      else summary.handOver.client += n;
    }
  }
  return summary;
}

/**
 * Why the credential inventory is not complete, or undefined when it is: complete means the
 * client has credentials in the vault and each has a disposition (an empty vault proves nothing:
 * "don't trust memory").
 */
export function inventoryGap(summary: InventorySummary): string | undefined {
  if (summary.credentials === 0) return 'the vault holds no credential of this client yet';
  if (summary.undecided > 0)
    return `${summary.undecided} of ${summary.credentials} credential${summary.credentials === 1 ? ' has' : 's have'} no disposition yet`;
  return undefined;
}

/** Whether the new provider may ever receive this credential: only within an authorization covering credentials. */
export const goesToNewProvider = (c: { disposition: Disposition | null; recipient: CredentialRecipient | null }): boolean =>
  c.disposition !== null && c.disposition !== 'revoke' && c.recipient === 'new-provider';

const KIND_HINTS: [RegExp, CredentialKind][] = [
  [/\b(api|token)\b/i, 'api-key'],
  [/\bvpn\b/i, 'vpn'],
  [/wi-?fi|wireless|\bssid\b/i, 'wifi'],
  [/registrar|godaddy|namecheap|\bdomains?\b/i, 'registrar'],
  [/firewall|switch|router|fortigate|sonicwall|meraki|ubiquiti|unifi|network|\bap\b/i, 'network-device'],
  [/shared mailbox|mailbox/i, 'shared-mailbox'],
  [/service account|\bsvc\b|service/i, 'service-account'],
  [/azure|aws|m365|microsoft 365|office 365|o365|google workspace|gcp|cloud|console|portal|tenant/i, 'cloud-console'],
  [/admin|administrator|root|domain admin|global admin/i, 'admin-account'],
  [/\buser\b|\bstaff\b|employee/i, 'user-account'],
];

/** The kind a platform's words suggest (a category, a folder, the name), else `other`. */
export function kindFromWords(...words: (string | undefined)[]): CredentialKind {
  for (const text of words) {
    if (!text) continue;
    const exact = CREDENTIAL_KINDS.find((k) => k === text.trim().toLowerCase().replace(/\s+/g, '-'));
    if (exact) return exact;
    const hint = KIND_HINTS.find(([pattern]) => pattern.test(text));
    if (hint) return hint[1];
  }
  return 'other';
}

/** How a credential stands for one side of the portal: theirs to take now, or to take once the MSP has changed it. */
export type HandoverState = 'available' | 'waiting-for-change';

/**
 * What one side receives: the client every credential handed over (to it or to the new provider:
 * whatever the new provider receives, the client receives too); the new provider only those handed
 * to it, and only while an authorization covering credentials is in force. A credential to be
 * changed first waits until the MSP has recorded the change.
 */
export function handoverState(
  side: CredentialRecipient,
  c: { disposition: Disposition | null; recipient: CredentialRecipient | null; rotatedAt: string | null },
  credentialsCovered: boolean,
): HandoverState | undefined {
  if (c.disposition === null || c.disposition === 'revoke' || c.recipient === null) return undefined;
  if (side === 'new-provider' && (c.recipient !== 'new-provider' || !credentialsCovered)) return undefined;
  return c.disposition === 'rotate-then-hand-over' && c.rotatedAt === null ? 'waiting-for-change' : 'available';
}

/** Who confirms a handed-over credential was changed: the side it was handed to (the client may for any). */
export const confirmsChange = (side: CredentialRecipient, c: { recipient: CredentialRecipient | null }): boolean =>
  side === 'client' || c.recipient === side;

/** What the MSP holds or set up for the client, to be revoked at the cut-over. */
export const REVOCATION_KINDS = ['account', 'admin-access', 'vpn', 'mfa', 'api-key', 'delegated-admin', 'other'] as const;
export type RevocationKind = (typeof REVOCATION_KINDS)[number];

export const REVOCATION_KIND_WORDS: Record<RevocationKind, string> = {
  account: 'account',
  'admin-access': 'admin access',
  vpn: 'VPN access',
  mfa: 'MFA registration',
  'api-key': 'API key',
  'delegated-admin': 'delegated admin',
  other: 'access',
};

/** The kind of access a revoked credential is. */
export function revocationKindOf(kind: CredentialKind): RevocationKind {
  switch (kind) {
    case 'api-key':
      return 'api-key';
    case 'vpn':
      return 'vpn';
    case 'admin-account':
    case 'cloud-console':
    case 'network-device':
    case 'registrar':
      return 'admin-access';
    case 'service-account':
    case 'user-account':
    case 'shared-mailbox':
    case 'wifi':
    case 'other':
      return 'account';
  }
}

/**
 * How a revocation was checked: a login attempted after it that failed (when, and its
 * screenshot), the provider's answer, or why it cannot be checked.
 */
export type RevocationCheck =
  | { method: 'failed-login'; attemptedAt: string; screenshot: { evidenceId: string; sha256: string; filename: string } }
  | {
      method: 'provider-answer';
      answer: string;
      answeredAt: string;
      evidence?: { evidenceId: string; sha256: string; filename: string } | undefined;
    }
  | { method: 'cannot-verify'; reason: string };

export type RevocationItem = {
  kind: RevocationKind;
  revokedAt: string | null;
  check: RevocationCheck | null;
  accounted: { by: string; reason: string } | null;
};

/** Which task an item belongs to: MFA registrations to `mfa-cleanup`, everything else to `access-revocation`. */
export const revocationTaskOf = (kind: RevocationKind): 'mfa-cleanup' | 'access-revocation' =>
  kind === 'mfa' ? 'mfa-cleanup' : 'access-revocation';

/**
 * Settled: revoked and verified (a failed login or the provider's answer), or accounted for by a
 * manager with a reason. A revocation that cannot be verified needs that accounting.
 */
export function revocationSettled(item: RevocationItem): boolean {
  if (item.accounted) return true;
  return item.revokedAt !== null && item.check !== null && item.check.method !== 'cannot-verify';
}

/** Why these items do not let their task complete, or undefined when every one is settled. */
export function revocationGap(items: readonly RevocationItem[]): string | undefined {
  const open = items.filter((i) => !revocationSettled(i));
  if (open.length === 0) return undefined;
  const unrevoked = open.filter((i) => i.revokedAt === null).length;
  const unverified = open.length - unrevoked;
  const parts = [
    unrevoked > 0 ? `${unrevoked} not revoked yet` : '',
    unverified > 0
      ? `${unverified} revoked but not verified (a manager may account for ${unverified === 1 ? 'it' : 'them'} with a reason)`
      : '',
  ].filter(Boolean);
  return `${open.length} of ${items.length} ${items.length === 1 ? 'item' : 'items'} to revoke: ${parts.join('; ')}`;
}

/** A revocation in words, naming what backs it. */
export function revocationInWords(item: RevocationItem & { what: string }): string {
  const revoked = item.revokedAt ? `revoked on ${item.revokedAt.slice(0, 10)}` : 'not revoked';
  const check = item.check;
  const verified =
    check === null
      ? 'not verified'
      : check.method === 'failed-login'
        ? `verified by a failed login at ${check.attemptedAt} (screenshot ${check.screenshot.filename}, SHA-256 ${check.screenshot.sha256.slice(0, 16)}...)`
        : check.method === 'provider-answer'
          ? `verified by the provider's answer on ${check.answeredAt.slice(0, 10)}: "${check.answer}"${check.evidence ? ` (${check.evidence.filename}, SHA-256 ${check.evidence.sha256.slice(0, 16)}...)` : ''}`
          : `not verifiable: ${check.reason}`;
  const accounted = item.accounted ? `; accounted for by ${item.accounted.by}: ${item.accounted.reason}` : '';
  return `${item.what}: ${revoked}, ${verified}${accounted}`;
}
