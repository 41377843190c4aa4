import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { API_TYPES, apiTypesSource } from '../../scripts/api-types.ts';

describe('the typed API client', () => {
  it('is generated from the OpenAPI document the server serves now (run `npm run api:types` when this fails)', async () => {
    const committed = readFileSync(API_TYPES, 'utf8');
    expect(committed === (await apiTypesSource()), 'web/src/api/schema.d.ts is stale: run `npm run api:types`').toBe(true);
  });
});
