import { createRoute, z } from '@hono/zod-openapi';
import { IdParam, errorResponses, json } from '../../schemas.ts';

export const InboxItem = z
  .object({
    id: z.string(),
    offboardingId: z.string().nullable(),
    taskId: z.string().nullable(),
    kind: z.string(),
    level: z.number().int(),
    subject: z.string(),
    body: z.string(),
    at: z.string(),
    read: z.boolean(),
  })
  .openapi('InboxItem');

export const myInbox = createRoute({
  method: 'get',
  path: '/api/my/notifications',
  tags: ['notifications'],
  summary: "The signed-in user's in-app notifications, newest first (the last 100)",
  responses: { 200: json(z.object({ items: z.array(InboxItem), unread: z.number().int() }), 'Notifications'), ...errorResponses },
});

export const markRead = createRoute({
  method: 'post',
  path: '/api/my/notifications/{id}/read',
  tags: ['notifications'],
  summary: 'Mark a notification read',
  request: { params: IdParam },
  responses: { 204: { description: 'Marked read' }, ...errorResponses },
});

export const markAllRead = createRoute({
  method: 'post',
  path: '/api/my/notifications/read',
  tags: ['notifications'],
  summary: "Mark all of the signed-in user's notifications read",
  responses: { 200: json(z.object({ marked: z.number().int() }), 'How many were unread'), ...errorResponses },
});
