import { OpenAPIHono } from '@hono/zod-openapi';
import { checkPlaybook, getPlaybook, listPlaybooks, publishPlaybook, rehearsePlaybook } from '../../../app/settings/playbooks.ts';
import { isoInstant } from '../../../app/present.ts';
import { withPolicy } from '../../authorize.ts';
import { type HttpEnv, actorOf, appOf } from '../../context.ts';
import { validationHook } from '../../validation.ts';
import {
  checkPlaybookRoute,
  getPlaybookRoute,
  listPlaybooksRoute,
  publishPlaybookRoute,
  rehearsePlaybookRoute,
} from './playbooks.schema.ts';

export const playbookRoutes = new OpenAPIHono<HttpEnv>({ defaultHook: validationHook });

playbookRoutes.openapi(withPolicy(listPlaybooksRoute, 'playbooks.read'), async (c) =>
  c.json({ items: (await listPlaybooks(appOf(c), actorOf(c))).map((p) => ({ ...p, createdAt: isoInstant(p.createdAt) })) }, 200),
);
// The fixed paths before {id}, so "check" is never taken for an id.
playbookRoutes.openapi(withPolicy(checkPlaybookRoute, 'playbooks.read'), (c) => c.json(checkPlaybook(c.req.valid('json')), 200));
playbookRoutes.openapi(withPolicy(rehearsePlaybookRoute, 'playbooks.read'), (c) => c.json(rehearsePlaybook(c.req.valid('json')), 200));
playbookRoutes.openapi(withPolicy(getPlaybookRoute, 'playbooks.read'), async (c) =>
  c.json(await getPlaybook(appOf(c), actorOf(c), c.req.valid('param').id), 200),
);
playbookRoutes.openapi(withPolicy(publishPlaybookRoute, 'playbooks.write'), async (c) =>
  c.json(await publishPlaybook(appOf(c), actorOf(c), c.req.valid('json')), 201),
);
