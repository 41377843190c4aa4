/** The MSP's team channels and email settings: only their hosts, never the secret URLs or passwords. */
import { and, eq, inArray } from 'drizzle-orm';
import { channels } from '../../storage/schema.ts';
import type { Actor, App } from '../context.ts';
import { CHANNEL_KINDS, type ChannelKind } from './configure-channel.ts';

export async function listChannels(app: App, actor: Actor): Promise<{ kind: ChannelKind; host: string }[]> {
  const rows = await app.database.db
    .select({ kind: channels.kind, host: channels.urlHost })
    .from(channels)
    .where(and(eq(channels.tenantId, actor.tenantId), inArray(channels.kind, [...CHANNEL_KINDS])));
  return rows.map((r) => ({ kind: r.kind as ChannelKind, host: r.host }));
}

export async function emailSettingsOf(app: App, actor: Actor): Promise<{ configured: boolean; host: string | null }> {
  const [row] = await app.database.db
    .select({ host: channels.urlHost })
    .from(channels)
    .where(and(eq(channels.tenantId, actor.tenantId), eq(channels.kind, 'email')));
  return { configured: row !== undefined, host: row?.host ?? null };
}
