/** Connects a team channel (Slack or Teams webhook) for escalations; the URL is stored sealed and never shown again. */
import { and, eq } from 'drizzle-orm';
import { z } from 'zod';
import { ConflictError, NotFoundError } from '../../domain/errors.ts';
import { channels } from '../../storage/schema.ts';
import { type Actor, type App, newId, now, parseInput, transaction } from '../context.ts';
import { audit } from '../tasks/task-changes.ts';
import { chatPayload, postWebhook } from '../../integrations/chat/webhooks.ts';

export const CHANNEL_KINDS = ['slack', 'teams'] as const;
export type ChannelKind = (typeof CHANNEL_KINDS)[number];

export const ConfigureChannelInput = z
  .object({
    webhookUrl: z.url({ protocol: /^https?$/, error: 'must be the http(s) URL of the incoming webhook' }).max(2000),
  })
  .strict();

export async function configureChannel(
  app: App,
  actor: Actor,
  kind: ChannelKind,
  input: z.input<typeof ConfigureChannelInput>,
): Promise<{ id: string; host: string }> {
  const data = parseInput(ConfigureChannelInput, input, 'channel');
  if (!app.secrets) throw new ConflictError('this server has no secret key to store webhook URLs with');
  const host = new URL(data.webhookUrl).host;
  const sealed = app.secrets.seal(data.webhookUrl);
  const at = now(app);
  return transaction(app, async (tx) => {
    const [existing] = await tx
      .select()
      .from(channels)
      .where(and(eq(channels.tenantId, actor.tenantId), eq(channels.kind, kind)));
    const id = existing?.id ?? newId();
    if (existing) await tx.update(channels).set({ urlSealed: sealed, urlHost: host }).where(eq(channels.id, id));
    else await tx.insert(channels).values({ id, tenantId: actor.tenantId, kind, urlSealed: sealed, urlHost: host });
    // The URL is the secret: only its host is audited.
    await audit(tx, actor, at, { action: 'channel.configured', subject: { type: 'channel', id }, data: { kind, host } });
    return { id, host };
  });
}

export async function removeChannel(app: App, actor: Actor, kind: ChannelKind): Promise<void> {
  const at = now(app);
  await transaction(app, async (tx) => {
    const [row] = await tx
      .delete(channels)
      .where(and(eq(channels.tenantId, actor.tenantId), eq(channels.kind, kind)))
      .returning({ id: channels.id });
    if (!row) throw new NotFoundError('channel', kind);
    await audit(tx, actor, at, { action: 'channel.removed', subject: { type: 'channel', id: row.id }, data: { kind } });
  });
}

/** Posts a test message to a connected team channel and says what it answered. */
export async function testChannel(app: App, actor: Actor, kind: ChannelKind): Promise<{ ok: true } | { ok: false; error: string }> {
  const [row] = await app.database.db
    .select()
    .from(channels)
    .where(and(eq(channels.tenantId, actor.tenantId), eq(channels.kind, kind)));
  if (!row) throw new NotFoundError('channel', kind);
  if (!app.secrets) throw new ConflictError('this server has no secret key to open the webhook URL with');
  const result = await postWebhook(
    app.secrets.open(row.urlSealed),
    chatPayload(kind, {
      title: 'offboard: test message',
      text: 'Escalations will be posted here like this one.',
      facts: [{ title: 'Channel', value: kind }],
    }),
  );
  return result.ok ? { ok: true } : { ok: false, error: result.reason };
}
