/**
 * The offboarding as the client and the new provider read it in the portal: each step in plain
 * words (no RMM, PSA or "gate"), whether it is done, under way, or waiting on someone, and who
 * that is. Pure: the portal view use case hands it the rows.
 */
import { type GateState, unmetGates } from './gates.ts';
import { type StatementKind, scopeWords } from './statements.ts';
import { type AuthorizationScope, type Gate, isClosedStatus, type TaskStatus } from './vocabulary.ts';

/** What each default playbook step means to the client. Steps of a custom playbook fall back to their title. */
const PLAIN: Record<string, string> = {
  'acknowledge-termination': 'We confirm your notice and the dates',
  'internal-notification': 'We tell our team about the hand-over',
  'contract-review': 'We review the contract: dates, what is owed, what is yours',
  'client-authorization': 'You authorize what we may hand to your new provider',
  'preservation-requirements': 'We agree with you what must be kept, and for how long',
  'ownership-register': 'We list what belongs to you and what belongs to us',
  'documentation-package': 'We prepare the documentation of your systems for you',
  'credential-inventory': 'We list every password and account we hold for you',
  'credential-transfer': 'We hand over the passwords and accounts you keep',
  'access-revocation': 'We remove our access to your systems',
  'mfa-cleanup': 'We remove our sign-in devices and codes from your accounts',
  'delegated-admin-removal': 'We remove our administrator access to your Microsoft 365',
  'rmm-agent-removal': 'We remove our remote management software from your computers',
  'security-transition': 'Your new security software takes over from ours',
  'backup-transition': 'Your new backups take over from ours',
  'backup-data-disposition': 'We agree with you what happens to the backups we hold',
  'automation-removal': 'We switch off our scheduled scripts and automations',
  'dns-transfer': 'Your domain names and DNS are handed to you or your new provider',
  'm365-transition': 'Your Microsoft 365 administration is handed over',
  'network-equipment': 'Your firewall and network equipment are handed over',
  'cloud-transfer': 'Your cloud subscriptions are handed over',
  'final-invoice': 'We send the final invoice',
  'license-reconciliation': 'We settle the licenses we bought for you',
  'billing-removal': 'We stop billing you',
  'billing-check': 'We check that billing has stopped',
  'completion-report': 'We send you a report of everything we did',
  'client-archive': 'We archive your records',
  'retention-deletion': 'We delete what we kept, when the agreed time is up',
};

/** Who a gate waits on, and what they are to do, in words. */
const GATE_WAITS: Record<Gate, { on: 'client' | 'new-provider' | 'client-or-new-provider'; what: string }> = {
  authorization: { on: 'client', what: 'your signed authorization naming your new provider' },
  'backup-handoff': { on: 'client-or-new-provider', what: 'your new provider’s confirmation of a working backup, or your release' },
  'replacement-coverage': {
    on: 'new-provider',
    what: 'your new provider’s confirmation that their security software protects your devices',
  },
};

export type PortalTask = {
  key: string;
  title: string;
  status: TaskStatus;
  due: string;
  phase: number;
  gates: readonly string[];
  authorizationScope: string | null;
};

export type PortalStep = {
  key: string;
  words: string;
  due: string;
  state: 'done' | 'skipped' | 'under-way' | 'waiting-on-you' | 'waiting-on-new-provider' | 'not-started';
  /** What it waits for, in words, when it waits on a party. */
  waitingFor: string | null;
};

export function portalSteps(tasks: readonly PortalTask[], gates: GateState, side: 'client' | 'new-provider'): PortalStep[] {
  return [...tasks]
    .sort((a, b) => a.due.localeCompare(b.due) || a.phase - b.phase || a.key.localeCompare(b.key))
    .map((t) => {
      const words = PLAIN[t.key] ?? t.title;
      const scope = t.authorizationScope as AuthorizationScope | null;
      const unmet = unmetGates({ gates: t.gates as Gate[], authorizationScope: scope }, gates);
      if (isClosedStatus(t.status))
        return { key: t.key, words, due: t.due, state: t.status === 'done' ? 'done' : 'skipped', waitingFor: null };
      const waits = unmet
        .map((g) =>
          // Signed, but not for this: the client would withdraw and sign again with it ticked.
          g === 'authorization' && gates.authorization && scope !== null
            ? { on: 'client' as const, what: `your authorization does not include ${scopeWords(scope)}` }
            : GATE_WAITS[g],
        )
        .filter((w) => w !== undefined);
      const onYou = waits.find((w) => w.on === side || w.on === 'client-or-new-provider');
      const onProvider = waits.find((w) => w.on === 'new-provider');
      if (onYou) return { key: t.key, words, due: t.due, state: 'waiting-on-you', waitingFor: onYou.what };
      if (onProvider) return { key: t.key, words, due: t.due, state: 'waiting-on-new-provider', waitingFor: onProvider.what };
      return { key: t.key, words, due: t.due, state: t.status === 'in-progress' ? 'under-way' : 'not-started', waitingFor: null };
    });
}

/** The statements a party may sign now, given the offboarding's plan and what is on file. */
export function signableStatements(
  side: 'client' | 'new-provider',
  canSign: boolean,
  plan: {
    gates: ReadonlySet<Gate>;
    hasNewProvider: boolean;
    revocationDate: string;
    today: string;
    proposedCutover?: string | undefined;
    /** A documentation package this side downloaded and has not acknowledged yet. */
    packageToAcknowledge?: boolean | undefined;
    /** Credentials this side took and has not acknowledged yet. */
    credentialsToAcknowledge?: boolean | undefined;
  },
  gates: GateState,
): StatementKind[] {
  if (!canSign) return [];
  const kinds: StatementKind[] = [];
  if (side === 'client') {
    if (plan.hasNewProvider) kinds.push(gates.authorization ? 'authorization-withdrawal' : 'authorization');
    if (plan.gates.has('backup-handoff') && !gates.met.has('backup-handoff')) kinds.push('backup-release');
    // With no new provider, the client attests its own replacement security coverage.
    if (!plan.hasNewProvider && plan.gates.has('replacement-coverage') && !gates.met.has('replacement-coverage'))
      kinds.push('replacement-coverage');
    // Only when the MSP proposed one, and while the agreed date is still ahead.
    if (plan.proposedCutover && !gates.earlyCutover && plan.today < plan.revocationDate) kinds.push('early-cutover');
  } else {
    if (plan.gates.has('backup-handoff') && !gates.met.has('backup-handoff')) kinds.push('backup-verified');
    if (plan.gates.has('replacement-coverage') && !gates.met.has('replacement-coverage')) kinds.push('replacement-coverage');
    kinds.push('receipt');
  }
  if (plan.packageToAcknowledge) kinds.push('package-receipt');
  if (plan.credentialsToAcknowledge) kinds.push('credentials-receipt');
  return kinds;
}
