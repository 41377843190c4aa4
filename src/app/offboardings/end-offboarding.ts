/** Cancelling (the client stays) and closing (the client is gone) an offboarding. */
import { z } from 'zod';
import { ConflictError } from '../../domain/errors.ts';
import { type OffboardingEvent, transitionOffboarding } from '../../domain/offboarding-state.ts';
import { clientsRepo, offboardingsRepo } from '../../storage/repositories.ts';
import { type Actor, type App, now, parseInput, transaction } from '../context.ts';
import { loadOffboarding, openTasks } from './offboarding-facts.ts';
import { STALE, audit } from '../tasks/task-changes.ts';
import { signCheckpoint } from '../log/transparency-log.ts';
import { sendClientCheckpoint } from '../log/client-checkpoint.ts';

export const CancelOffboardingInput = z.object({ reason: z.string().trim().min(1, 'is required').max(2000) }).strict();
export const CloseOffboardingInput = z.object({ departureReason: z.string().trim().min(1, 'is required').max(2000) }).strict();

export const RETURNING_CLIENT_NOTE = 'A returning client pays the normal onboarding fee.';

async function end(
  app: App,
  actor: Actor,
  offboardingId: string,
  expectedVersion: number | undefined,
  event: OffboardingEvent,
  clientStatus: 'active' | 'former',
) {
  const at = now(app);
  return transaction(app, async (tx) => {
    const loaded = await loadOffboarding(tx, actor.tenantId, offboardingId);
    const o = loaded.offboarding;
    if (expectedVersion !== undefined && expectedVersion !== o.version) throw new ConflictError(STALE);
    const open = openTasks(loaded.tasks);
    const next = transitionOffboarding({ status: o.status as never }, event, { openTasksBeforeEnd: open.beforeEnd, openTasks: open.all });
    const saved = await offboardingsRepo.update(
      tx,
      actor.tenantId,
      o.id,
      o.version,
      { status: next.status, cancelReason: next.cancelReason ?? null, departureReason: next.departureReason ?? null },
      at,
    );
    if (!saved) throw new ConflictError(STALE);
    const client = await clientsRepo.get(tx, actor.tenantId, o.clientId);
    if (!client) throw new ConflictError('the client is gone');
    const movedClient = await clientsRepo.update(
      tx,
      actor.tenantId,
      client.id,
      client.version,
      { status: clientStatus, ...(next.departureReason ? { departureReason: next.departureReason } : {}) },
      at,
    );
    if (!movedClient) throw new ConflictError('the client was changed by someone else; try again');
    const action = event.type === 'cancel' ? 'offboarding.cancelled' : 'offboarding.closed';
    await audit(tx, actor, at, {
      action,
      subject: { type: 'offboarding', id: o.id },
      offboardingId: o.id,
      data:
        event.type === 'cancel'
          ? { reason: next.cancelReason ?? null, openTasks: open.all }
          : { departureReason: next.departureReason ?? null, note: RETURNING_CLIENT_NOTE },
    });
    await audit(tx, actor, at, {
      action: 'client.status-changed',
      subject: { type: 'client', id: client.id },
      offboardingId: o.id,
      data: { from: client.status, to: clientStatus },
    });
    const checkpoint = await signCheckpoint(
      tx,
      app,
      actor.tenantId,
      event.type === 'cancel' ? 'offboarding-cancelled' : 'offboarding-closed',
      at,
    );
    if (event.type === 'close' && checkpoint) await sendClientCheckpoint(tx, app, actor.tenantId, o.id, client, checkpoint, at);
    return saved;
  });
}

export async function cancelOffboarding(
  app: App,
  actor: Actor,
  offboardingId: string,
  expectedVersion: number | undefined,
  input: z.input<typeof CancelOffboardingInput>,
) {
  const data = parseInput(CancelOffboardingInput, input);
  return end(app, actor, offboardingId, expectedVersion, { type: 'cancel', reason: data.reason }, 'active');
}

export async function closeOffboarding(
  app: App,
  actor: Actor,
  offboardingId: string,
  expectedVersion: number | undefined,
  input: z.input<typeof CloseOffboardingInput>,
) {
  const data = parseInput(CloseOffboardingInput, input);
  return end(app, actor, offboardingId, expectedVersion, { type: 'close', departureReason: data.departureReason }, 'former');
}
