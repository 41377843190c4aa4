/**
 * A party signs a statement in the portal. The text is rendered from the current template with
 * the offboarding's facts and what the signer filled in; the signer saw that exact text (the
 * request carries the SHA-256 the page showed, and a different rendering is refused), typed their
 * full name and confirmed intent and consent to sign electronically. Stored immutable with the
 * email the link proved, time, IP, user agent and the link and session it came through; the
 * gate it opens opens in the same transaction, and its audit event carries the digest.
 */
import { z } from 'zod';
import { ConflictError, ForbiddenError, InputError } from '../../domain/errors.ts';
import { type GateState, type StatementOnFile, gateState } from '../../domain/gates.ts';
import { signableStatements } from '../../domain/portal-words.ts';
import {
  AUTHORIZATION_SCOPES,
  STATEMENT_KINDS,
  type StatementFacts,
  type StatementKind,
  STATEMENT_TITLES,
  renderStatement,
  signsKind,
} from '../../domain/statements.ts';
import { transitionTask } from '../../domain/task-state.ts';
import { isLocalDate } from '../../domain/calendar.ts';
import type { Gate } from '../../domain/vocabulary.ts';
import { appendAuditEvent } from '../../storage/audit-repository.ts';
import type { Queryable, Tx } from '../../storage/db.ts';
import { type OffboardingRow, type TaskRow, attestationsRepo, partiesRepo, tasksRepo } from '../../storage/repositories.ts';
import { type App, newId, now, parseInput, transaction } from '../context.ts';
import { sha256Hex } from '../digest.ts';
import { type LoadedOffboarding, clientToday, contextOf, loadOffboarding, statementsOnFile } from '../offboardings/offboarding-facts.ts';
import { ensureParties, invite, isLive, linkWords } from './parties.ts';
import { type PortalActor, assertLetIn, partyRef } from './portal-access.ts';
import { SIGNING_CERTIFICATE_KIND, queueWrittenEmail } from './portal-links.ts';
import { certificatePdf, storeBlob } from './signing-certificate.ts';
import { checkSigningCode, signingCodeRequired, useSigningCode } from './signing-code.ts';
import { AttachmentId, type StatementAttachment, fileAttachment, findAttachment } from './statement-attachment.ts';
import { portalLinks, portalSessions } from '../../storage/schema.ts';
import { eq } from 'drizzle-orm';
import { isoInstant } from '../present.ts';
import type { PackageAudience } from '../../domain/documentation-package.ts';
import type { DocumentationPackageRow } from '../../storage/documentation-repository.ts';
import { packageAwaitingReceipt } from '../documentation/list-portal-packages.ts';
import { settleDocumentationPackage } from '../documentation/settle-documentation-package.ts';
import { portalVault, receiptToSign } from '../credentials/portal-credentials.ts';
import { settleCredentialTransfer } from '../credentials/settle-credential-transfer.ts';

const LocalDate = z.string().refine(isLocalDate, 'must be a date YYYY-MM-DD');

/** What the signer fills in; which fields a statement needs depends on its kind (the template names a missing one). */
export const StatementDetailsInput = z
  .object({
    signerName: z.string().trim().min(2, 'type your full name').max(200),
    scopes: z.array(z.enum(AUTHORIZATION_SCOPES)).max(AUTHORIZATION_SCOPES.length).optional(),
    cutoverDate: LocalDate.optional(),
    restore: z
      .object({ date: LocalDate, product: z.string().trim().min(1).max(200) })
      .strict()
      .optional(),
    coverage: z
      .object({ product: z.string().trim().min(1).max(200), since: LocalDate })
      .strict()
      .optional(),
    received: z.string().trim().min(1).max(2000).optional(),
    /** The file signed with the statement (the restore report, the evidence of coverage), uploaded first. */
    attachmentId: AttachmentId.optional(),
    /** package-receipt: the documentation package received (downloaded first). */
    packageId: z.uuid('must be the id of a documentation package').optional(),
    /** credentials-receipt: the digest of the list of credentials received, as the portal showed it. */
    credentialsSha256: z
      .string()
      .regex(/^[0-9a-f]{64}$/, 'must be the digest of the list of credentials the portal showed')
      .optional(),
  })
  .strict();

export const SignStatementInput = StatementDetailsInput.extend({
  /** The SHA-256 of the text the page showed: a statement that would read differently now is not signed. */
  statementSha256: z.string().regex(/^[0-9a-f]{64}$/, 'must be the SHA-256 (hex) of the text shown'),
  intent: z.boolean().refine((v) => v, 'confirm that you intend to sign this statement'),
  consent: z.boolean().refine((v) => v, 'confirm that you agree to sign electronically'),
  /** The one-time code emailed for signing, when the MSP asks for one. */
  code: z
    .string()
    .regex(/^\d{6}$/, 'must be the 6-digit code we emailed')
    .optional(),
}).strict();

export const STATEMENT_KIND_VALUES = Object.keys(STATEMENT_KINDS) as StatementKind[];

type Details = z.output<typeof StatementDetailsInput>;

/** The facts a statement names: the offboarding's, the signer's, and what the signer filled in. */
export async function statementFacts(
  tx: Queryable,
  offboarding: OffboardingRow,
  signer: { name: string; email: string },
  details: Omit<Details, 'signerName' | 'attachmentId' | 'packageId' | 'credentialsSha256'>,
  attachment?: StatementAttachment,
  received?: DocumentationPackageRow,
  credentials?: { count: number; sha256: string },
): Promise<StatementFacts> {
  const words = await linkWords(tx, offboarding);
  return {
    msp: words.mspName,
    client: words.clientName,
    newProvider: offboarding.newProvider?.name,
    endDate: offboarding.endDate,
    revocationDate: offboarding.revocationDate ?? offboarding.endDate,
    signer,
    scopes: details.scopes,
    cutoverDate: details.cutoverDate,
    restore: details.restore,
    coverage: details.coverage,
    received: details.received,
    attachment: attachment ? { filename: attachment.filename, sha256: attachment.sha256 } : undefined,
    package: received ? packageFacts(received) : undefined,
    credentials,
  };
}

/** What a receipt is about: the package this side downloaded, or the credentials it took, and has not acknowledged. */
type Awaiting = { package?: DocumentationPackageRow | undefined; credentials?: { count: number; sha256: string } | undefined };

/** A documentation package as a receipt names it. */
const packageFacts = (p: DocumentationPackageRow) => ({
  version: p.version,
  audience: p.audience as PackageAudience,
  files: p.entries.length,
  sha256: p.sha256,
  manifestSha256: p.manifestSha256,
});

async function factsFor(tx: Tx, loaded: LoadedOffboarding, actor: PortalActor, details: Details, awaiting: Awaiting) {
  const attachment = await findAttachment(
    tx,
    { tenantId: actor.tenantId, offboardingId: actor.offboardingId, uploadedBy: partyRef(actor) },
    details.attachmentId,
  );
  const received = details.packageId === undefined ? undefined : awaiting.package;
  if (details.packageId !== undefined && awaiting.package?.id !== details.packageId)
    throw new ConflictError('that package cannot be acknowledged', [
      { path: 'packageId', message: 'is not a package of yours that you downloaded and have not acknowledged yet' },
    ]);
  const credentials = details.credentialsSha256 === undefined ? undefined : awaiting.credentials;
  if (details.credentialsSha256 !== undefined && credentials?.sha256 !== details.credentialsSha256)
    throw new ConflictError('those credentials cannot be acknowledged', [
      { path: 'credentialsSha256', message: 'is not the list of credentials you took and have not acknowledged yet' },
    ]);
  const facts = await statementFacts(
    tx,
    loaded.offboarding,
    { name: details.signerName, email: actor.email },
    details,
    attachment,
    received,
    credentials,
  );
  return { facts: { ...facts, attester: actor.side }, attachment, received, credentials };
}

/** The package a receipt would be about: only asked for a receipt (a new provider outside the documentation scope may sign other statements). */
const awaitingFor = async (tx: Tx, actor: PortalActor, kind: StatementKind, details: Details): Promise<Awaiting> => {
  if (kind === 'package-receipt') {
    if (details.packageId === undefined) throw new InputError('invalid statement', [{ path: 'packageId', message: 'is required' }]);
    return { package: await packageAwaitingReceipt(tx, actor) };
  }
  if (kind === 'credentials-receipt') {
    if (details.credentialsSha256 === undefined)
      throw new InputError('invalid statement', [{ path: 'credentialsSha256', message: 'is required' }]);
    const vault = await portalVault(tx, actor);
    return { credentials: receiptToSign(actor.side, vault.items, vault.handovers, vault.attestations) };
  }
  return {};
};

/** What the signer filled in that the record keeps beside the text, and the file signed with it. */
export function detailsOf(
  data: Omit<Details, 'signerName'>,
  attachment: StatementAttachment | undefined,
  received?: DocumentationPackageRow,
  credentials?: { count: number; sha256: string },
): Record<string, unknown> {
  const details: Record<string, unknown> = {};
  for (const key of ['scopes', 'cutoverDate', 'restore', 'coverage', 'received'] as const)
    if (data[key] !== undefined) details[key] = data[key];
  if (attachment) details.attachment = attachment;
  if (received) details.package = { id: received.id, ...packageFacts(received) };
  if (credentials) details.credentials = credentials;
  return details;
}

/** Refuses a statement this party may not sign now: the wrong side, a viewer, or one the plan and the record do not call for. */
function guard(
  actor: PortalActor,
  kind: StatementKind,
  loaded: LoadedOffboarding,
  state: GateState,
  at: string,
  details: Details,
  awaiting: Awaiting,
): void {
  if (!signsKind(actor.side, kind))
    throw new ForbiddenError(
      `the ${kind} statement is signed by the ${STATEMENT_KINDS[kind].party === 'client' ? 'client' : 'new provider'}`,
    );
  if (!actor.canSign)
    throw new ForbiddenError('you can follow this hand-over, but only the client’s authorized signers sign for the client');
  if (!isLive(loaded.offboarding)) throw new ConflictError(`the offboarding is ${loaded.offboarding.status}`);
  assertLetIn(actor, state);
  const signable = signableStatements(
    actor.side,
    actor.canSign,
    {
      gates: new Set(loaded.tasks.flatMap((t) => t.gates as Gate[])),
      hasNewProvider: loaded.offboarding.newProvider !== null,
      revocationDate: loaded.offboarding.revocationDate ?? loaded.offboarding.endDate,
      today: clientToday(loaded.facts, at),
      proposedCutover: loaded.offboarding.proposedCutover ?? undefined,
      packageToAcknowledge: awaiting.package !== undefined,
      credentialsToAcknowledge: awaiting.credentials !== undefined,
    },
    state,
  );
  if (!signable.includes(kind))
    throw new ConflictError(`there is no ${kind} statement to sign now`, [
      { path: 'kind', message: `can be one of: ${signable.join(', ') || 'none'}` },
    ]);
  // The client agrees to the date the MSP proposed, not to one of their own.
  const proposed = loaded.offboarding.proposedCutover;
  if (kind === 'early-cutover' && details.cutoverDate !== proposed)
    throw new InputError('invalid statement', [{ path: 'cutoverDate', message: `must be the proposed date, ${proposed}` }]);
}

/** The exact text the signer would sign with these details, and its digest: what the page shows. */
export async function previewStatement(app: App, actor: PortalActor, kind: StatementKind, input: unknown) {
  const details = parseInput(StatementDetailsInput, input, 'statement');
  return transaction(app, async (tx) => {
    const loaded = await loadOffboarding(tx, actor.tenantId, actor.offboardingId);
    const state = gateState(statementsOnFile(loaded.attestations));
    const awaiting = await awaitingFor(tx, actor, kind, details);
    guard(actor, kind, loaded, state, now(app), details, awaiting);
    const rendered = renderStatement(kind, (await factsFor(tx, loaded, actor, details, awaiting)).facts);
    return { kind, version: rendered.version, text: rendered.text, statementSha256: sha256Hex(rendered.text) };
  });
}

export type SignedStatement = { id: string; kind: StatementKind; version: number; statementSha256: string; signedAt: string };

export async function signStatement(
  app: App,
  actor: PortalActor,
  kind: StatementKind,
  input: unknown,
  request: { ip: string; userAgent: string | undefined },
): Promise<SignedStatement> {
  const data = parseInput(SignStatementInput, input, 'signature');
  const at = now(app);
  // The second factor, when asked for, is checked first and its try counted even if the signing fails.
  const code = (await signingCodeRequired(app.database.db, actor.tenantId)) ? await checkSigningCode(app, actor, data.code) : undefined;
  return transaction(app, async (tx) => {
    const loaded = await loadOffboarding(tx, actor.tenantId, actor.offboardingId);
    const before = gateState(statementsOnFile(loaded.attestations));
    const awaiting = await awaitingFor(tx, actor, kind, data);
    guard(actor, kind, loaded, before, at, data, awaiting);
    const { facts, attachment, received, credentials } = await factsFor(tx, loaded, actor, data, awaiting);
    const rendered = renderStatement(kind, facts);
    const statementSha256 = sha256Hex(rendered.text);
    if (statementSha256 !== data.statementSha256)
      throw new ConflictError('the statement reads differently now than the text you were shown; read it again before signing', [
        { path: 'statementSha256', message: `is not the SHA-256 of the current text (${statementSha256})` },
      ]);
    const id = newId();
    const gate = STATEMENT_KINDS[kind].opens;
    if (code) await useSigningCode(tx, actor, code.hash);
    const details: Record<string, unknown> = {
      ...detailsOf(data, attachment, received, credentials),
      ...(code ? { secondFactor: 'email-code' } : {}),
    };
    const userAgent = request.userAgent?.slice(0, 500) ?? null;
    const [link] = await tx.select({ at: portalLinks.createdAt }).from(portalLinks).where(eq(portalLinks.tokenHash, actor.linkHash));
    const [session] = await tx
      .select({ at: portalSessions.createdAt })
      .from(portalSessions)
      .where(eq(portalSessions.tokenHash, actor.sessionHash));
    const certificate = await certificatePdf({
      title: STATEMENT_TITLES[kind],
      statement: rendered.text,
      statementSha256,
      kind,
      templateVersion: rendered.version,
      msp: facts.msp,
      client: facts.client,
      signer: { name: data.signerName, email: actor.email, side: actor.side },
      signedAt: at,
      ip: request.ip,
      userAgent,
      linkSha256: actor.linkHash,
      sessionSha256: actor.sessionHash,
      emailedCode: code !== undefined,
      timeline: [
        ...(link ? [{ at: isoInstant(link.at), what: `sign-in link sent to ${actor.email}` }] : []),
        ...(session ? [{ at: isoInstant(session.at), what: 'link opened; portal session started' }] : []),
        ...(code ? [{ at: isoInstant(code.sentAt), what: `one-time code sent to ${actor.email}` }] : []),
        { at, what: `statement signed by ${data.signerName}` },
      ],
    });
    const certificateSha256 = await storeBlob(tx, actor.tenantId, certificate);
    await attestationsRepo.insert(tx, {
      id,
      tenantId: actor.tenantId,
      offboardingId: actor.offboardingId,
      gate,
      party: actor.side,
      signerName: data.signerName,
      signerEmail: actor.email,
      signedAt: at,
      ip: request.ip,
      statement: rendered.text,
      statementSha256,
      kind,
      templateVersion: rendered.version,
      method: 'signed',
      partyId: actor.partyId,
      userAgent,
      portalSessionHash: actor.sessionHash,
      portalLinkHash: actor.linkHash,
      details,
      certificateSha256,
      artifactSha256: attachment?.sha256 ?? null,
    });
    await appendAuditEvent(tx, actor.tenantId, at, {
      actor: partyRef(actor),
      action: 'statement.signed',
      subject: { type: 'attestation', id },
      offboardingId: actor.offboardingId,
      data: {
        kind,
        templateVersion: rendered.version,
        gate,
        party: actor.side,
        signerName: data.signerName,
        signerEmail: actor.email,
        ip: request.ip,
        userAgent,
        statementSha256,
        linkSha256: actor.linkHash,
        sessionSha256: actor.sessionHash,
        certificateSha256,
        ...details,
      },
    });
    // The signer's copy: the certificate, with the statement in it, to the address the link proved.
    await queueWrittenEmail(tx, app, {
      tenantId: actor.tenantId,
      key: `${actor.offboardingId}:${SIGNING_CERTIFICATE_KIND}:${id}`,
      offboardingId: actor.offboardingId,
      kind: SIGNING_CERTIFICATE_KIND,
      recipient: actor.email,
      subject: `Your signed statement: ${STATEMENT_TITLES[kind]} (${facts.client})`,
      body: `${data.signerName}, this is your copy of what you signed in the portal of ${facts.msp} on ${at.slice(0, 10)}: ${STATEMENT_TITLES[kind]}.\n\nThe signing certificate attached has the statement, when and from where it was signed, and its SHA-256 (${statementSha256}), which is also in our signed log.\n\n${rendered.text}`,
      attachments: [
        {
          filename: `signing-certificate-${kind}.pdf`,
          contentType: 'application/pdf',
          content: Buffer.from(certificate).toString('base64'),
          encoding: 'base64',
        },
      ],
      at,
    });
    if (attachment) await fileAttachment(tx, loaded, attachment, kind, partyRef(actor), at);
    await afterStatement(tx, app, loaded, { id, kind, gate, signedAt: at, details }, partyRef(actor), at);
    return { id, kind, version: rendered.version, statementSha256, signedAt: at };
  });
}

/**
 * What a statement on file sets in motion, in its transaction: an authorization lets the new
 * provider's people in (the client copied); a withdrawal closes the gate it had opened.
 */
export async function afterStatement(
  tx: Tx,
  app: App,
  loaded: LoadedOffboarding,
  statement: StatementOnFile,
  by: string,
  at: string,
): Promise<void> {
  const before = gateState(statementsOnFile(loaded.attestations));
  const after = gateState([...statementsOnFile(loaded.attestations), statement]);
  if (!before.authorization && after.authorization) await letTheNewProviderIn(tx, app, loaded, by, at);
  if (before.authorization && !after.authorization) await closeAgain(tx, loaded, 'authorization', by, statement.id, at);
  // The client's acknowledgement of a package completes the package task, once its gates allow (which a statement may have just done).
  await settleDocumentationPackage(tx, app, loaded.offboarding, at);
  // The recipients' acknowledgements of the credentials complete the transfer task, likewise.
  await settleCredentialTransfer(tx, app, loaded.offboarding, at);
}

/** Once the client authorizes, the new provider's people get their links (the client a copy of each invitation). */
async function letTheNewProviderIn(tx: Tx, app: App, loaded: LoadedOffboarding, by: string, at: string): Promise<void> {
  const o = loaded.offboarding;
  await ensureParties(tx, o, at);
  const waiting = (await partiesRepo.ofOffboarding(tx, o.tenantId, o.id)).filter(
    (p) => p.side === 'new-provider' && !p.invitedAt && !p.accessRevokedAt,
  );
  if (app.secrets) for (const party of waiting) await invite(tx, app, party, by, at);
}

/**
 * A withdrawn authorization closes what it opened: tasks done under that gate are open again,
 * each audited as reopened because of the withdrawal, and the open tasks that depended on them
 * wait again.
 */
async function closeAgain(tx: Tx, loaded: LoadedOffboarding, gate: Gate, by: string, statementId: string, at: string): Promise<void> {
  const today = clientToday(loaded.facts, at);
  const o = loaded.offboarding;
  /** One task changed as the version read, with its audit event in the client's name. */
  const change = async (task: TaskRow, changes: Partial<TaskRow>, action: string, data: Record<string, unknown>) => {
    if (!(await tasksRepo.update(tx, o.tenantId, task.id, task.version, changes, at)))
      throw new ConflictError('a task changed while the authorization was withdrawn; try again');
    await appendAuditEvent(tx, o.tenantId, at, {
      actor: by,
      action,
      subject: { type: 'task', id: task.id },
      offboardingId: o.id,
      data: { key: task.key, ...data },
    });
  };
  const reopened = new Set<string>();
  for (const task of loaded.tasks) {
    if ((task.status !== 'done' && task.status !== 'waived') || !(task.gates as Gate[]).includes(gate)) continue;
    const next = transitionTask({ status: task.status }, { type: 'reopen' }, contextOf(task, loaded));
    await change(
      task,
      { status: next.status, waiver: null, completedAt: null, completedBy: null, readyOn: next.status === 'ready' ? today : null },
      'task.reopened',
      { was: task.status, reason: `the client withdrew the authorization (${gate} gate closed)`, statementId },
    );
    reopened.add(task.key);
  }
  for (const task of loaded.tasks) {
    const waitingOn = task.dependsOn.find((d) => reopened.has(d));
    if ((task.status !== 'ready' && task.status !== 'in-progress') || !waitingOn || reopened.has(task.key)) continue;
    await change(task, { status: 'pending', readyOn: null }, 'task.blocked', { waitingOn });
  }
}

export const parseStatementKind = (value: string): StatementKind => {
  if (!(STATEMENT_KIND_VALUES as string[]).includes(value))
    throw new InputError('invalid statement', [{ path: 'kind', message: `must be one of: ${STATEMENT_KIND_VALUES.join(', ')}` }]);
  return value as StatementKind;
};
