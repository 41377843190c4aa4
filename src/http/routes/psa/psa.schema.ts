import { createRoute, z } from '@hono/zod-openapi';
import { ConnectPsaInput, UpdatePsaMappingInput } from '../../../app/psa/connect-psa.ts';
import { PSA_PROVIDERS } from '../../../domain/psa-trigger.ts';
import { IdParam, errorResponses, json } from '../../schemas.ts';

const PsaConnection = z
  .object({
    id: z.string(),
    provider: z.enum(PSA_PROVIDERS),
    name: z.string(),
    offboardingStatuses: z.array(z.string()),
    inactiveMeansOffboarding: z.boolean(),
    offboardingType: z.string(),
    keyUrlOrigins: z.array(z.string()).nullable(),
    /** HaloPSA's path carries a secret segment, shown only when connecting. */
    webhookPath: z.string(),
    createdAt: z.string(),
  })
  .openapi('PsaConnection');

const Connected = z
  .object({
    id: z.string(),
    provider: z.enum(PSA_PROVIDERS),
    webhookPath: z.string(),
    secret: z.string().optional(),
    basicAuth: z.object({ username: z.string(), password: z.string() }).optional(),
  })
  .openapi('PsaConnected');

export const listPsaConnections = createRoute({
  method: 'get',
  path: '/api/settings/psa',
  tags: ['settings'],
  summary: 'PSA connections whose webhooks open offboardings (no secrets)',
  responses: { 200: json(z.object({ items: z.array(PsaConnection) }), 'Connections'), ...errorResponses },
});
export const connectPsaRoute = createRoute({
  method: 'post',
  path: '/api/settings/psa',
  tags: ['settings'],
  summary: 'Connect a PSA (ConnectWise, Autotask, HaloPSA or the generic signed webhook); secrets are answered once',
  request: { body: { content: { 'application/json': { schema: ConnectPsaInput } }, required: true } },
  responses: { 201: json(Connected, 'Connected: configure the PSA with this webhook path and secret'), ...errorResponses },
});
export const updatePsaRoute = createRoute({
  method: 'patch',
  path: '/api/settings/psa/{id}',
  tags: ['settings'],
  summary: "Change a connection's mapping: which statuses mean offboarding, the type to open, ConnectWise key origins",
  request: { params: IdParam, body: { content: { 'application/json': { schema: UpdatePsaMappingInput } }, required: true } },
  responses: { 200: json(PsaConnection, 'The connection'), ...errorResponses },
});
export const disconnectPsaRoute = createRoute({
  method: 'delete',
  path: '/api/settings/psa/{id}',
  tags: ['settings'],
  summary: 'Disconnect a PSA: its webhooks are refused from now on',
  request: { params: IdParam },
  responses: { 204: { description: 'Disconnected' }, ...errorResponses },
});

const WebhookDelivery = z
  .object({
    id: z.string(),
    connectionId: z.string(),
    receivedAt: z.string(),
    outcome: z.enum(['processed', 'duplicate', 'rejected']),
    result: z.string().nullable(),
    reason: z.string().nullable(),
    eventId: z.string().nullable(),
    psaCompanyId: z.string().nullable(),
    clientId: z.string().nullable(),
    offboardingId: z.string().nullable(),
    bodySha256: z.string(),
    remoteIp: z.string().nullable(),
  })
  .openapi('WebhookDelivery');

export const listWebhookDeliveries = createRoute({
  method: 'get',
  path: '/api/webhook-deliveries',
  tags: ['settings'],
  summary: 'Every PSA webhook received, newest first: processed (and what it did), duplicate, or rejected with the reason',
  request: {
    query: z.object({
      outcome: z
        .enum(['processed', 'duplicate', 'rejected'])
        .optional()
        .openapi({ param: { name: 'outcome', in: 'query' } }),
      limit: z.coerce
        .number()
        .int()
        .min(1)
        .max(500)
        .default(100)
        .openapi({ param: { name: 'limit', in: 'query' } }),
    }),
  },
  responses: { 200: json(z.object({ items: z.array(WebhookDelivery) }), 'Webhook deliveries'), ...errorResponses },
});
