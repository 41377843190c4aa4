import { createRoute, z } from '@hono/zod-openapi';
import { UpdateUserInput } from '../../../app/accounts/update-user.ts';
import { CreateTokenInput } from '../../../app/accounts/api-tokens.ts';
import { CreateUserInput } from '../../../app/accounts/create-user.ts';
import { SignInInput } from '../../../app/accounts/sign-in.ts';
import { ChangePasswordInput } from '../../../app/accounts/change-password.ts';
import { type Action, PERMISSIONS } from '../../../domain/policies.ts';
import { IdParam, errorResponses, json, jsonBody } from '../../schemas.ts';

export const User = z
  .object({
    id: z.string(),
    email: z.string(),
    name: z.string(),
    role: z.string(),
    managerId: z.string().nullable(),
    disabled: z.boolean(),
  })
  .openapi('User');
export const Me = z
  .object({
    id: z.string(),
    tenantId: z.string(),
    kind: z.enum(['user', 'token', 'system']),
    role: z.string(),
    name: z.string().optional(),
    email: z.string().optional(),
    permissions: z
      .array(z.enum(Object.keys(PERMISSIONS) as [Action, ...Action[]]))
      .openapi({ description: "The actions the requester's role may take: the table every route checks" }),
  })
  .openapi('Me');

export const sessionRoute = createRoute({
  method: 'get',
  path: '/api/auth/session',
  tags: ['accounts'],
  summary: 'Who is signed in with this browser, or null: answers 200 either way (the web app asks before it shows sign-in)',
  security: [],
  responses: { 200: json(z.object({ user: Me.nullable() }), 'The signed-in user, or null'), ...errorResponses },
});

export const signInRoute = createRoute({
  method: 'post',
  path: '/api/auth/sign-in',
  tags: ['accounts'],
  summary: 'Sign in with email and password; sets the session cookie',
  request: { body: jsonBody(SignInInput) },
  responses: { 200: json(Me, 'Signed in'), ...errorResponses, 429: { description: 'Too many failed attempts' } },
});
export const signOutRoute = createRoute({
  method: 'post',
  path: '/api/auth/sign-out',
  tags: ['accounts'],
  summary: 'Sign out',
  responses: { 204: { description: 'Signed out' } },
});
export const meRoute = createRoute({
  method: 'get',
  path: '/api/me',
  tags: ['accounts'],
  summary: 'Who is signed in',
  responses: { 200: json(Me, 'You'), ...errorResponses },
});
export const updateUserRoute = createRoute({
  method: 'patch',
  path: '/api/users/{id}',
  tags: ['accounts'],
  summary: "Change a person's role or manager, or disable them (their sessions end)",
  request: { params: IdParam, body: jsonBody(UpdateUserInput) },
  responses: { 200: json(User, 'The user'), ...errorResponses },
});
export const listUsersRoute = createRoute({
  method: 'get',
  path: '/api/users',
  tags: ['accounts'],
  summary: 'The staff',
  responses: { 200: json(z.object({ items: z.array(User) }), 'Users'), ...errorResponses },
});
export const createUserRoute = createRoute({
  method: 'post',
  path: '/api/users',
  tags: ['accounts'],
  summary: 'Add a staff member',
  request: { body: jsonBody(CreateUserInput) },
  responses: { 201: json(User, 'The user'), ...errorResponses },
});
export const listTokensRoute = createRoute({
  method: 'get',
  path: '/api/tokens',
  tags: ['accounts'],
  summary: 'API tokens (never the secrets)',
  responses: {
    200: json(
      z.object({
        items: z.array(
          z.object({ id: z.string(), name: z.string(), role: z.string(), createdAt: z.string(), lastUsedAt: z.string().nullable() }),
        ),
      }),
      'Tokens',
    ),
    ...errorResponses,
  },
});
export const createTokenRoute = createRoute({
  method: 'post',
  path: '/api/tokens',
  tags: ['accounts'],
  summary: 'Create an API token; the token is shown this once',
  request: { body: jsonBody(CreateTokenInput) },
  responses: { 201: json(z.object({ id: z.string(), token: z.string() }), 'The token'), ...errorResponses },
});
export const revokeTokenRoute = createRoute({
  method: 'delete',
  path: '/api/tokens/{id}',
  tags: ['accounts'],
  summary: 'Revoke an API token',
  request: { params: IdParam },
  responses: { 204: { description: 'Revoked' }, ...errorResponses },
});

export const changePasswordRoute = createRoute({
  method: 'post',
  path: '/api/me/password',
  tags: ['accounts'],
  summary: 'Change your own password (your other sessions end)',
  request: { body: jsonBody(ChangePasswordInput) },
  responses: { 204: { description: 'Changed' }, ...errorResponses },
});

export const resetPasswordRoute = createRoute({
  method: 'post',
  path: '/api/users/{id}/password',
  tags: ['accounts'],
  summary: "Reset someone's password to a temporary one, shown once (their sessions end)",
  request: { params: IdParam },
  responses: { 200: json(z.object({ temporaryPassword: z.string() }), 'The temporary password: shown this once'), ...errorResponses },
});
