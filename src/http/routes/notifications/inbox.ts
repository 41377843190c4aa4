import { OpenAPIHono } from '@hono/zod-openapi';
import { isoInstant } from '../../../app/present.ts';
import { markAllNotificationsRead, markNotificationRead } from '../../../app/notifications/mark-read.ts';
import { myInbox as readInbox } from '../../../app/notifications/my-inbox.ts';
import { withPolicy } from '../../authorize.ts';
import { type HttpEnv, actorOf, appOf } from '../../context.ts';
import { validationHook } from '../../validation.ts';
import { markAllRead, markRead, myInbox } from './inbox.schema.ts';

export const inboxRoutes = new OpenAPIHono<HttpEnv>({ defaultHook: validationHook });

inboxRoutes.openapi(withPolicy(myInbox, 'me.read'), async (c) => {
  const { items: rows, unread } = await readInbox(appOf(c), actorOf(c));
  return c.json(
    {
      items: rows.map((n) => ({
        id: n.id,
        offboardingId: n.offboardingId,
        taskId: n.taskId,
        kind: n.kind,
        level: n.level,
        subject: n.subject,
        body: n.body,
        at: isoInstant(n.fireAt),
        read: n.readAt !== null,
      })),
      unread,
    },
    200,
  );
});

inboxRoutes.openapi(withPolicy(markRead, 'me.read'), async (c) => {
  await markNotificationRead(appOf(c), actorOf(c), c.req.valid('param').id);
  return c.body(null, 204);
});

inboxRoutes.openapi(withPolicy(markAllRead, 'me.read'), async (c) =>
  c.json({ marked: await markAllNotificationsRead(appOf(c), actorOf(c)) }, 200),
);
