import { OpenAPIHono } from '@hono/zod-openapi';
import {
  myPreferences,
  setMyPreferences,
  setTenantNotificationSettings,
  tenantNotificationSettings,
} from '../../../app/notifications/notification-settings.ts';
import { withPolicy } from '../../authorize.ts';
import { type HttpEnv, actorOf, appOf } from '../../context.ts';
import { validationHook } from '../../validation.ts';
import { getMyPreferences, getTenantNotifications, putMyPreferences, putTenantNotifications } from './preferences.schema.ts';

export const preferenceRoutes = new OpenAPIHono<HttpEnv>({ defaultHook: validationHook });

preferenceRoutes.openapi(withPolicy(getMyPreferences, 'me.read'), async (c) => c.json(await myPreferences(appOf(c), actorOf(c)), 200));
preferenceRoutes.openapi(withPolicy(putMyPreferences, 'me.read'), async (c) =>
  c.json(await setMyPreferences(appOf(c), actorOf(c), c.req.valid('json')), 200),
);
preferenceRoutes.openapi(withPolicy(getTenantNotifications, 'settings.read'), async (c) =>
  c.json(await tenantNotificationSettings(appOf(c), actorOf(c).tenantId), 200),
);
preferenceRoutes.openapi(withPolicy(putTenantNotifications, 'settings.write'), async (c) =>
  c.json(await setTenantNotificationSettings(appOf(c), actorOf(c), c.req.valid('json')), 200),
);
