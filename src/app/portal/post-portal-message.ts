/** A party writes in the conversation from the portal; everyone else in it receives the message. */
import type { z } from 'zod';
import { type App, now, parseInput, transaction } from '../context.ts';
import { loadOffboarding } from '../offboardings/offboarding-facts.ts';
import { MessageInput, assertConversationOpen, writeMessage } from './conversation.ts';
import { type PortalActor, partyRef } from './portal-access.ts';

export async function postPortalMessage(app: App, actor: PortalActor, input: z.input<typeof MessageInput>) {
  const data = parseInput(MessageInput, input, 'message');
  const at = now(app);
  return transaction(app, async (tx) => {
    const loaded = await loadOffboarding(tx, actor.tenantId, actor.offboardingId);
    assertConversationOpen(loaded);
    return writeMessage(tx, app, loaded, { ref: partyRef(actor), name: actor.name, side: actor.side, email: actor.email }, data.body, at);
  });
}
