/** Staff write in an offboarding's conversation with the new provider; the client receives it too. */
import type { z } from 'zod';
import { usersRepo } from '../../storage/repositories.ts';
import { type Actor, type App, actorRef, now, parseInput, transaction } from '../context.ts';
import { loadOffboarding } from '../offboardings/offboarding-facts.ts';
import { MessageInput, assertConversationOpen, writeMessage } from './conversation.ts';

export async function postMessage(app: App, actor: Actor, offboardingId: string, input: z.input<typeof MessageInput>) {
  const data = parseInput(MessageInput, input, 'message');
  const at = now(app);
  return transaction(app, async (tx) => {
    const loaded = await loadOffboarding(tx, actor.tenantId, offboardingId);
    assertConversationOpen(loaded);
    const user = actor.kind === 'user' ? await usersRepo.get(tx, actor.tenantId, actor.id) : undefined;
    return writeMessage(
      tx,
      app,
      loaded,
      { ref: actorRef(actor), name: user?.name ?? `API token (${actor.role})`, side: 'msp', email: user?.email },
      data.body,
      at,
    );
  });
}
