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
