/**
 * The PSA webhook receivers, outside /api: no session or token, the PSA proves itself by its
 * signature (or HaloPSA's Basic credentials and URL secret). The body is read as bytes, since
 * signatures are over exactly what was sent.
 */
import { Hono } from 'hono';
import { bodyLimit } from 'hono/body-limit';
import { receivePsaEvent } from '../app/psa/receive-psa-event.ts';
import type { HttpEnv } from './context.ts';
import { errorBody } from './errors.ts';

const MAX_BODY = 256 * 1024;

export const webhookRoutes = new Hono<HttpEnv>();

webhookRoutes.use(
  '/webhooks/*',
  bodyLimit({
    maxSize: MAX_BODY,
    onError: (c) =>
      c.json(
        errorBody('invalid-input', 'the webhook body is too large', [{ path: 'body', message: `must be at most ${MAX_BODY} bytes` }]),
        413,
      ),
  }),
);

webhookRoutes.post('/webhooks/psa/:connectionId/:urlSecret?', async (c) => {
  const result = await receivePsaEvent(c.get('app'), {
    connectionId: c.req.param('connectionId'),
    urlSecret: c.req.param('urlSecret'),
    body: Buffer.from(await c.req.arrayBuffer()),
    header: (name) => c.req.header(name),
    remoteIp: c.get('clientIp'),
  });
  return c.json(result, 200);
});
