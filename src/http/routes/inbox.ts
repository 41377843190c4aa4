import { OpenAPIHono } from '@hono/zod-openapi';
import { and, desc, eq, isNull } from 'drizzle-orm';
import { isoInstant } from '../../app/present.ts';
import { NotFoundError } from '../../domain/errors.ts';
import { notifications } from '../../storage/schema.ts';
import { withPolicy } from '../authorize.ts';
import { type HttpEnv, actorOf, appOf } from '../context.ts';
import { validationHook } from '../validation.ts';
import { markRead, myInbox } from './inbox.schema.ts';

export const inboxRoutes = new OpenAPIHono<HttpEnv>({ defaultHook: validationHook });

inboxRoutes.openapi(withPolicy(myInbox, 'me.read'), async (c) => {
  const actor = actorOf(c);
  const db = appOf(c).database.db;
  const mine = and(
    eq(notifications.tenantId, actor.tenantId),
    eq(notifications.recipientUserId, actor.id),
    eq(notifications.channel, 'in-app'),
  );
  const rows = await db
    .select()
    .from(notifications)
    .where(mine)
    .orderBy(desc(notifications.fireAt), desc(notifications.createdAt))
    .limit(100);
  const unread = await db.$count(notifications, and(mine, isNull(notifications.readAt)));
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
  const actor = actorOf(c);
  const { id } = c.req.valid('param');
  const [row] = await appOf(c)
    .database.db.update(notifications)
    .set({ readAt: appOf(c).clock().toISOString() })
    .where(and(eq(notifications.tenantId, actor.tenantId), eq(notifications.recipientUserId, actor.id), eq(notifications.id, id)))
    .returning({ id: notifications.id });
  if (!row) throw new NotFoundError('notification', id);
  return c.body(null, 204);
});
