import { OpenAPIHono } from '@hono/zod-openapi';
import { eq } from 'drizzle-orm';
import { type ChannelKind, configureChannel, removeChannel } from '../../app/configure-channel.ts';
import { channels } from '../../storage/schema.ts';
import { withPolicy } from '../authorize.ts';
import { type HttpEnv, actorOf, appOf } from '../context.ts';
import { validationHook } from '../validation.ts';
import { deleteChannel, listChannels, putChannel } from './settings.schema.ts';

export const settingsRoutes = new OpenAPIHono<HttpEnv>({ defaultHook: validationHook });

settingsRoutes.openapi(withPolicy(listChannels, 'settings.read'), async (c) => {
  const rows = await appOf(c).database.db.select({ kind: channels.kind, host: channels.urlHost }).from(channels).where(eq(channels.tenantId, actorOf(c).tenantId));
  return c.json({ items: rows.map((r) => ({ kind: r.kind as ChannelKind, host: r.host })) }, 200);
});

settingsRoutes.openapi(withPolicy(putChannel, 'settings.write'), async (c) => {
  const { kind } = c.req.valid('param');
  const { host } = await configureChannel(appOf(c), actorOf(c), kind, c.req.valid('json'));
  return c.json({ kind, host }, 200);
});

settingsRoutes.openapi(withPolicy(deleteChannel, 'settings.write'), async (c) => {
  await removeChannel(appOf(c), actorOf(c), c.req.valid('param').kind);
  return c.body(null, 204);
});
