import { createRoute, z } from '@hono/zod-openapi';
import { TenantNotificationSettingsInput } from '../../../app/notifications/notification-settings.ts';
import { PreferencesSchema } from '../../../domain/notification-preferences.ts';
import { errorResponses, json } from '../../schemas.ts';

const Preferences = PreferencesSchema;
const TenantSettings = z
  .object({ preferences: Preferences, timezone: z.string(), digestAt: z.string() })
  .openapi('TenantNotificationSettings');

export const getMyPreferences = createRoute({
  method: 'get',
  path: '/api/my/preferences',
  tags: ['notifications'],
  summary: 'How I hear about each kind of notification (channels per kind, daily digest)',
  responses: { 200: json(Preferences, 'My preferences'), ...errorResponses },
});
export const putMyPreferences = createRoute({
  method: 'put',
  path: '/api/my/preferences',
  tags: ['notifications'],
  summary: 'Choose channels per kind (in-app, email) and the daily digest; unset kinds follow the MSP default',
  request: { body: { content: { 'application/json': { schema: PreferencesSchema } }, required: true } },
  responses: { 200: json(Preferences, 'Saved'), ...errorResponses },
});
export const getTenantNotifications = createRoute({
  method: 'get',
  path: '/api/settings/notifications',
  tags: ['settings'],
  summary: "The MSP's default channels per kind, digest and time zone",
  responses: { 200: json(TenantSettings, 'Settings'), ...errorResponses },
});
export const putTenantNotifications = createRoute({
  method: 'put',
  path: '/api/settings/notifications',
  tags: ['settings'],
  summary: "Set the MSP's default channels per kind, digest, digest hour and time zone",
  request: { body: { content: { 'application/json': { schema: TenantNotificationSettingsInput } }, required: true } },
  responses: { 200: json(TenantSettings, 'Saved'), ...errorResponses },
});
