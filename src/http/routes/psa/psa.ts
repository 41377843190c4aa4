import { OpenAPIHono } from '@hono/zod-openapi';
import { type PsaConnectionSettings, connectPsa, disconnectPsa, updatePsaMapping } from '../../../app/psa/connect-psa.ts';
import { isoInstant } from '../../../app/present.ts';
import type { PsaProvider } from '../../../domain/psa-trigger.ts';
import { type PsaConnectionRow, getPsaConnection, listPsaConnections as readConnections } from '../../../app/psa/list-psa-connections.ts';
import { listWebhookDeliveries as readWebhookDeliveries } from '../../../app/psa/list-webhook-deliveries.ts';
import { withPolicy } from '../../authorize.ts';
import { type HttpEnv, actorOf, appOf } from '../../context.ts';
import { validationHook } from '../../validation.ts';
import { connectPsaRoute, disconnectPsaRoute, listPsaConnections, listWebhookDeliveries, updatePsaRoute } from './psa.schema.ts';

export const psaRoutes = new OpenAPIHono<HttpEnv>({ defaultHook: validationHook });

psaRoutes.openapi(withPolicy(listPsaConnections, 'settings.read'), async (c) => {
  const rows = await readConnections(appOf(c), actorOf(c));
  return c.json({ items: rows.map(presentConnection) }, 200);
});

function presentConnection(r: PsaConnectionRow) {
  const settings = r.settings as PsaConnectionSettings;
  return {
    id: r.id,
    provider: r.provider as PsaProvider,
    name: r.name,
    offboardingStatuses: settings.statuses,
    inactiveMeansOffboarding: settings.inactiveMeansOffboarding,
    offboardingType: settings.offboardingType,
    keyUrlOrigins: settings.keyUrlOrigins ?? null,
    webhookPath: r.provider === 'halopsa' ? `/webhooks/psa/${r.id}/…` : `/webhooks/psa/${r.id}`,
    createdAt: isoInstant(r.createdAt),
  };
}

psaRoutes.openapi(withPolicy(updatePsaRoute, 'settings.write'), async (c) => {
  const { id } = c.req.valid('param');
  await updatePsaMapping(appOf(c), actorOf(c), id, c.req.valid('json'));
  return c.json(presentConnection(await getPsaConnection(appOf(c), actorOf(c), id)), 200);
});

psaRoutes.openapi(withPolicy(connectPsaRoute, 'settings.write'), async (c) =>
  c.json(await connectPsa(appOf(c), actorOf(c), c.req.valid('json')), 201),
);

psaRoutes.openapi(withPolicy(disconnectPsaRoute, 'settings.write'), async (c) => {
  await disconnectPsa(appOf(c), actorOf(c), c.req.valid('param').id);
  return c.body(null, 204);
});

psaRoutes.openapi(withPolicy(listWebhookDeliveries, 'settings.read'), async (c) => {
  const { outcome, limit } = c.req.valid('query');
  const rows = await readWebhookDeliveries(appOf(c), actorOf(c), { outcome, limit });
  return c.json(
    {
      items: rows.map((r) => ({
        id: r.id,
        connectionId: r.connectionId,
        receivedAt: isoInstant(r.receivedAt),
        outcome: r.outcome as 'processed' | 'duplicate' | 'rejected',
        result: r.result,
        reason: r.reason,
        eventId: r.eventId,
        psaCompanyId: r.psaCompanyId,
        clientId: r.clientId,
        offboardingId: r.offboardingId,
        bodySha256: r.bodySha256,
        remoteIp: r.remoteIp,
      })),
    },
    200,
  );
});
