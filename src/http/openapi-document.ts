/**
 * The OpenAPI document the server serves at /api/openapi.json, built without a database: the
 * typed web client (web/src/api/schema.d.ts) is generated from it, and a test checks the two agree.
 */
import type { App } from '../app/context.ts';
import { createHttpApp } from './app.ts';

export function openApiDocument(): ReturnType<ReturnType<typeof createHttpApp>['getOpenAPI31Document']> {
  // Routes only read the app when a request arrives: none does here.
  const http = createHttpApp({} as App);
  return http.getOpenAPI31Document({ openapi: '3.1.0', info: { title: 'offboard API', version: '0.1.0' } });
}
