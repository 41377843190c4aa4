import { OpenAPIHono } from '@hono/zod-openapi';
import { configurePortal, portalSettingsOf } from '../../../app/settings/configure-portal.ts';
import { configureChannel, removeChannel, testChannel } from '../../../app/settings/configure-channel.ts';
import { configureEmail, removeEmailSettings, sendTestEmail, tenantMailers } from '../../../app/settings/configure-email.ts';
import { emailSettingsOf, listChannels as readChannels } from '../../../app/settings/list-channels.ts';
import { withPolicy } from '../../authorize.ts';
import { type HttpEnv, actorOf, appOf } from '../../context.ts';
import { validationHook } from '../../validation.ts';
import {
  addWitnessRoute,
  deleteChannel,
  deleteEmailSettings,
  getEmailSettings,
  getPortalSettings,
  putPortalSettings,
  listChannels,
  listWitnessesRoute,
  putChannel,
  putEmailSettings,
  removeWitnessRoute,
  testChannelRoute,
  testEmailRoute,
} from './settings.schema.ts';
import { type WitnessRow, addWitness, listWitnesses, removeWitness } from '../../../app/log/witnesses.ts';
import { isoInstant } from '../../../app/present.ts';

export const settingsRoutes = new OpenAPIHono<HttpEnv>({ defaultHook: validationHook });

settingsRoutes.openapi(withPolicy(listChannels, 'settings.read'), async (c) => {
  return c.json({ items: await readChannels(appOf(c), actorOf(c)) }, 200);
});

settingsRoutes.openapi(withPolicy(putChannel, 'settings.write'), async (c) => {
  const { kind } = c.req.valid('param');
  const { host } = await configureChannel(appOf(c), actorOf(c), kind, c.req.valid('json'));
  return c.json({ kind, host }, 200);
});

settingsRoutes.openapi(withPolicy(deleteChannel, 'settings.write'), async (c) => {
  await removeChannel(appOf(c), actorOf(c), c.req.valid('param').kind);
  return c.body(null, 204);
});

settingsRoutes.openapi(withPolicy(testChannelRoute, 'settings.write'), async (c) =>
  c.json(await testChannel(appOf(c), actorOf(c), c.req.valid('param').kind), 200),
);

settingsRoutes.openapi(withPolicy(getEmailSettings, 'settings.read'), async (c) => {
  return c.json(await emailSettingsOf(appOf(c), actorOf(c)), 200);
});

settingsRoutes.openapi(withPolicy(putEmailSettings, 'settings.write'), async (c) => {
  const { host } = await configureEmail(appOf(c), actorOf(c), c.req.valid('json'));
  return c.json({ configured: true, host }, 200);
});

settingsRoutes.openapi(withPolicy(deleteEmailSettings, 'settings.write'), async (c) => {
  await removeEmailSettings(appOf(c), actorOf(c));
  return c.body(null, 204);
});

settingsRoutes.openapi(withPolicy(testEmailRoute, 'settings.write'), async (c) => {
  const app = appOf(c);
  const mailers = app.mailers ?? tenantMailers(app, undefined);
  try {
    return c.json(await sendTestEmail(app, actorOf(c), mailers, c.req.valid('json').to), 200);
  } finally {
    if (!app.mailers) mailers.close();
  }
});

const presentWitness = (w: WitnessRow) => ({
  id: w.id,
  name: w.name,
  url: w.url,
  verifierKey: w.verifierKey,
  cosignedSize: w.cosignedSize,
  lastError: w.lastError,
  lastAttemptAt: isoInstant(w.lastAttemptAt),
});

settingsRoutes.openapi(withPolicy(listWitnessesRoute, 'settings.read'), async (c) =>
  c.json({ items: (await listWitnesses(appOf(c), actorOf(c))).map(presentWitness) }, 200),
);

settingsRoutes.openapi(withPolicy(addWitnessRoute, 'settings.write'), async (c) =>
  c.json(presentWitness(await addWitness(appOf(c), actorOf(c), c.req.valid('json'))), 201),
);

settingsRoutes.openapi(withPolicy(removeWitnessRoute, 'settings.write'), async (c) => {
  await removeWitness(appOf(c), actorOf(c), c.req.valid('param').id);
  return c.body(null, 204);
});

settingsRoutes.openapi(withPolicy(getPortalSettings, 'settings.read'), async (c) =>
  c.json(await portalSettingsOf(appOf(c), actorOf(c)), 200),
);

settingsRoutes.openapi(withPolicy(putPortalSettings, 'settings.write'), async (c) =>
  c.json(await configurePortal(appOf(c), actorOf(c), c.req.valid('json')), 200),
);
