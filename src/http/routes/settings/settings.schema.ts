import { createRoute, z } from '@hono/zod-openapi';
import { PortalSettingsInput } from '../../../app/settings/configure-portal.ts';
import { CHANNEL_KINDS, ConfigureChannelInput } from '../../../app/settings/configure-channel.ts';
import { EmailSettingsInput } from '../../../app/settings/configure-email.ts';
import { AddWitnessInput } from '../../../app/log/witnesses.ts';
import { IdParam, errorResponses, json, jsonBody } from '../../schemas.ts';

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

const TestResult = z.object({ ok: z.boolean(), error: z.string().optional() }).openapi('TestResult');

export const testChannelRoute = createRoute({
  method: 'post',
  path: '/api/settings/channels/{kind}/test',
  tags: ['settings'],
  summary: 'Post a test message to the team channel and report its answer',
  request: { params: KindParam },
  responses: { 200: json(TestResult, 'What the channel answered'), ...errorResponses },
});
export const getEmailSettings = createRoute({
  method: 'get',
  path: '/api/settings/email',
  tags: ['settings'],
  summary: "The MSP's SMTP server for notifications (only its host; the server's SMTP_URL is used when none is set)",
  responses: { 200: json(z.object({ configured: z.boolean(), host: z.string().nullable() }), 'Email settings'), ...errorResponses },
});
export const putEmailSettings = createRoute({
  method: 'put',
  path: '/api/settings/email',
  tags: ['settings'],
  summary: 'Set the SMTP server: host, port, TLS (tls, starttls, none), credentials (stored sealed), sender',
  request: { body: { content: { 'application/json': { schema: EmailSettingsInput } }, required: true } },
  responses: { 200: json(z.object({ configured: z.boolean(), host: z.string().nullable() }), 'Saved'), ...errorResponses },
});
export const deleteEmailSettings = createRoute({
  method: 'delete',
  path: '/api/settings/email',
  tags: ['settings'],
  summary: "Remove the MSP's SMTP server (the server's own is used again, if any)",
  responses: { 204: { description: 'Removed' }, ...errorResponses },
});
export const testEmailRoute = createRoute({
  method: 'post',
  path: '/api/settings/email/test',
  tags: ['settings'],
  summary: 'Send a test message with the current settings and report what the SMTP server answered',
  request: { body: { content: { 'application/json': { schema: z.object({ to: z.email() }).strict() } }, required: true } },
  responses: { 200: json(TestResult, 'What the SMTP server answered'), ...errorResponses },
});

const Witness = z
  .object({
    id: z.string(),
    name: z.string(),
    url: z.string(),
    verifierKey: z.string(),
    cosignedSize: z.number().int(),
    lastError: z.string().nullable(),
    lastAttemptAt: z.string().nullable(),
  })
  .openapi('Witness');

export const listWitnessesRoute = createRoute({
  method: 'get',
  path: '/api/settings/witnesses',
  tags: ['settings'],
  summary: 'Witnesses that cosign the signed audit log, with the size each last cosigned and its last answer',
  responses: { 200: json(z.object({ items: z.array(Witness) }), 'Witnesses'), ...errorResponses },
});
export const addWitnessRoute = createRoute({
  method: 'post',
  path: '/api/settings/witnesses',
  tags: ['settings'],
  summary: 'Add a witness (`offboard witness` prints its verifier key); checkpoints are sent to it from now on',
  request: { body: jsonBody(AddWitnessInput) },
  responses: { 201: json(Witness, 'Added'), ...errorResponses },
});
export const removeWitnessRoute = createRoute({
  method: 'delete',
  path: '/api/settings/witnesses/{id}',
  tags: ['settings'],
  summary: 'Stop sending checkpoints to a witness (its cosignatures are kept)',
  request: { params: IdParam },
  responses: { 204: { description: 'Removed' }, ...errorResponses },
});

const PortalSettings = z.object({ signingCode: z.boolean() }).openapi('PortalSettings');
export const getPortalSettings = createRoute({
  method: 'get',
  path: '/api/settings/portal',
  tags: ['settings'],
  summary: 'Portal settings: whether signers also type a one-time code emailed to them',
  responses: { 200: json(PortalSettings, 'Portal settings'), ...errorResponses },
});
export const putPortalSettings = createRoute({
  method: 'put',
  path: '/api/settings/portal',
  tags: ['settings'],
  summary: 'Ask signers for a one-time code by email before they sign (the optional second factor), or stop asking',
  request: { body: { content: { 'application/json': { schema: PortalSettingsInput } }, required: true } },
  responses: { 200: json(PortalSettings, 'Saved'), ...errorResponses },
});
