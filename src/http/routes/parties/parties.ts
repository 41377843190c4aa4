import { OpenAPIHono } from '@hono/zod-openapi';
import { inviteParty } from '../../../app/portal/invite-party.ts';
import { listParties } from '../../../app/portal/list-parties.ts';
import { resendPortalLink } from '../../../app/portal/resend-portal-link.ts';
import { revokePartyAccess } from '../../../app/portal/revoke-party-access.ts';
import { withPolicy } from '../../authorize.ts';
import { type HttpEnv, actorOf, appOf } from '../../context.ts';
import { validationHook } from '../../validation.ts';
import {
  certificateRoute,
  inviteRoute,
  listMessagesRoute,
  listPartiesRoute,
  postMessageRoute,
  resendRoute,
  revokeRoute,
} from './parties.schema.ts';
import { listMessages } from '../../../app/portal/list-messages.ts';
import { postMessage } from '../../../app/portal/post-message.ts';
import { getStatementCertificate } from '../../../app/portal/get-statement-certificate.ts';
import { streamedFile } from '../../present.ts';

export const partyRoutes = new OpenAPIHono<HttpEnv>({ defaultHook: validationHook });

partyRoutes.openapi(withPolicy(listPartiesRoute, 'parties.read'), async (c) =>
  c.json(await listParties(appOf(c), actorOf(c), c.req.valid('param').id), 200),
);

partyRoutes.openapi(withPolicy(inviteRoute, 'parties.manage'), async (c) =>
  c.json(await inviteParty(appOf(c), actorOf(c), c.req.valid('param').id, c.req.valid('json')), 201),
);

partyRoutes.openapi(withPolicy(resendRoute, 'parties.manage'), async (c) => {
  const { id, partyId } = c.req.valid('param');
  return c.json(await resendPortalLink(appOf(c), actorOf(c), id, partyId), 201);
});

partyRoutes.openapi(withPolicy(certificateRoute, 'parties.read'), async (c) => {
  const file = await getStatementCertificate(appOf(c), actorOf(c), c.req.valid('param').id);
  return streamedFile(c, { ...file, mediaType: 'application/pdf' });
});

partyRoutes.openapi(withPolicy(revokeRoute, 'parties.manage'), async (c) => {
  const { id, partyId } = c.req.valid('param');
  return c.json(await revokePartyAccess(appOf(c), actorOf(c), id, partyId), 200);
});

partyRoutes.openapi(withPolicy(listMessagesRoute, 'parties.read'), async (c) =>
  c.json((await listMessages(appOf(c), actorOf(c), c.req.valid('param').id)) as never, 200),
);

partyRoutes.openapi(withPolicy(postMessageRoute, 'conversation.write'), async (c) =>
  c.json(await postMessage(appOf(c), actorOf(c), c.req.valid('param').id, c.req.valid('json')), 201),
);
