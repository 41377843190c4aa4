import { OpenAPIHono } from '@hono/zod-openapi';
import { isoInstant } from '../../../app/present.ts';
import { listDeliveries as readDeliveries } from '../../../app/notifications/list-deliveries.ts';
import { withPolicy } from '../../authorize.ts';
import { type HttpEnv, actorOf, appOf } from '../../context.ts';
import { validationHook } from '../../validation.ts';
import { listDeliveries } from './deliveries.schema.ts';

export const deliveryRoutes = new OpenAPIHono<HttpEnv>({ defaultHook: validationHook });

deliveryRoutes.openapi(withPolicy(listDeliveries, 'audit.read'), async (c) => {
  const { status, limit } = c.req.valid('query');
  const rows = await readDeliveries(appOf(c), actorOf(c), { status, limit });
  return c.json(
    {
      items: rows.map((n) => ({
        id: n.id,
        offboardingId: n.offboardingId,
        key: n.key,
        kind: n.kind,
        level: n.level,
        channel: n.channel,
        recipient: n.recipient,
        subject: n.subject,
        status: n.status as 'delivered' | 'pending' | 'sent' | 'failed' | 'held' | 'digested',
        attempts: n.attempts,
        error: n.error,
        at: isoInstant(n.fireAt),
        deliveredAt: isoInstant(n.deliveredAt),
      })),
    },
    200,
  );
});
