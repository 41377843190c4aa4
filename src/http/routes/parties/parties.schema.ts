import { createRoute, z } from '@hono/zod-openapi';
import { InvitePartyInput } from '../../../app/portal/invite-party.ts';
import { MessageInput } from '../../../app/portal/conversation.ts';
import { IdParam, errorResponses, json, jsonBody } from '../../schemas.ts';

const tags = ['Parties'];

export const PartyParams = IdParam.extend({
  partyId: z
    .string()
    .min(1)
    .max(100)
    .openapi({ param: { name: 'partyId', in: 'path' } }),
});

const Side = z.enum(['client', 'new-provider']);

export const Party = z
  .object({
    id: z.string(),
    side: Side,
    name: z.string(),
    email: z.string(),
    canSign: z.boolean(),
    invitedAt: z.string().nullable(),
    lastLinkSentAt: z.string().nullable(),
    lastLinkExpiresAt: z.string().nullable(),
    lastOpenedAt: z.string().nullable().describe('When this person last opened a portal link'),
    accessRevokedAt: z.string().nullable(),
  })
  .openapi('Party');

export const StatementOnFile = z
  .object({
    id: z.string(),
    kind: z.string().nullable().describe('The statement template; null for attestations recorded before templates'),
    gate: z.string().nullable(),
    method: z.enum(['signed', 'recorded-from-document', 'recorded-by-staff']),
    party: z.string(),
    signerName: z.string(),
    signerEmail: z.string(),
    signedAt: z.string(),
    statementSha256: z.string(),
    certificateSha256: z.string().nullable(),
    documentSha256: z.string().nullable(),
    details: z.record(z.string(), z.unknown()),
  })
  .openapi('StatementOnFile');

const Parties = z.object({
  parties: z.array(Party),
  statements: z.array(StatementOnFile),
  gates: z.object({
    met: z.array(z.string()),
    authorization: z.object({ statementId: z.string(), signedAt: z.string(), scopes: z.array(z.string()) }).nullable(),
    earlyCutover: z.object({ id: z.string(), date: z.string() }).nullable(),
    waiting: z.array(
      z.object({
        gate: z.string(),
        waitingOn: z.enum(['client', 'new-provider']),
        since: z.string().openapi({ description: 'The first day it was asked for (the client’s local date)' }),
        tasks: z.array(z.string()),
        remindersSent: z.number().int(),
        lastReminderAt: z.string().nullable(),
      }),
    ),
  }),
});

const LinkSent = z.object({
  sent: z.boolean().describe('false while the link waits for the client’s authorization (new provider)'),
  expiresAt: z.string().nullable(),
  waitingFor: z.literal('authorization').nullable(),
});

export const listPartiesRoute = createRoute({
  method: 'get',
  path: '/api/offboardings/{id}/parties',
  tags,
  summary: 'The people outside the MSP in this offboarding, the statements on file and the gates they open',
  request: { params: IdParam },
  responses: { 200: json(Parties, 'Parties'), ...errorResponses },
});

export const inviteRoute = createRoute({
  method: 'post',
  path: '/api/offboardings/{id}/parties',
  tags,
  summary: 'Invite a client contact or the new provider to the portal (emails a single-use link)',
  request: { params: IdParam, body: jsonBody(InvitePartyInput) },
  responses: { 201: json(LinkSent.extend({ partyId: z.string() }), 'Invited'), ...errorResponses },
});

export const resendRoute = createRoute({
  method: 'post',
  path: '/api/offboardings/{id}/parties/{partyId}/link',
  tags,
  summary: 'Send a fresh portal link',
  request: { params: PartyParams },
  responses: { 201: json(LinkSent, 'Sent'), ...errorResponses },
});

export const certificateRoute = createRoute({
  method: 'get',
  path: '/api/statements/{id}/certificate',
  tags,
  summary: 'A signed statement’s signing certificate (PDF)',
  request: { params: IdParam },
  responses: { 200: { description: 'The PDF, with its SHA-256 in X-Content-SHA256' }, ...errorResponses },
});

export const revokeRoute = createRoute({
  method: 'post',
  path: '/api/offboardings/{id}/parties/{partyId}/revoke',
  tags,
  summary: 'End a person’s portal access: their sessions end and unused links stop working',
  request: { params: PartyParams },
  responses: { 200: json(z.object({ revokedAt: z.string() }), 'Revoked'), ...errorResponses },
});

export const Message = z
  .object({
    id: z.string(),
    side: z.enum(['msp', 'client', 'new-provider']),
    authorName: z.string(),
    body: z.string(),
    createdAt: z.string(),
  })
  .openapi('Message');

export const MessagePosted = z
  .object({
    id: z.string(),
    createdAt: z.string(),
    recipients: z.array(z.string()).openapi({ description: 'The addresses it was emailed to' }),
  })
  .openapi('MessagePosted');

export const listMessagesRoute = createRoute({
  method: 'get',
  path: '/api/offboardings/{id}/messages',
  tags,
  summary: 'The conversation with the new provider, the client in it: every message, oldest first',
  request: { params: IdParam },
  responses: { 200: json(z.object({ items: z.array(Message) }), 'Messages'), ...errorResponses },
});

export const postMessageRoute = createRoute({
  method: 'post',
  path: '/api/offboardings/{id}/messages',
  tags,
  summary: 'Write to the new provider; the client receives the same message (open while the client’s authorization is on file)',
  request: { params: IdParam, body: jsonBody(MessageInput) },
  responses: { 201: json(MessagePosted, 'Posted and emailed'), ...errorResponses },
});
