import { createRoute, z } from '@hono/zod-openapi';
import { DraftInput, PublishInput, RehearseInput } from '../../../app/settings/playbooks.ts';
import { IdParam, errorResponses, json, jsonBody } from '../../schemas.ts';

const tags = ['playbooks'];
const Summary = z.object({
  id: z.string(),
  name: z.string(),
  version: z.number().int(),
  digest: z.string(),
  isDefault: z.boolean(),
  createdAt: z.string(),
});

export const listPlaybooksRoute = createRoute({
  method: 'get',
  path: '/api/playbooks',
  tags,
  summary: 'Playbook versions, newest first per name',
  responses: { 200: json(z.object({ items: z.array(Summary) }), 'Playbooks'), ...errorResponses },
});
export const getPlaybookRoute = createRoute({
  method: 'get',
  path: '/api/playbooks/{id}',
  tags,
  summary: 'One playbook version: its YAML source and the same as data',
  request: { params: IdParam },
  responses: {
    200: json(Summary.omit({ createdAt: true }).extend({ source: z.string(), data: z.record(z.string(), z.unknown()) }), 'The playbook'),
    ...errorResponses,
  },
});
export const checkPlaybookRoute = createRoute({
  method: 'post',
  path: '/api/playbooks/check',
  tags,
  summary: 'Check a draft: 200 when valid, else 400 with every problem at its path',
  request: { body: jsonBody(DraftInput) },
  responses: { 200: json(z.object({ tasks: z.number().int(), phases: z.number().int() }), 'Valid'), ...errorResponses },
});
export const rehearsePlaybookRoute = createRoute({
  method: 'post',
  path: '/api/playbooks/rehearse',
  tags,
  summary: 'Rehearse a draft on a sample offboarding: every reminder and escalation, day by day',
  request: { body: jsonBody(RehearseInput) },
  responses: {
    200: json(
      z.object({ warnings: z.array(z.unknown()), summary: z.record(z.string(), z.unknown()), days: z.array(z.unknown()) }),
      'The rehearsal',
    ),
    ...errorResponses,
  },
});
export const publishPlaybookRoute = createRoute({
  method: 'post',
  path: '/api/playbooks',
  tags,
  summary: 'Publish a draft as the next version (the default for offboardings started from now on)',
  request: { body: jsonBody(PublishInput) },
  responses: { 201: json(z.object({ id: z.string(), version: z.number().int() }), 'Published'), ...errorResponses },
});
