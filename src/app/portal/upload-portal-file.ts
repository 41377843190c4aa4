/**
 * A party uploads a file in the portal to sign a statement with: the new provider's restore
 * report, a screenshot of its security console. Stored like evidence (once per content, in pieces),
 * on no task until a statement is signed with it, audited by digest in the party's name.
 */
import { ConflictError, ForbiddenError } from '../../domain/errors.ts';
import { appendAuditEvent } from '../../storage/audit-repository.ts';
import { evidence } from '../../storage/schema.ts';
import { type App, newId, now, parseInput, transaction } from '../context.ts';
import { gateStateOf, loadOffboarding } from '../offboardings/offboarding-facts.ts';
import { type EvidenceContent, EvidenceInput, checkedContent, storeContent } from '../tasks/attach-evidence.ts';
import { isLive } from './parties.ts';
import { type PortalActor, assertLetIn, partyRef } from './portal-access.ts';

export async function uploadPortalFile(
  app: App,
  actor: PortalActor,
  input: { filename: string; mediaType: string },
  file: Uint8Array | EvidenceContent,
): Promise<{ id: string; sha256: string; size: number; filename: string; mediaType: string }> {
  const data = parseInput(EvidenceInput, input, 'file');
  const content = checkedContent(file);
  const id = newId();
  const at = now(app);
  return transaction(app, async (tx) => {
    const loaded = await loadOffboarding(tx, actor.tenantId, actor.offboardingId);
    if (!actor.canSign) throw new ForbiddenError('you can follow this hand-over, but only those who sign statements upload files');
    if (!isLive(loaded.offboarding)) throw new ConflictError(`the offboarding is ${loaded.offboarding.status}`);
    assertLetIn(actor, gateStateOf(loaded.attestations));
    await storeContent(tx, actor.tenantId, content);
    await tx.insert(evidence).values({
      id,
      tenantId: actor.tenantId,
      offboardingId: actor.offboardingId,
      taskId: null,
      sha256: content.sha256,
      filename: data.filename,
      mediaType: data.mediaType,
      size: content.size,
      createdBy: partyRef(actor),
    });
    await appendAuditEvent(tx, actor.tenantId, at, {
      actor: partyRef(actor),
      action: 'portal.file-uploaded',
      subject: { type: 'evidence', id },
      offboardingId: actor.offboardingId,
      data: { filename: data.filename, mediaType: data.mediaType, size: content.size, sha256: content.sha256 },
    });
    return { id, sha256: content.sha256, size: content.size, filename: data.filename, mediaType: data.mediaType };
  });
}
