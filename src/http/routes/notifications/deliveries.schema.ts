import { createRoute, z } from '@hono/zod-openapi';
import { errorResponses, json } from '../../schemas.ts';

export const Delivery = z
  .object({
    id: z.string(),
    offboardingId: z.string().nullable(),
    key: z.string(),
    kind: z.string(),
    level: z.number().int(),
    channel: z.string(),
    recipient: z.string(),
    subject: z.string(),
    status: z.enum(['delivered', 'pending', 'sent', 'failed', 'held', 'digested']),
    attempts: z.number().int(),
    error: z.string().nullable(),
    at: z.string(),
    deliveredAt: z.string().nullable(),
  })
  .openapi('Delivery');

export const listDeliveries = createRoute({
  method: 'get',
  path: '/api/deliveries',
  tags: ['notifications'],
  summary: 'Every notification delivery (who, what, when, channel, result), newest first; ?status=failed for the failures',
  request: {
    query: z.object({
      status: z
        .enum(['delivered', 'pending', 'sent', 'failed', 'held', 'digested'])
        .optional()
        .openapi({ param: { name: 'status', in: 'query' } }),
      limit: z.coerce
        .number()
        .int()
        .min(1)
        .max(500)
        .default(100)
        .openapi({ param: { name: 'limit', in: 'query' } }),
    }),
  },
  responses: { 200: json(z.object({ items: z.array(Delivery) }), 'Deliveries'), ...errorResponses },
});
