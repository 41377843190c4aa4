/** Documentation routes: thin. Authorize (policy), validate (schema), call the use case, present. */
import { OpenAPIHono } from '@hono/zod-openapi';
import { buildPackage } from '../../../app/documentation/build-package.ts';
import { downloadPackage } from '../../../app/documentation/download-package.ts';
import { listPackages } from '../../../app/documentation/list-packages.ts';
import { presentPackage } from '../../../app/documentation/package-delivery.ts';
import { bulkUpdateDocumentation } from '../../../app/documentation/bulk-update-items.ts';
import { createDocumentationItem } from '../../../app/documentation/create-item.ts';
import { deleteDocumentationItem } from '../../../app/documentation/delete-item.ts';
import { listDocumentationConnections, saveDocumentationConnection } from '../../../app/documentation/documentation-connections.ts';
import { getDocumentationImport, listDocumentationImports } from '../../../app/documentation/get-import.ts';
import { getDocumentationFile, getDocumentationItem } from '../../../app/documentation/get-item.ts';
import { listDocumentation } from '../../../app/documentation/list-items.ts';
import { startDocumentationImport } from '../../../app/documentation/start-import.ts';
import { updateDocumentationItem } from '../../../app/documentation/update-item.ts';
import { uploadDocumentationFile } from '../../../app/documentation/upload-documentation-file.ts';
import { uploadImportFile } from '../../../app/documentation/upload-import-file.ts';
import { withPolicy } from '../../authorize.ts';
import { type HttpEnv, actorOf, appOf, etag, ifMatchVersion } from '../../context.ts';
import { streamedFile } from '../../present.ts';
import { receiveFile } from '../../uploads.ts';
import { validationHook } from '../../validation.ts';
import {
  buildPackageRoute,
  bulkItemsRoute,
  downloadPackageRoute,
  listPackagesRoute,
  createItemRoute,
  deleteItemRoute,
  downloadFileRoute,
  getImportRoute,
  getItemRoute,
  listConnectionsRoute,
  listImportsRoute,
  listItemsRoute,
  saveConnectionRoute,
  startImportRoute,
  updateItemRoute,
  uploadFileRoute,
  uploadImportFileRoute,
} from './documentation.schema.ts';

export const documentationRoutes = new OpenAPIHono<HttpEnv>({ defaultHook: validationHook });

documentationRoutes.openapi(withPolicy(listItemsRoute, 'documentation.read'), async (c) =>
  c.json(await listDocumentation(appOf(c), actorOf(c), c.req.valid('param').id, c.req.valid('query')), 200),
);

documentationRoutes.openapi(withPolicy(createItemRoute, 'documentation.write'), async (c) =>
  c.json(await createDocumentationItem(appOf(c), actorOf(c), c.req.valid('param').id, c.req.valid('json')), 201),
);

documentationRoutes.openapi(withPolicy(bulkItemsRoute, 'documentation.write'), async (c) =>
  c.json(await bulkUpdateDocumentation(appOf(c), actorOf(c), c.req.valid('param').id, c.req.valid('json')), 200),
);

documentationRoutes.openapi(withPolicy(uploadFileRoute, 'documentation.write'), async (c) => {
  const query = c.req.valid('query');
  const file = await receiveFile(c, c.get('maxUploadBytes'));
  try {
    const input = {
      filename: file.filename,
      mediaType: file.mediaType,
      ...(query.owner ? { owner: query.owner } : {}),
      ...(query.mspInternal ? { mspInternal: query.mspInternal === 'true' } : {}),
      ...(query.description ? { description: query.description } : {}),
    };
    return c.json(await uploadDocumentationFile(appOf(c), actorOf(c), c.req.valid('param').id, input, file.content), 201);
  } finally {
    await file.discard();
  }
});

documentationRoutes.openapi(withPolicy(uploadImportFileRoute, 'documentation.import'), async (c) => {
  const file = await receiveFile(c, c.get('maxUploadBytes'));
  try {
    return c.json(await uploadImportFile(appOf(c), actorOf(c), c.req.valid('param').id, c.req.valid('query'), file.content), 201);
  } finally {
    await file.discard();
  }
});

documentationRoutes.openapi(withPolicy(startImportRoute, 'documentation.import'), async (c) =>
  c.json(await startDocumentationImport(appOf(c), actorOf(c), c.req.valid('param').id, c.req.valid('json')), 202),
);

documentationRoutes.openapi(withPolicy(listImportsRoute, 'documentation.read'), async (c) =>
  c.json(await listDocumentationImports(appOf(c), actorOf(c), c.req.valid('param').id), 200),
);

documentationRoutes.openapi(withPolicy(getImportRoute, 'documentation.read'), async (c) =>
  c.json(await getDocumentationImport(appOf(c), actorOf(c), c.req.valid('param').id), 200),
);

documentationRoutes.openapi(withPolicy(getItemRoute, 'documentation.read'), async (c) => {
  const item = await getDocumentationItem(appOf(c), actorOf(c), c.req.valid('param').id);
  c.header('ETag', etag(item.version));
  return c.json(item, 200);
});

documentationRoutes.openapi(withPolicy(updateItemRoute, 'documentation.write'), async (c) => {
  const item = await updateDocumentationItem(appOf(c), actorOf(c), c.req.valid('param').id, ifMatchVersion(c), c.req.valid('json'));
  c.header('ETag', etag(item.version));
  return c.json(item, 200);
});

documentationRoutes.openapi(withPolicy(deleteItemRoute, 'documentation.write'), async (c) => {
  await deleteDocumentationItem(appOf(c), actorOf(c), c.req.valid('param').id);
  return c.body(null, 204);
});

documentationRoutes.openapi(withPolicy(downloadFileRoute, 'documentation.read'), async (c) =>
  streamedFile(c, await getDocumentationFile(appOf(c), actorOf(c), c.req.valid('param').id)),
);

documentationRoutes.openapi(withPolicy(listConnectionsRoute, 'settings.read'), async (c) =>
  c.json(await listDocumentationConnections(appOf(c), actorOf(c)), 200),
);

documentationRoutes.openapi(withPolicy(saveConnectionRoute, 'settings.write'), async (c) =>
  c.json(await saveDocumentationConnection(appOf(c), actorOf(c), c.req.valid('param').platform, c.req.valid('json')), 200),
);

documentationRoutes.openapi(withPolicy(listPackagesRoute, 'documentation.read'), async (c) =>
  c.json(await listPackages(appOf(c), actorOf(c), c.req.valid('param').id), 200),
);

documentationRoutes.openapi(withPolicy(buildPackageRoute, 'documentation.write'), async (c) => {
  const built = await buildPackage(appOf(c), actorOf(c), c.req.valid('param').id, c.req.valid('json'));
  return c.json({ packages: built.map((p) => presentPackage(p, [], [])) }, 201);
});

documentationRoutes.openapi(withPolicy(downloadPackageRoute, 'documentation.read'), async (c) =>
  streamedFile(
    c,
    await downloadPackage(appOf(c), actorOf(c), c.req.valid('param').id, { ip: c.get('clientIp'), userAgent: c.req.header('user-agent') }),
  ),
);
