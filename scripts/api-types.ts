import { join } from 'node:path';
import openapiTS, { astToString } from 'openapi-typescript';
import { format, resolveConfig } from 'prettier';
import { openApiDocument } from '../src/http/openapi-document.ts';

export const API_TYPES = join(import.meta.dirname, '../web/src/api/schema.d.ts');

/** The generated types, formatted as the repository formats its code. */
export async function apiTypesSource(): Promise<string> {
  const ast = await openapiTS(openApiDocument() as never);
  const header = "/* Generated from the server's OpenAPI document by `npm run api:types`: do not edit by hand. */\n";
  return format(header + astToString(ast), { ...(await resolveConfig(API_TYPES)), filepath: API_TYPES });
}
