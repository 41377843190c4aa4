/** Credential vault routes: thin. Authorize (policy), validate (schema), call the use case, present. */
import { OpenAPIHono } from '@hono/zod-openapi';
import { addCredential } from '../../../app/credentials/add-credential.ts';
import { deleteCredential } from '../../../app/credentials/delete-credential.ts';
import { getCredential, listCredentials } from '../../../app/credentials/list-credentials.ts';
import { recordRotation } from '../../../app/credentials/record-rotation.ts';
import { revealCredential } from '../../../app/credentials/reveal-credential.ts';
import { setDispositions } from '../../../app/credentials/set-dispositions.ts';
import { updateCredential } from '../../../app/credentials/update-credential.ts';
import { startCredentialImport } from '../../../app/documentation/start-import.ts';
import { NotFoundError } from '../../../domain/errors.ts';
import { withPolicy } from '../../authorize.ts';
import { type HttpEnv, actorOf, appOf, etag, ifMatchVersion } from '../../context.ts';
import { validationHook } from '../../validation.ts';
import {
  addCredentialRoute,
  deleteCredentialRoute,
  getCredentialRoute,
  listCredentialsRoute,
  recordRotationRoute,
  revealCredentialRoute,
  setDispositionsRoute,
  startCredentialImportRoute,
  updateCredentialRoute,
  accountRevocationRoute,
  addRevocationRoute,
  listRevocationsRoute,
  recordRevocationRoute,
} from './credentials.schema.ts';
import { accountForRevocation, addRevocation, listRevocations, recordRevocation } from '../../../app/credentials/manage-revocations.ts';

export const credentialRoutes = new OpenAPIHono<HttpEnv>({ defaultHook: validationHook });

credentialRoutes.openapi(withPolicy(listCredentialsRoute, 'credentials.read'), async (c) =>
  c.json(await listCredentials(appOf(c), actorOf(c), c.req.valid('param').id, c.req.valid('query')), 200),
);

credentialRoutes.openapi(withPolicy(addCredentialRoute, 'credentials.write'), async (c) =>
  c.json(await addCredential(appOf(c), actorOf(c), c.req.valid('param').id, c.req.valid('json')), 201),
);

credentialRoutes.openapi(withPolicy(setDispositionsRoute, 'credentials.write'), async (c) =>
  c.json(await setDispositions(appOf(c), actorOf(c), c.req.valid('param').id, c.req.valid('json')), 200),
);

credentialRoutes.openapi(withPolicy(startCredentialImportRoute, 'credentials.import'), async (c) =>
  c.json(await startCredentialImport(appOf(c), actorOf(c), c.req.valid('param').id, c.req.valid('json')), 202),
);

credentialRoutes.openapi(withPolicy(getCredentialRoute, 'credentials.read'), async (c) => {
  const id = c.req.valid('param').id;
  const credential = await getCredential(appOf(c), actorOf(c), id);
  if (!credential) throw new NotFoundError('credential', id);
  c.header('ETag', etag(credential.version));
  return c.json(credential, 200);
});

credentialRoutes.openapi(withPolicy(updateCredentialRoute, 'credentials.write'), async (c) => {
  const credential = await updateCredential(appOf(c), actorOf(c), c.req.valid('param').id, ifMatchVersion(c), c.req.valid('json'));
  c.header('ETag', etag(credential.version));
  return c.json(credential, 200);
});

credentialRoutes.openapi(withPolicy(deleteCredentialRoute, 'credentials.write'), async (c) => {
  await deleteCredential(appOf(c), actorOf(c), c.req.valid('param').id);
  return c.body(null, 204);
});

credentialRoutes.openapi(withPolicy(revealCredentialRoute, 'credentials.reveal'), async (c) => {
  const revealed = await revealCredential(appOf(c), actorOf(c), c.req.valid('param').id, { ip: c.get('clientIp') });
  // A secret is for the eyes that asked, never for a cache.
  c.header('Cache-Control', 'no-store');
  return c.json(revealed, 200);
});

credentialRoutes.openapi(withPolicy(recordRotationRoute, 'credentials.write'), async (c) =>
  c.json(await recordRotation(appOf(c), actorOf(c), c.req.valid('param').id, c.req.valid('json')), 200),
);

credentialRoutes.openapi(withPolicy(listRevocationsRoute, 'credentials.read'), async (c) =>
  c.json(await listRevocations(appOf(c), actorOf(c), c.req.valid('param').id), 200),
);

credentialRoutes.openapi(withPolicy(addRevocationRoute, 'credentials.write'), async (c) =>
  c.json(await addRevocation(appOf(c), actorOf(c), c.req.valid('param').id, c.req.valid('json')), 201),
);

credentialRoutes.openapi(withPolicy(recordRevocationRoute, 'credentials.write'), async (c) =>
  c.json(await recordRevocation(appOf(c), actorOf(c), c.req.valid('param').id, c.req.valid('json')), 200),
);

// Accounting for what cannot be verified is a manager's call, as waiving a task is.
credentialRoutes.openapi(withPolicy(accountRevocationRoute, 'tasks.waive'), async (c) =>
  c.json(await accountForRevocation(appOf(c), actorOf(c), c.req.valid('param').id, c.req.valid('json')), 200),
);
