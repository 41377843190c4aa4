/**
 * Staff record a statement a party signed on paper, from the signed scan attached to the
 * offboarding as evidence. The record says what it is: "recorded by <staff> from a signed
 * document" (method `recorded-from-document`, the scan's SHA-256, who recorded it), never
 * "signed by the client". The text kept is the statement's template with the facts and a closing
 * that says so; the gate it opens opens as a portal signature's would.
 */
import { z } from 'zod';
import { ConflictError, InputError } from '../../domain/errors.ts';
import { isLocalDate } from '../../domain/calendar.ts';
import { STATEMENT_KINDS, renderStatement, signsKind } from '../../domain/statements.ts';
import { attestationsRepo, evidenceRepo, usersRepo } from '../../storage/repositories.ts';
import { type Actor, type App, actorRef, newId, now, parseInput, transaction } from '../context.ts';
import { sha256Hex } from '../digest.ts';
import { loadOffboarding } from './offboarding-facts.ts';
import { audit } from '../tasks/task-changes.ts';
import { fileAttachment, findAttachment } from '../portal/statement-attachment.ts';
import { STATEMENT_KIND_VALUES, StatementDetailsInput, afterStatement, detailsOf, statementFacts } from '../portal/sign-statement.ts';

export const RecordAttestationInput = StatementDetailsInput.extend({
  kind: z.enum(STATEMENT_KIND_VALUES as [string, ...string[]]),
  signerEmail: z.email().max(320),
  /** The date written on the signed document. */
  signedOn: z.string().refine(isLocalDate, 'must be a date YYYY-MM-DD'),
  /** The scan of the signed document, attached to this offboarding as evidence first. */
  documentEvidenceId: z.string().min(1, 'is required: attach the signed scan as evidence first').max(100),
  /** Who signed, where a statement may come from either side (replacement coverage); by default the side that signs it. */
  party: z.enum(['client', 'new-provider']).optional(),
}).strict();

export async function recordAttestation(
  app: App,
  actor: Actor,
  offboardingId: string,
  input: z.input<typeof RecordAttestationInput>,
): Promise<{ id: string; statementSha256: string }> {
  const data = parseInput(RecordAttestationInput, input, 'attestation');
  const kind = data.kind as keyof typeof STATEMENT_KINDS;
  const at = now(app);
  return transaction(app, async (tx) => {
    const loaded = await loadOffboarding(tx, actor.tenantId, offboardingId);
    const { offboarding } = loaded;
    if (offboarding.status !== 'active' && offboarding.status !== 'closing')
      throw new ConflictError(`the offboarding is ${offboarding.status}`);
    const scan = await evidenceRepo.get(tx, actor.tenantId, data.documentEvidenceId);
    if (!scan || scan.offboardingId !== offboardingId)
      throw new InputError('invalid attestation', [{ path: 'documentEvidenceId', message: 'is not an evidence file of this offboarding' }]);
    const staff = actor.kind === 'user' ? await usersRepo.get(tx, actor.tenantId, actor.id) : undefined;
    const recordedBy = staff ? `${staff.name} (${actor.role})` : actorRef(actor);
    const party = data.party ?? STATEMENT_KINDS[kind].party;
    if (!signsKind(party, kind))
      throw new InputError('invalid attestation', [{ path: 'party', message: `the ${kind} statement is not signed by the ${party}` }]);
    const attachment = await findAttachment(tx, { tenantId: actor.tenantId, offboardingId }, data.attachmentId);
    const rendered = renderStatement(
      kind,
      {
        ...(await statementFacts(tx, offboarding, { name: data.signerName, email: data.signerEmail }, data, attachment)),
        attester: party,
      },
      undefined,
      { paper: { signedOn: data.signedOn, recordedBy, documentSha256: scan.sha256 } },
    );
    const id = newId();
    const statementSha256 = sha256Hex(rendered.text);
    const gate = STATEMENT_KINDS[kind].opens;
    const details = { ...detailsOf(data, attachment), signedOn: data.signedOn };
    await attestationsRepo.insert(tx, {
      id,
      tenantId: actor.tenantId,
      offboardingId,
      gate,
      party,
      signerName: data.signerName,
      signerEmail: data.signerEmail,
      signedAt: at,
      ip: null,
      statement: rendered.text,
      statementSha256,
      kind,
      templateVersion: rendered.version,
      method: 'recorded-from-document',
      recordedBy: actorRef(actor),
      documentSha256: scan.sha256,
      details,
      artifactSha256: attachment?.sha256 ?? null,
    });
    await audit(tx, actor, at, {
      action: 'statement.recorded-from-document',
      subject: { type: 'attestation', id },
      offboardingId,
      data: {
        kind,
        templateVersion: rendered.version,
        gate,
        party,
        signerName: data.signerName,
        signerEmail: data.signerEmail,
        statementSha256,
        documentSha256: scan.sha256,
        documentEvidenceId: scan.id,
        ...details,
      },
    });
    if (attachment) await fileAttachment(tx, loaded, attachment, kind, actorRef(actor), at);
    await afterStatement(
      tx,
      app,
      loaded,
      { id, kind, gate, signedAt: at, details: { scopes: data.scopes, cutoverDate: data.cutoverDate } },
      actorRef(actor),
      at,
    );
    return { id, statementSha256 };
  });
}
