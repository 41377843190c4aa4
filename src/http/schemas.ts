/** Schemas shared by several routes: ids, pagination, the error body. */
import { z } from '@hono/zod-openapi';

export const IdParam = z.object({
  id: z
    .string()
    .min(1)
    .max(100)
    .openapi({ param: { name: 'id', in: 'path' }, example: '4f6c0b7e-5b0e-4a4e-9a55-0f3c8c1d2e77' }),
});

export const Pagination = z.object({
  limit: z.coerce
    .number()
    .int()
    .min(1)
    .max(200)
    .default(50)
    .openapi({ param: { name: 'limit', in: 'query' } }),
  offset: z.coerce
    .number()
    .int()
    .min(0)
    .max(1_000_000)
    .default(0)
    .openapi({ param: { name: 'offset', in: 'query' } }),
});

export const ErrorSchema = z
  .object({
    error: z.object({ code: z.string(), message: z.string(), details: z.array(z.object({ path: z.string(), message: z.string() })) }),
  })
  .openapi('Error');

export const errorResponses = {
  400: {
    description: 'Bad input: `details` names each field as `path: message`',
    content: { 'application/json': { schema: ErrorSchema } },
  },
  401: { description: 'Not signed in', content: { 'application/json': { schema: ErrorSchema } } },
  403: { description: 'Your role does not allow this', content: { 'application/json': { schema: ErrorSchema } } },
  404: { description: "Not found (or another tenant's)", content: { 'application/json': { schema: ErrorSchema } } },
  409: {
    description: 'Conflict: changed by someone else, or not allowed in this state',
    content: { 'application/json': { schema: ErrorSchema } },
  },
} as const;

export const json = <T extends z.ZodType>(schema: T, description: string) => ({ description, content: { 'application/json': { schema } } });

export const page = <T extends z.ZodType>(item: T) => z.object({ items: z.array(item), nextOffset: z.number().int().nullable() });

/** A required JSON request body. */
export const jsonBody = <B extends z.ZodType>(schema: B) => ({ content: { 'application/json': { schema } }, required: true as const });

/** Optimistic concurrency: the ETag a GET answered, sent back with a change. */
export const IfMatchHeader = z.object({
  'if-match': z.string().optional().openapi({ description: 'The ETag from GET, e.g. "v3": refused with 409 if it changed since' }),
});
