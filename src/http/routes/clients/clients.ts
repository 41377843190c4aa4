import { OpenAPIHono } from '@hono/zod-openapi';
import { createClient } from '../../../app/clients/create-client.ts';
import { updateClient } from '../../../app/clients/update-client.ts';
import { confirmClient } from '../../../app/clients/confirm-client.ts';
import { getClient as readClient } from '../../../app/clients/get-client.ts';
import { listClients as readClients } from '../../../app/clients/list-clients.ts';
import { withPolicy } from '../../authorize.ts';
import { type HttpEnv, actorOf, appOf, etag, ifMatchVersion } from '../../context.ts';
import { presentClient } from '../../present.ts';
import { validationHook } from '../../validation.ts';
import { confirmClientRoute, createClientRoute, getClient, listClients, updateClientRoute } from './clients.schema.ts';

export const clientRoutes = new OpenAPIHono<HttpEnv>({ defaultHook: validationHook });

clientRoutes.openapi(withPolicy(listClients, 'clients.read'), async (c) => {
  const { limit, offset } = c.req.valid('query');
  const { items, nextOffset } = await readClients(appOf(c), actorOf(c), { limit, offset });
  return c.json({ items: items.map(presentClient), nextOffset }, 200);
});

clientRoutes.openapi(withPolicy(getClient, 'clients.read'), async (c) => {
  const row = await readClient(appOf(c), actorOf(c), c.req.valid('param').id);
  c.header('ETag', etag(row.version));
  return c.json(presentClient(row), 200);
});

clientRoutes.openapi(withPolicy(createClientRoute, 'clients.create'), async (c) => {
  const { id } = await createClient(appOf(c), actorOf(c), c.req.valid('json'));
  const row = await readClient(appOf(c), actorOf(c), id);
  c.header('ETag', etag(row.version));
  c.header('Location', `/api/clients/${id}`);
  return c.json(presentClient(row), 201);
});

clientRoutes.openapi(withPolicy(updateClientRoute, 'clients.update'), async (c) => {
  const row = await updateClient(appOf(c), actorOf(c), c.req.valid('param').id, ifMatchVersion(c), c.req.valid('json'));
  c.header('ETag', etag(row.version));
  return c.json(presentClient(row), 200);
});

clientRoutes.openapi(withPolicy(confirmClientRoute, 'offboardings.start'), async (c) => {
  const { id } = c.req.valid('param');
  const { offboardingId } = await confirmClient(appOf(c), actorOf(c), id, c.req.valid('json') ?? {});
  const row = await readClient(appOf(c), actorOf(c), id);
  c.header('ETag', etag(row.version));
  return c.json({ client: presentClient(row), offboardingId }, 200);
});
