/**
 * What a party signs (issue 12): each statement is rendered from a versioned template with the
 * offboarding's facts, so the text the signer reads is exactly the text stored, hashed and put in
 * the record. Pure: the same kind, version and facts give the same text, byte for byte. Changing
 * a template's words means a new version; signed statements keep the version they were signed in.
 */
import { InputError } from './errors.ts';
import { AUTHORIZATION_SCOPES, type AuthorizationScope, type Gate } from './vocabulary.ts';

export { AUTHORIZATION_SCOPES, type AuthorizationScope } from './vocabulary.ts';

const SCOPE_WORDS: Record<AuthorizationScope, string> = {
  documentation: 'the documentation of our systems (network diagrams, device and software lists, vendor contacts, runbooks)',
  credentials: 'the credentials to our systems (administrator, service and device accounts)',
  'dns-registrar': 'control of our domains and DNS at the registrar and the DNS host',
  'cloud-m365': 'administration of our cloud subscriptions and our Microsoft 365 tenant',
  'network-equipment': 'administration of our firewall and network equipment',
};

/** A scope in the words of the authorization's checkbox. */
export const scopeWords = (scope: AuthorizationScope): string => SCOPE_WORDS[scope];

export type StatementKind =
  | 'authorization'
  | 'authorization-withdrawal'
  | 'backup-release'
  | 'early-cutover'
  | 'backup-verified'
  | 'replacement-coverage'
  | 'receipt'
  | 'package-receipt'
  | 'credentials-receipt';

export type StatementParty = 'client' | 'new-provider';

/**
 * Who signs each kind (`party`; `alsoBy` when another side may sign it too, as the client attests
 * its own replacement coverage when there is no new provider), and the gate a signature opens
 * (a withdrawal closes the authorization again).
 */
export const STATEMENT_KINDS: Record<StatementKind, { party: StatementParty; alsoBy?: StatementParty; opens: Gate | null }> = {
  authorization: { party: 'client', opens: 'authorization' },
  'authorization-withdrawal': { party: 'client', opens: null },
  'backup-release': { party: 'client', opens: 'backup-handoff' },
  'early-cutover': { party: 'client', opens: null },
  'backup-verified': { party: 'new-provider', opens: 'backup-handoff' },
  'replacement-coverage': { party: 'new-provider', alsoBy: 'client', opens: 'replacement-coverage' },
  receipt: { party: 'new-provider', opens: null },
  'package-receipt': { party: 'client', alsoBy: 'new-provider', opens: null },
  'credentials-receipt': { party: 'client', alsoBy: 'new-provider', opens: null },
};

/** The facts a statement names: the offboarding's, and what the signer filled in. */
export type StatementFacts = {
  msp: string;
  client: string;
  newProvider?: string | undefined;
  endDate: string;
  revocationDate: string;
  signer: { name: string; email: string };
  /** authorization */
  scopes?: readonly AuthorizationScope[] | undefined;
  /** early-cutover: the date access may end, before the agreed revocation date */
  cutoverDate?: string | undefined;
  /** backup-verified: the test restore */
  restore?: { date: string; product: string } | undefined;
  /** replacement-coverage */
  coverage?: { product: string; since: string } | undefined;
  /** receipt: what was received, in words */
  received?: string | undefined;
  /** package-receipt: the documentation package received, as built */
  package?: { version: number; audience: 'client' | 'new-provider'; files: number; sha256: string; manifestSha256: string } | undefined;
  /** credentials-receipt: the credentials received in the portal, counted, and the digest of their list (each id with its secret's digest) */
  credentials?: { count: number; sha256: string } | undefined;
  /** replacement-coverage: who attests it (the new provider unless the client does) */
  attester?: StatementParty | undefined;
  /** backup-verified: the restore report; replacement-coverage: the evidence of coverage. The file the signer uploaded, by name and digest. */
  attachment?: { filename: string; sha256: string } | undefined;
};

/** Each kind by name, as certificates, emails and the record call it. */
export const STATEMENT_TITLES: Record<StatementKind, string> = {
  authorization: 'Authorization to hand over to the new provider',
  'authorization-withdrawal': 'Withdrawal of the authorization',
  'backup-release': 'Backup release',
  'early-cutover': 'Agreement to an early access cut-over',
  'backup-verified': 'Attestation of a verified backup',
  'replacement-coverage': 'Attestation of replacement security coverage',
  receipt: 'Acknowledgement of receipt',
  'package-receipt': 'Acknowledgement of receipt of the documentation package',
  'credentials-receipt': 'Acknowledgement of receipt of the credentials',
};

/** Whether this side may sign this kind. */
export const signsKind = (side: StatementParty, kind: StatementKind): boolean =>
  STATEMENT_KINDS[kind].party === side || STATEMENT_KINDS[kind].alsoBy === side;

export type RenderedStatement = { kind: StatementKind; version: number; text: string };

/** A fact the statement needs is missing or wrong: an input error naming the field. */
export class StatementFactsError extends InputError {
  constructor(path: string, message: string) {
    super(`the statement cannot be written: ${path} ${message}`, [{ path, message }]);
    this.name = 'StatementFactsError';
  }
}

const CURRENT_VERSION: Record<StatementKind, number> = {
  authorization: 1,
  'authorization-withdrawal': 1,
  'backup-release': 1,
  'early-cutover': 1,
  'backup-verified': 2,
  'replacement-coverage': 2,
  receipt: 1,
  'package-receipt': 1,
  'credentials-receipt': 1,
};

export const currentVersion = (kind: StatementKind): number => CURRENT_VERSION[kind];

function required<T>(value: T | undefined, path: string): T {
  if (value === undefined || (typeof value === 'string' && value.trim() === '')) throw new StatementFactsError(path, 'is required');
  return value;
}

/** How the statement was signed: in the portal, or on paper and recorded by staff from the scan. */
export type SignedHow = { paper: { signedOn: string; recordedBy: string; documentSha256: string } } | undefined;

const closing = (f: StatementFacts, how: SignedHow) =>
  how
    ? `Signed on paper by ${f.signer.name} <${f.signer.email}> on ${how.paper.signedOn}. Recorded by ${how.paper.recordedBy} from the signed document, whose scan has the SHA-256 ${how.paper.documentSha256}.`
    : `Signed electronically by ${f.signer.name} <${f.signer.email}>, who confirms they intend to sign this statement and agree to sign it electronically.`;

/** Each version of each template: the statement's paragraphs, title first; the signer's closing follows. */
const TEMPLATES: Record<StatementKind, Record<number, (f: StatementFacts) => string[]>> = {
  authorization: {
    1: (f) => {
      const provider = required(f.newProvider, 'newProvider');
      const scopes = required(f.scopes, 'scopes');
      if (scopes.length === 0) throw new StatementFactsError('scopes', 'must name at least one thing to hand over');
      const unique = AUTHORIZATION_SCOPES.filter((s) => scopes.includes(s));
      return [
        `Authorization to hand over to ${provider}`,
        [
          `${f.client} authorizes ${f.msp} to hand the following to ${provider}, our new IT provider, and to work with them to complete the transition by ${f.endDate}:`,
          ...unique.map((s) => `- ${SCOPE_WORDS[s]}`),
        ].join('\n'),
        `Nothing else is to be given to ${provider} on our behalf. ${f.client} receives a copy of everything ${provider} receives.`,
      ];
    },
  },
  'authorization-withdrawal': {
    1: (f) => [
      `Withdrawal of the authorization to hand over to ${required(f.newProvider, 'newProvider')}`,
      `${f.client} withdraws its authorization for ${f.msp} to hand anything further to ${f.newProvider}. What was handed over before this withdrawal stays as it was.`,
    ],
  },
  'backup-release': {
    1: (f) => [
      'Release of the backup hand-off',
      `${f.client} chooses not to wait for ${f.newProvider ?? 'a new provider'} to prove a successful backup before ${f.msp} stops its backups on ${f.endDate}. We understand that from then on ${f.msp} keeps no backup of our data beyond what our contract says about retention.`,
    ],
  },
  'early-cutover': {
    1: (f) => {
      const date = required(f.cutoverDate, 'cutoverDate');
      if (date >= f.revocationDate)
        throw new StatementFactsError('cutoverDate', `must be before the agreed revocation date (${f.revocationDate})`);
      return [
        'Agreement to an early access cut-over',
        `${f.client} agrees that ${f.msp} removes its access to our systems on ${date}, before the agreed revocation date of ${f.revocationDate}.`,
      ];
    },
  },
  'backup-verified': {
    // Version 1 said a report was attached when none was: kept only to read statements signed in it.
    1: (f) => {
      const restore = required(f.restore, 'restore');
      return [
        `Attestation of a verified backup of ${f.client}`,
        `${required(f.newProvider, 'newProvider')} attests that it backs up the data of ${f.client} with ${required(restore.product, 'restore.product')}, and that a test restore on ${required(restore.date, 'restore.date')} succeeded. The report of that restore is attached.`,
      ];
    },
    2: (f) => {
      const restore = required(f.restore, 'restore');
      const attests = `${required(f.newProvider, 'newProvider')} attests that it backs up the data of ${f.client} with ${required(restore.product, 'restore.product')}, and that a test restore on ${required(restore.date, 'restore.date')} succeeded.`;
      const report = required(f.attachment, 'attachment');
      return [
        `Attestation of a verified backup of ${f.client}`,
        attests,
        `The report of that restore is the file ${report.filename}, SHA-256 ${report.sha256}.`,
      ];
    },
  },
  'replacement-coverage': {
    1: (f) => {
      const coverage = required(f.coverage, 'coverage');
      const attester = f.attester === 'client' ? f.client : required(f.newProvider, 'newProvider');
      return [
        `Attestation of replacement security coverage for ${f.client}`,
        `${attester} attests that ${required(coverage.product, 'coverage.product')} protects the devices of ${f.client} since ${required(coverage.since, 'coverage.since')}, so ${f.msp} may remove its own security agents.`,
      ];
    },
    2: (f) => {
      const coverage = required(f.coverage, 'coverage');
      const attester = f.attester === 'client' ? f.client : required(f.newProvider, 'newProvider');
      const attests = `${attester} attests that ${required(coverage.product, 'coverage.product')} protects the devices of ${f.client} since ${required(coverage.since, 'coverage.since')}, so ${f.msp} may remove its own security agents.`;
      const evidence = f.attester === 'client' ? f.attachment : required(f.attachment, 'attachment');
      return [
        `Attestation of replacement security coverage for ${f.client}`,
        attests,
        ...(evidence ? [`The evidence of that coverage is the file ${evidence.filename}, SHA-256 ${evidence.sha256}.`] : []),
      ];
    },
  },
  receipt: {
    1: (f) => [
      `Acknowledgement of receipt from ${f.msp}`,
      `${required(f.newProvider, 'newProvider')} acknowledges that it received from ${f.msp}, for ${f.client}: ${required(f.received, 'received')}.`,
    ],
  },
  'package-receipt': {
    1: (f) => {
      const p = required(f.package, 'package');
      const receiver = f.attester === 'new-provider' ? required(f.newProvider, 'newProvider') : f.client;
      const copy =
        p.audience === 'client' ? `the copy prepared for ${f.client}` : `the copy prepared for ${required(f.newProvider, 'newProvider')}`;
      return [
        `Acknowledgement of receipt of the documentation package of ${f.client}`,
        `${receiver} acknowledges that it received from ${f.msp} version ${p.version} of the documentation package of ${f.client}, ${copy}: a zip file of ${p.files} files with the SHA-256 ${p.sha256}, whose manifest.json has the SHA-256 ${p.manifestSha256}.`,
      ];
    },
  },
  'credentials-receipt': {
    1: (f) => {
      const c = required(f.credentials, 'credentials');
      const receiver = f.attester === 'new-provider' ? required(f.newProvider, 'newProvider') : f.client;
      return [
        `Acknowledgement of receipt of the credentials of ${f.client}`,
        `${receiver} acknowledges that it received from ${f.msp}, in the portal, the ${c.count} credential${c.count === 1 ? '' : 's'} of ${f.client} handed over to it, as listed in the hand-over record with the digest of each secret (list SHA-256 ${c.sha256}). We understand that each secret is known to ${f.msp} until we change it, and we will confirm each change in the portal.`,
      ];
    },
  },
};

/** The exact text of a statement, in the given version of its template (the current one by default). */
export function renderStatement(
  kind: StatementKind,
  facts: StatementFacts,
  version = currentVersion(kind),
  how: SignedHow = undefined,
): RenderedStatement {
  const template = TEMPLATES[kind][version];
  if (!template) throw new StatementFactsError('version', `${kind} has no version ${version}`);
  required(facts.signer.name, 'signer.name');
  required(facts.signer.email, 'signer.email');
  return { kind, version, text: `${[...template(facts), closing(facts, how)].join('\n\n')}\n` };
}
