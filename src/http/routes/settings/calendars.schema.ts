import { createRoute, z } from '@hono/zod-openapi';
import { CalendarInput } from '../../../app/settings/calendars.ts';
import { IdParam, errorResponses, json, jsonBody } from '../../schemas.ts';

const Calendar = z
  .object({ id: z.string(), name: z.string(), workdays: z.array(z.number().int()), holidays: z.array(z.string()), isDefault: z.boolean() })
  .openapi('Calendar');
const body = jsonBody(CalendarInput);

export const listCalendarsRoute = createRoute({
  method: 'get',
  path: '/api/calendars',
  tags: ['settings'],
  summary: 'Business calendars: workdays and holidays',
  responses: { 200: json(z.object({ items: z.array(Calendar) }), 'Calendars'), ...errorResponses },
});
export const createCalendarRoute = createRoute({
  method: 'post',
  path: '/api/calendars',
  tags: ['settings'],
  summary: 'Add a calendar',
  request: { body },
  responses: { 201: json(z.object({ id: z.string() }), 'Created'), ...errorResponses },
});
export const updateCalendarRoute = createRoute({
  method: 'put',
  path: '/api/calendars/{id}',
  tags: ['settings'],
  summary: 'Change a calendar (offboardings already planned keep theirs)',
  request: { params: IdParam, body },
  responses: { 200: json(z.object({ id: z.string() }), 'Saved'), ...errorResponses },
});
