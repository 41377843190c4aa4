import { createRoute, z } from '@hono/zod-openapi';
import { CHANNEL_KINDS, ConfigureChannelInput } from '../../app/configure-channel.ts';
import { errorResponses, json } from '../schemas.ts';

const KindParam = z.object({ kind: z.enum(CHANNEL_KINDS).openapi({ param: { name: 'kind', in: 'path' } }) });
const Channel = z.object({ kind: z.enum(CHANNEL_KINDS), host: z.string() }).openapi('Channel');

export const listChannels = createRoute({
  method: 'get',
  path: '/api/settings/channels',
  tags: ['settings'],
  summary: 'Team channels for escalations (the webhook URL is never shown, only its host)',
  responses: { 200: json(z.object({ items: z.array(Channel) }), 'Channels'), ...errorResponses },
});
export const putChannel = createRoute({
  method: 'put',
  path: '/api/settings/channels/{kind}',
  tags: ['settings'],
  summary: 'Connect Slack (incoming webhook) or Teams (Workflows webhook)',
  request: { params: KindParam, body: { content: { 'application/json': { schema: ConfigureChannelInput } }, required: true } },
  responses: { 200: json(Channel, 'Connected'), ...errorResponses },
});
export const deleteChannel = createRoute({
  method: 'delete',
  path: '/api/settings/channels/{kind}',
  tags: ['settings'],
  summary: 'Disconnect a team channel',
  request: { params: KindParam },
  responses: { 204: { description: 'Disconnected' }, ...errorResponses },
});
