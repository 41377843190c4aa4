import { createRoute, z } from '@hono/zod-openapi';
import { BuildPackageInput } from '../../../app/documentation/build-package.ts';
import { PACKAGE_AUDIENCES } from '../../../domain/documentation-package.ts';
import { BulkItemChanges } from '../../../app/documentation/bulk-update-items.ts';
import { DocumentationConnectionInput } from '../../../app/documentation/documentation-connections.ts';
import { ItemChanges, NewItemInput } from '../../../app/documentation/items.ts';
import { ItemQuery } from '../../../app/documentation/list-items.ts';
import { StartImportInput } from '../../../app/documentation/start-import.ts';
import { ImportFileInput } from '../../../app/documentation/upload-import-file.ts';
import { DOCUMENTATION_SECTIONS, ITEM_OWNERS } from '../../../domain/documentation.ts';
import { DOCUMENTATION_PLATFORMS } from '../../../integrations/documentation/types.ts';
import { IdParam, IfMatchHeader, errorResponses, json, jsonBody } from '../../schemas.ts';

const tags = ['Documentation'];

const multipartFile = {
  // Documented, not validated by the framework (which would read the whole body into memory): the route streams it.
  content: {
    'multipart/form-data': {
      schema: { type: 'object' as const, properties: { file: { type: 'string' as const, format: 'binary' } }, required: ['file'] },
    },
  },
  required: true,
};

export const DocumentationItem = z
  .object({
    id: z.string(),
    clientId: z.string(),
    section: z.enum(DOCUMENTATION_SECTIONS),
    name: z.string(),
    fields: z.record(z.string(), z.unknown()),
    owner: z.enum(ITEM_OWNERS).nullable(),
    mspInternal: z.boolean(),
    source: z.string(),
    externalId: z.string().nullable(),
    file: z.object({ sha256: z.string(), filename: z.string(), mediaType: z.string(), size: z.number() }).nullable(),
    version: z.number(),
    updatedAt: z.string(),
  })
  .openapi('DocumentationItem');

const Register = z
  .object({
    items: z.number(),
    unowned: z.number(),
    byOwner: z.record(z.string(), z.number()),
    mspInternal: z.number(),
    sections: z.record(z.string(), z.number()),
    complete: z.boolean(),
    gap: z.string().nullable().describe('Why the ownership register is not complete, in words'),
  })
  .openapi('OwnershipRegister');

const Problem = z.object({ row: z.string(), field: z.string(), reason: z.string() });

export const DocumentationImport = z
  .object({
    id: z.string(),
    clientId: z.string(),
    source: z.string(),
    target: z
      .enum(['documentation', 'credentials'])
      .describe('documentation (passwords found go to the vault) or credentials (the passwords only)'),
    dryRun: z.boolean(),
    status: z.enum(['queued', 'running', 'done', 'failed']),
    options: z.object({ url: z.unknown(), organization: z.unknown(), section: z.unknown(), mapping: z.unknown() }),
    progress: z.object({ done: z.number(), total: z.number().nullable(), stage: z.string() }),
    summary: z.record(z.string(), z.number()).nullable(),
    problems: z.array(Problem),
    preview: z.record(z.string(), z.unknown()).nullable(),
    error: z.string().nullable(),
    createdAt: z.string(),
    finishedAt: z.string().nullable(),
  })
  .openapi('DocumentationImport');

export const listItemsRoute = createRoute({
  method: 'get',
  path: '/api/clients/{id}/documentation',
  tags,
  summary: "A client's documentation, a page at a time, with the ownership register's counts",
  request: { params: IdParam, query: ItemQuery },
  responses: {
    200: json(z.object({ items: z.array(DocumentationItem), next: z.string().nullable(), register: Register }), 'Documentation'),
    ...errorResponses,
  },
});

export const createItemRoute = createRoute({
  method: 'post',
  path: '/api/clients/{id}/documentation',
  tags,
  summary: 'Add an item (a device, network, domain, DNS zone, vendor, license, application or runbook)',
  request: { params: IdParam, body: jsonBody(NewItemInput) },
  responses: { 201: json(DocumentationItem, 'Added'), ...errorResponses },
});

export const bulkItemsRoute = createRoute({
  method: 'post',
  path: '/api/clients/{id}/documentation/bulk',
  tags,
  summary: 'Set the owner or the MSP-internal flag of many items at once',
  request: { params: IdParam, body: jsonBody(BulkItemChanges) },
  responses: { 200: json(z.object({ changed: z.number(), tasksCompleted: z.number() }), 'Changed'), ...errorResponses },
});

export const uploadFileRoute = createRoute({
  method: 'post',
  path: '/api/clients/{id}/documentation/files',
  tags,
  summary: 'Add a file (diagram, configuration backup, audit report); owner and description in the query',
  request: {
    params: IdParam,
    query: z.object({
      owner: z.enum(ITEM_OWNERS).optional(),
      mspInternal: z.enum(['true', 'false']).optional(),
      description: z.string().max(2000).optional(),
    }),
    body: multipartFile,
  },
  responses: { 201: json(DocumentationItem, 'Added'), ...errorResponses },
});

export const uploadImportFileRoute = createRoute({
  method: 'post',
  path: '/api/clients/{id}/documentation/import-files',
  tags,
  summary: 'Upload a CSV or XLSX file to import: answers its columns, first rows and a suggested column mapping',
  request: { params: IdParam, query: ImportFileInput, body: multipartFile },
  responses: {
    201: json(
      z.object({
        file: z.string(),
        size: z.number(),
        kind: z.string(),
        section: z.string(),
        headers: z.array(z.string()),
        rows: z.number(),
        sample: z.array(z.array(z.string())),
        suggested: z.record(z.string(), z.unknown()),
      }),
      'Uploaded',
    ),
    ...errorResponses,
  },
});

export const startImportRoute = createRoute({
  method: 'post',
  path: '/api/clients/{id}/documentation/imports',
  tags,
  summary: 'Import documentation from IT Glue, Hudu, ITFlow or an uploaded file; runs as a job (dryRun says what it would do)',
  request: { params: IdParam, body: jsonBody(StartImportInput) },
  responses: { 202: json(DocumentationImport, 'Queued'), ...errorResponses },
});

export const listImportsRoute = createRoute({
  method: 'get',
  path: '/api/clients/{id}/documentation/imports',
  tags,
  summary: "A client's latest imports",
  request: { params: IdParam },
  responses: { 200: json(z.object({ items: z.array(DocumentationImport) }), 'Imports'), ...errorResponses },
});

export const getImportRoute = createRoute({
  method: 'get',
  path: '/api/documentation-imports/{id}',
  tags,
  summary: "An import's progress, and at the end what it did (or would do)",
  request: { params: IdParam },
  responses: { 200: json(DocumentationImport, 'The import'), ...errorResponses },
});

export const getItemRoute = createRoute({
  method: 'get',
  path: '/api/documentation/{id}',
  tags,
  summary: 'One documentation item (ETag for changing it)',
  request: { params: IdParam },
  responses: { 200: json(DocumentationItem, 'The item'), ...errorResponses },
});

export const updateItemRoute = createRoute({
  method: 'patch',
  path: '/api/documentation/{id}',
  tags,
  summary: 'Change an item: name, fields, owner, MSP-internal (If-Match: its ETag)',
  request: { params: IdParam, headers: IfMatchHeader, body: jsonBody(ItemChanges) },
  responses: { 200: json(DocumentationItem, 'Changed'), ...errorResponses },
});

export const deleteItemRoute = createRoute({
  method: 'delete',
  path: '/api/documentation/{id}',
  tags,
  summary: 'Remove an item',
  request: { params: IdParam },
  responses: { 204: { description: 'Removed' }, ...errorResponses },
});

export const downloadFileRoute = createRoute({
  method: 'get',
  path: '/api/documentation/{id}/file',
  tags,
  summary: "A file item's bytes",
  request: { params: IdParam },
  responses: { 200: { description: 'The file', content: { 'application/octet-stream': { schema: z.string() } } }, ...errorResponses },
});

export const PlatformParam = z.object({
  platform: z.enum(DOCUMENTATION_PLATFORMS).openapi({ param: { name: 'platform', in: 'path' } }),
});

const Connection = z
  .object({ platform: z.string(), url: z.string().nullable(), updatedAt: z.string().nullable() })
  .openapi('DocumentationConnection');

export const listConnectionsRoute = createRoute({
  method: 'get',
  path: '/api/settings/documentation',
  tags,
  summary: 'Where documentation is imported from (never the keys)',
  responses: { 200: json(z.object({ items: z.array(Connection) }), 'Connections'), ...errorResponses },
});

export const saveConnectionRoute = createRoute({
  method: 'put',
  path: '/api/settings/documentation/{platform}',
  tags,
  summary: "Save a documentation platform's URL and API key (the key is stored sealed and never shown again)",
  request: { params: PlatformParam, body: jsonBody(DocumentationConnectionInput) },
  responses: { 200: json(Connection, 'Saved'), ...errorResponses },
});

export const DocumentationPackage = z
  .object({
    id: z.string(),
    audience: z.enum(PACKAGE_AUDIENCES),
    version: z.number(),
    builtAt: z.string(),
    builtBy: z.string(),
    sha256: z.string().describe('SHA-256 of the zip, as every download receives it'),
    manifestSha256: z.string().describe('SHA-256 of manifest.json, recorded in the signed log'),
    size: z.number(),
    files: z.number(),
    items: z.number(),
    counts: z.record(z.string(), z.number()),
    downloads: z.array(z.object({ by: z.string(), at: z.string(), ip: z.string() })),
    receipts: z.array(z.object({ by: z.string(), email: z.string(), side: z.string(), at: z.string(), statementId: z.string() })),
  })
  .openapi('DocumentationPackage');

export const listPackagesRoute = createRoute({
  method: 'get',
  path: '/api/offboardings/{id}/packages',
  tags,
  summary: "Every version of an offboarding's documentation package, with its downloads and acknowledgements",
  request: { params: IdParam },
  responses: { 200: json(z.object({ packages: z.array(DocumentationPackage) }), 'Packages'), ...errorResponses },
});

export const buildPackageRoute = createRoute({
  method: 'post',
  path: '/api/offboardings/{id}/packages',
  tags,
  summary: 'Build a new version of the documentation package (for the new provider: the client’s copy is built with it)',
  request: { params: IdParam, body: jsonBody(BuildPackageInput) },
  responses: { 201: json(z.object({ packages: z.array(DocumentationPackage) }), 'The versions built'), ...errorResponses },
});

export const downloadPackageRoute = createRoute({
  method: 'get',
  path: '/api/documentation-packages/{id}/download',
  tags,
  summary: 'A package version as a zip (the download is recorded)',
  request: { params: IdParam },
  responses: { 200: { description: 'The zip', content: { 'application/zip': { schema: z.string() } } }, ...errorResponses },
});
