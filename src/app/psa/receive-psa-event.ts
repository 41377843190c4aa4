/**
 * A PSA webhook arrives. Authentic or not, it is logged (a rejected one stores that log row
 * and nothing else); an authentic company event whose new status the tenant mapped to
 * "offboarding" opens the client's offboarding, and a company nobody mapped yet becomes a
 * client waiting for confirmation. The same event twice is processed once.
 */
import { and, eq, isNull, ne, sql } from 'drizzle-orm';
import { localDateAt } from '../../domain/calendar.ts';
import { DomainError, InputError, type Issue, formatIssues } from '../../domain/errors.ts';
import { type PsaCompanyEvent, type PsaProvider, meansOffboarding, triggerDates } from '../../domain/psa-trigger.ts';
import type { OffboardingType } from '../../domain/vocabulary.ts';
import { ServiceProfileSchema } from '../../domain/offboarding-case.ts';
import { PSA_ADAPTERS } from '../../integrations/psa/index.ts';
import { readPayload } from '../../integrations/psa/types.ts';
import { appendAuditEvent } from '../../storage/audit-repository.ts';
import type { Tx } from '../../storage/db.ts';
import { type ClientRow, clientsRepo, tenantsRepo } from '../../storage/repositories.ts';
import { type PendingTrigger, clients, psaConnections, webhookDeliveries } from '../../storage/schema.ts';
import { type PsaConnectionRow, type PsaConnectionSettings, credentialsOf } from './connect-psa.ts';
import { type Actor, type App, actorRef, newId, transaction } from '../context.ts';
import { sha256Hex } from '../digest.ts';
import { notificationSettingsOf } from '../notifications/notification-settings.ts';
import { openOffboarding } from '../offboardings/start-offboarding.ts';

export type IncomingWebhook = {
  connectionId: string;
  urlSecret?: string | undefined;
  body: Buffer;
  header: (name: string) => string | undefined;
  remoteIp: string;
};

export type WebhookOutcome = {
  deliveryId: string;
  outcome: 'processed' | 'duplicate';
  result?: 'started' | 'awaiting-confirmation' | 'ignored' | undefined;
  reason?: string | undefined;
  clientId?: string | undefined;
  offboardingId?: string | undefined;
};

/** The webhook is not from who it claims to be; the HTTP edge answers 401. */
export class WebhookRejectedError extends DomainError {
  constructor(reason: string) {
    super('unauthenticated', `webhook rejected: ${reason}`);
    this.name = 'WebhookRejectedError';
  }
}

export async function receivePsaEvent(app: App, incoming: IncomingWebhook): Promise<WebhookOutcome> {
  const receivedAt = app.clock();
  const at = receivedAt.toISOString();
  const db = app.database.db;
  const [connection] = await db
    .select()
    .from(psaConnections)
    .where(and(eq(psaConnections.id, incoming.connectionId), isNull(psaConnections.removedAt)))
    .limit(1);
  if (!connection) throw new WebhookRejectedError('no such webhook');
  const provider = connection.provider as PsaProvider;
  const adapter = PSA_ADAPTERS[provider];
  const base = {
    tenantId: connection.tenantId,
    connectionId: connection.id,
    receivedAt: at,
    bodySha256: sha256Hex(incoming.body),
    remoteIp: incoming.remoteIp,
  };
  const reject = async (reason: string, extra: { eventId?: string | undefined } = {}) => {
    await db.insert(webhookDeliveries).values({ id: newId(), ...base, outcome: 'rejected', reason, eventId: extra.eventId ?? null });
  };

  const authenticity = await adapter.authenticate(
    { body: incoming.body, header: incoming.header, urlSecret: incoming.urlSecret, receivedAt: receivedAt.getTime() },
    credentialsOf(app, connection),
  );
  if (!authenticity.ok) {
    await reject(authenticity.reason);
    throw new WebhookRejectedError(authenticity.reason);
  }
  if (authenticity.replayKey) {
    const [seen] = await db
      .select({ id: webhookDeliveries.id })
      .from(webhookDeliveries)
      .where(
        and(
          eq(webhookDeliveries.connectionId, connection.id),
          eq(webhookDeliveries.replayKey, authenticity.replayKey),
          ne(webhookDeliveries.outcome, 'rejected'),
        ),
      )
      .limit(1);
    if (seen) {
      await reject('replay: this exact signed delivery was received before', { eventId: authenticity.eventId });
      throw new WebhookRejectedError('replay: this exact signed delivery was received before');
    }
  }
  let parsed: PsaCompanyEvent | { ignored: string };
  try {
    parsed = adapter.parse(readPayload(incoming.body));
  } catch (error) {
    if (error instanceof InputError)
      await reject(`malformed: ${formatIssues(error.details).join('; ')}`, { eventId: authenticity.eventId });
    throw error;
  }
  const eventId = authenticity.eventId ?? ('eventId' in parsed ? parsed.eventId : undefined);
  if (!eventId) {
    const issues: Issue[] = [{ path: 'id', message: 'the event carries no id' }];
    await reject('malformed: the event carries no id');
    throw new InputError('invalid webhook', issues);
  }

  return transaction(app, async (tx) => {
    const deliveryId = newId();
    const [row] = await tx
      .insert(webhookDeliveries)
      .values({
        id: deliveryId,
        ...base,
        outcome: 'processed',
        eventId,
        replayKey: authenticity.replayKey ?? null,
        psaCompanyId: 'company' in parsed ? parsed.company.id : null,
      })
      .onConflictDoNothing()
      .returning({ id: webhookDeliveries.id });
    if (!row) {
      await tx
        .insert(webhookDeliveries)
        .values({ id: deliveryId, ...base, outcome: 'duplicate', eventId, replayKey: authenticity.replayKey ?? null });
      return { deliveryId, outcome: 'duplicate' as const };
    }
    const outcome = 'ignored' in parsed ? ignored(parsed.ignored) : await act(tx, app, connection, { ...parsed, eventId }, deliveryId, at);
    await tx
      .update(webhookDeliveries)
      .set({
        result: outcome.result,
        reason: outcome.reason ?? null,
        clientId: outcome.clientId ?? null,
        offboardingId: outcome.offboardingId ?? null,
      })
      .where(eq(webhookDeliveries.id, deliveryId));
    return { deliveryId, outcome: 'processed' as const, ...outcome };
  });
}

type Effect = Pick<WebhookOutcome, 'result' | 'reason' | 'clientId' | 'offboardingId'>;

const ignored = (reason: string): Effect => ({ result: 'ignored', reason });

/** The actor a PSA connection acts as in the audit trail. */
export const psaActor = (connection: PsaConnectionRow): Actor => ({
  tenantId: connection.tenantId,
  kind: 'system',
  id: `psa:${connection.provider}:${connection.id}`,
  role: 'admin',
});

async function act(
  tx: Tx,
  app: App,
  connection: PsaConnectionRow,
  event: PsaCompanyEvent,
  deliveryId: string,
  at: string,
): Promise<Effect> {
  const settings = connection.settings as PsaConnectionSettings;
  if (!meansOffboarding(event, settings)) return ignored(`the status ${describeStatus(event)} does not mean offboarding`);
  const actor = psaActor(connection);
  const [client] = await tx
    .select()
    .from(clients)
    .where(and(eq(clients.tenantId, connection.tenantId), sql`${clients.psaIds} ->> ${connection.provider} = ${event.company.id}`))
    .limit(1)
    .for('update');
  const trigger = { connectionId: connection.id, provider: connection.provider, deliveryId, eventId: event.eventId };
  const occurredAt = event.occurredAt && !Number.isNaN(Date.parse(event.occurredAt)) ? new Date(event.occurredAt).toISOString() : at;
  if (!client)
    return {
      result: 'awaiting-confirmation',
      clientId: await createPendingClient(
        tx,
        actor,
        connection,
        event,
        { ...trigger, occurredAt, offboardingType: settings.offboardingType },
        at,
      ),
    };
  if (client.pendingTrigger)
    return { result: 'awaiting-confirmation', clientId: client.id, reason: 'the client still waits for confirmation' };
  if (client.status !== 'active') return { ...ignored(`the client is ${client.status} already`), clientId: client.id };
  const { id } = await openOffboarding(app, tx, actor, at, client, planFacts(client, settings.offboardingType, occurredAt), {
    source: 'psa',
    ...trigger,
  });
  return { result: 'started', clientId: client.id, offboardingId: id };
}

/** The offboarding a trigger opens: noticed the day the PSA changed, ending with the contract or its notice period. */
export function planFacts(client: ClientRow, type: OffboardingType, occurredAt: string) {
  return { clientId: client.id, type, ...triggerDates(localDateAt(occurredAt, client.timezone), client.contract) };
}

function describeStatus(event: PsaCompanyEvent): string {
  if (event.status?.name ?? event.status?.id) return JSON.stringify(event.status.name ?? event.status.id);
  if (event.inactive !== undefined) return event.inactive ? 'inactive' : 'active';
  return '(none given)';
}

async function createPendingClient(
  tx: Tx,
  actor: Actor,
  connection: PsaConnectionRow,
  event: PsaCompanyEvent,
  trigger: PendingTrigger,
  at: string,
): Promise<string> {
  const { timezone } = notificationSettingsOf((await tenantsRepo.get(tx, connection.tenantId))?.settings ?? {});
  const id = newId();
  const name = event.company.name ?? `${connection.name} company ${event.company.id}`;
  await clientsRepo.insert(tx, {
    id,
    tenantId: connection.tenantId,
    name,
    timezone,
    psaIds: { [connection.provider]: event.company.id },
    services: ServiceProfileSchema.parse({}),
    pendingTrigger: trigger,
  });
  await appendAuditEvent(tx, connection.tenantId, at, {
    actor: actorRef(actor),
    action: 'client.created',
    subject: { type: 'client', id },
    data: { name, psa: { provider: connection.provider, companyId: event.company.id }, awaitingConfirmation: true, trigger },
  });
  return id;
}
