import { OpenAPIHono } from '@hono/zod-openapi';
import { listCalendars, saveCalendar } from '../../../app/settings/calendars.ts';
import { withPolicy } from '../../authorize.ts';
import { type HttpEnv, actorOf, appOf } from '../../context.ts';
import { validationHook } from '../../validation.ts';
import { createCalendarRoute, listCalendarsRoute, updateCalendarRoute } from './calendars.schema.ts';

export const calendarRoutes = new OpenAPIHono<HttpEnv>({ defaultHook: validationHook });

calendarRoutes.openapi(withPolicy(listCalendarsRoute, 'clients.read'), async (c) =>
  c.json({ items: await listCalendars(appOf(c), actorOf(c)) }, 200),
);
calendarRoutes.openapi(withPolicy(createCalendarRoute, 'settings.write'), async (c) =>
  c.json(await saveCalendar(appOf(c), actorOf(c), undefined, c.req.valid('json')), 201),
);
calendarRoutes.openapi(withPolicy(updateCalendarRoute, 'settings.write'), async (c) =>
  c.json(await saveCalendar(appOf(c), actorOf(c), c.req.valid('param').id, c.req.valid('json')), 200),
);
