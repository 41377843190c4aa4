/**
 * Writes web/src/api/schema.d.ts: TypeScript types of every route, request and response, from
 * the server's OpenAPI document (openapi-typescript). The web app and integrators call the API
 * through them with openapi-fetch. `npm run api:types` after changing a route's schema; a test
 * fails while the file is stale.
 */
import { writeFileSync } from 'node:fs';
import { API_TYPES, apiTypesSource } from './api-types.ts';

writeFileSync(API_TYPES, await apiTypesSource());
process.stderr.write(`wrote ${API_TYPES}\n`);
