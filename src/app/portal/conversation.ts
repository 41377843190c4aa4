/**
 * The conversation of an offboarding between the MSP and the new provider, the client always in it
 * (issue 12): open while the client's authorization is in force, every message written once, kept,
 * audited by digest with the addresses it went to, and emailed to every participant but its author
 * with the same words. Nothing reaches the new provider that the client does not also receive.
 */
import { z } from 'zod';
import { ConflictError } from '../../domain/errors.ts';
import { conversationMessage } from '../../domain/messages.ts';
import { appendAuditEvent } from '../../storage/audit-repository.ts';
import type { Tx } from '../../storage/db.ts';
import { partiesRepo, usersRepo } from '../../storage/repositories.ts';
import { messages } from '../../storage/schema.ts';
import { type App, newId } from '../context.ts';
import { sha256Hex } from '../digest.ts';
import { type LoadedOffboarding, gateStateOf } from '../offboardings/offboarding-facts.ts';
import { isLive, linkWords } from './parties.ts';
import { publicUrlOf, queueWrittenEmail } from './portal-links.ts';

export const CONVERSATION_MESSAGE_KIND = 'conversation-message';

export const MessageInput = z.object({ body: z.string().trim().min(1, 'is required').max(10_000) }).strict();

export type MessageAuthor = { ref: string; name: string; side: 'msp' | 'client' | 'new-provider'; email?: string | undefined };

/** Refuses a message when there is no one to talk with yet: before the client's authorization, or after it is withdrawn. */
export function assertConversationOpen(loaded: LoadedOffboarding): void {
  if (!isLive(loaded.offboarding)) throw new ConflictError(`the offboarding is ${loaded.offboarding.status}`);
  if (loaded.offboarding.newProvider === null)
    throw new ConflictError('this offboarding has no new provider to talk with', [{ path: 'newProvider', message: 'is not set' }]);
  if (!gateStateOf(loaded.attestations).authorization)
    throw new ConflictError('the conversation with the new provider opens when the client’s authorization is on file', [
      { path: 'authorization', message: 'is not on file' },
    ]);
}

/** Everyone a message goes to: the parties with access, and (for the parties' messages) the account managers working it. */
async function participants(tx: Tx, loaded: LoadedOffboarding) {
  const o = loaded.offboarding;
  const people = (await partiesRepo.ofOffboarding(tx, o.tenantId, o.id)).filter((p) => !p.accessRevokedAt);
  const staffIds = [
    ...new Set(loaded.tasks.filter((t) => t.role === 'account-manager' && t.assigneeId).map((t) => t.assigneeId as string)),
  ];
  const staff = (await Promise.all(staffIds.map((id) => usersRepo.get(tx, o.tenantId, id)))).filter(
    (u): u is NonNullable<typeof u> => u !== undefined && !u.disabledAt,
  );
  const all = [
    ...people.map((p) => ({ name: p.name, email: p.email, side: p.side })),
    ...staff.map((u) => ({ name: u.name, email: u.email, side: 'msp' })),
  ];
  const seen = new Set<string>();
  return all.filter((p) => {
    const key = p.email.toLowerCase();
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}

/** Writes a message, its audit event and one email per participant but the author, in the caller's transaction. */
export async function writeMessage(
  tx: Tx,
  app: App,
  loaded: LoadedOffboarding,
  author: MessageAuthor,
  body: string,
  at: string,
): Promise<{ id: string; createdAt: string; recipients: string[] }> {
  const o = loaded.offboarding;
  const id = newId();
  await tx.insert(messages).values({
    id,
    tenantId: o.tenantId,
    offboardingId: o.id,
    side: author.side,
    author: author.ref,
    authorName: author.name,
    body,
    createdAt: at,
  });
  const everyone = await participants(tx, loaded);
  const recipients = everyone.filter((p) => p.email.toLowerCase() !== author.email?.toLowerCase());
  const words = await linkWords(tx, o);
  const organization = { msp: words.mspName, client: words.clientName, 'new-provider': o.newProvider?.name ?? 'the new provider' };
  const mail = conversationMessage({
    clientName: words.clientName,
    mspName: words.mspName,
    authorName: author.name,
    authorOrganization: organization[author.side],
    body,
    portalUrl: `${publicUrlOf(app)}/portal`,
    participants: everyone.map((p) => `${p.name} (${organization[p.side as keyof typeof organization] ?? p.side})`),
  });
  for (const r of recipients)
    await queueWrittenEmail(tx, app, {
      tenantId: o.tenantId,
      key: `${o.id}:${CONVERSATION_MESSAGE_KIND}:${id}`,
      offboardingId: o.id,
      kind: CONVERSATION_MESSAGE_KIND,
      recipient: r.email,
      subject: mail.subject,
      body: mail.body,
      at,
    });
  const to = recipients.map((r) => r.email);
  await appendAuditEvent(tx, o.tenantId, at, {
    actor: author.ref,
    action: 'message.posted',
    subject: { type: 'message', id },
    offboardingId: o.id,
    data: { side: author.side, bodySha256: sha256Hex(body), length: body.length, to },
  });
  return { id, createdAt: at, recipients: to };
}
