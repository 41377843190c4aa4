import { createRoute, z } from '@hono/zod-openapi';
import { ClientInput } from '../../../app/clients/client-input.ts';
import { ClientPatch } from '../../../app/clients/update-client.ts';
import { ConfirmClientInput } from '../../../app/clients/confirm-client.ts';
import { IdParam, IfMatchHeader, Pagination, errorResponses, json, page } from '../../schemas.ts';

export const Client = z
  .object({
    id: z.string(),
    name: z.string(),
    status: z.string(),
    timezone: z.string(),
    calendarId: z.string().nullable(),
    psaIds: z.record(z.string(), z.string()),
    contacts: z.array(
      z.object({
        name: z.string(),
        email: z.string(),
        phone: z.string().optional(),
        role: z.string().optional(),
        authorizedSigner: z.boolean(),
      }),
    ),
    services: z.record(z.string(), z.unknown()),
    contract: z.record(z.string(), z.unknown()),
    team: z.record(z.string(), z.string()),
    departureReason: z.string().nullable(),
    /** Set when a PSA event created this client: it waits for someone to confirm it (POST .../confirm). */
    awaitingConfirmation: z
      .object({ provider: z.string(), eventId: z.string(), occurredAt: z.string(), offboardingType: z.string() })
      .nullable(),
    version: z.number().int(),
  })
  .openapi('Client');

export const listClients = createRoute({
  method: 'get',
  path: '/api/clients',
  tags: ['clients'],
  summary: 'Clients, by name',
  request: { query: Pagination },
  responses: { 200: json(page(Client), 'A page of clients'), ...errorResponses },
});
export const getClient = createRoute({
  method: 'get',
  path: '/api/clients/{id}',
  tags: ['clients'],
  summary: 'A client',
  request: { params: IdParam },
  responses: { 200: json(Client, 'The client'), ...errorResponses },
});
export const createClientRoute = createRoute({
  method: 'post',
  path: '/api/clients',
  tags: ['clients'],
  summary: 'Add a client',
  request: { body: { content: { 'application/json': { schema: ClientInput } }, required: true } },
  responses: { 201: json(Client, 'The client'), ...errorResponses },
});
export const updateClientRoute = createRoute({
  method: 'patch',
  path: '/api/clients/{id}',
  tags: ['clients'],
  summary: 'Edit a client (If-Match with its ETag)',
  request: { params: IdParam, headers: IfMatchHeader, body: { content: { 'application/json': { schema: ClientPatch } }, required: true } },
  responses: { 200: json(Client, 'The client'), ...errorResponses },
});
export const confirmClientRoute = createRoute({
  method: 'post',
  path: '/api/clients/{id}/confirm',
  tags: ['clients'],
  summary: 'Confirm a client a PSA event created, and open the offboarding the event asked for',
  request: { params: IdParam, body: { content: { 'application/json': { schema: ConfirmClientInput } }, required: false } },
  responses: { 200: json(z.object({ client: Client, offboardingId: z.string().nullable() }), 'Confirmed'), ...errorResponses },
});
