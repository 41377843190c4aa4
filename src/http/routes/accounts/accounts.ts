import { OpenAPIHono } from '@hono/zod-openapi';
import { deleteCookie, getCookie, setCookie } from 'hono/cookie';
import { createApiToken, listApiTokens, revokeApiToken } from '../../../app/accounts/api-tokens.ts';
import { createUser } from '../../../app/accounts/create-user.ts';
import { isoInstant } from '../../../app/present.ts';
import { actorForSession, signIn, signOut } from '../../../app/accounts/sign-in.ts';
import { getUser } from '../../../app/accounts/get-user.ts';
import { listUsers } from '../../../app/accounts/list-users.ts';
import { whoAmI } from '../../../app/accounts/who-am-i.ts';
import { withPolicy } from '../../authorize.ts';
import { type HttpEnv, actorOf, appOf } from '../../context.ts';
import { presentUser } from '../../present.ts';
import { SESSION_COOKIE, sessionCookieOptions } from '../../session.ts';
import { validationHook } from '../../validation.ts';
import {
  changePasswordRoute,
  resetPasswordRoute,
  createTokenRoute,
  createUserRoute,
  listTokensRoute,
  listUsersRoute,
  meRoute,
  revokeTokenRoute,
  sessionRoute,
  signInRoute,
  signOutRoute,
  updateUserRoute,
} from './accounts.schema.ts';
import { updateUser } from '../../../app/accounts/update-user.ts';
import { changeOwnPassword, resetPassword } from '../../../app/accounts/change-password.ts';

/** Routes that work without a session. */
export const publicAccountRoutes = new OpenAPIHono<HttpEnv>({ defaultHook: validationHook });

publicAccountRoutes.openapi(signInRoute, async (c) => {
  const { token, actor, expiresAt } = await signIn(appOf(c), c.req.valid('json'), c.get('clientIp'));
  setCookie(c, SESSION_COOKIE, token, { ...sessionCookieOptions(c), expires: new Date(expiresAt) });
  return c.json(await whoAmI(appOf(c), actor), 200);
});

publicAccountRoutes.openapi(signOutRoute, async (c) => {
  const token = getCookie(c, SESSION_COOKIE);
  if (token) await signOut(appOf(c), token);
  deleteCookie(c, SESSION_COOKIE, sessionCookieOptions(c));
  return c.body(null, 204);
});

publicAccountRoutes.openapi(sessionRoute, async (c) => {
  const token = getCookie(c, SESSION_COOKIE);
  const actor = token ? await actorForSession(appOf(c), token) : undefined;
  return c.json({ user: actor ? await whoAmI(appOf(c), actor) : null }, 200);
});

export const accountRoutes = new OpenAPIHono<HttpEnv>({ defaultHook: validationHook });

accountRoutes.openapi(withPolicy(meRoute, 'me.read'), async (c) => {
  return c.json(await whoAmI(appOf(c), actorOf(c)), 200);
});

accountRoutes.openapi(withPolicy(listUsersRoute, 'users.read'), async (c) => {
  const rows = await listUsers(appOf(c), actorOf(c));
  return c.json({ items: rows.map(presentUser) }, 200);
});

accountRoutes.openapi(withPolicy(createUserRoute, 'users.create'), async (c) => {
  const { id } = await createUser(appOf(c), actorOf(c), c.req.valid('json'));
  return c.json(presentUser(await getUser(appOf(c), actorOf(c), id)), 201);
});

accountRoutes.openapi(withPolicy(listTokensRoute, 'tokens.read'), async (c) => {
  const rows = await listApiTokens(appOf(c), actorOf(c));
  return c.json({ items: rows.map((r) => ({ ...r, createdAt: isoInstant(r.createdAt), lastUsedAt: isoInstant(r.lastUsedAt) })) }, 200);
});

accountRoutes.openapi(withPolicy(createTokenRoute, 'tokens.create'), async (c) =>
  c.json(await createApiToken(appOf(c), actorOf(c), c.req.valid('json')), 201),
);

accountRoutes.openapi(withPolicy(revokeTokenRoute, 'tokens.revoke'), async (c) => {
  await revokeApiToken(appOf(c), actorOf(c), c.req.valid('param').id);
  return c.body(null, 204);
});

accountRoutes.openapi(withPolicy(updateUserRoute, 'users.update'), async (c) =>
  c.json(presentUser(await updateUser(appOf(c), actorOf(c), c.req.valid('param').id, c.req.valid('json'))), 200),
);

accountRoutes.openapi(withPolicy(changePasswordRoute, 'me.update'), async (c) => {
  await changeOwnPassword(appOf(c), actorOf(c), getCookie(c, SESSION_COOKIE), c.req.valid('json'));
  return c.body(null, 204);
});

accountRoutes.openapi(withPolicy(resetPasswordRoute, 'users.update'), async (c) =>
  c.json(await resetPassword(appOf(c), actorOf(c), c.req.valid('param').id), 200),
);
