import { createRoute, z } from '@hono/zod-openapi';
import { NewCredentialInput } from '../../../app/credentials/credentials.ts';
import { CredentialQuery } from '../../../app/credentials/list-credentials.ts';
import { RotationInput } from '../../../app/credentials/record-rotation.ts';
import { DispositionsInput } from '../../../app/credentials/set-dispositions.ts';
import { CredentialChanges } from '../../../app/credentials/update-credential.ts';
import { StartCredentialImportInput } from '../../../app/documentation/start-import.ts';
import { CREDENTIAL_KINDS, CREDENTIAL_OWNERS, CREDENTIAL_RECIPIENTS, DISPOSITIONS } from '../../../domain/credentials.ts';
import { IdParam, IfMatchHeader, errorResponses, json, jsonBody } from '../../schemas.ts';
import { AccountingInput, RecordRevocationInput } from '../../../app/credentials/manage-revocations.ts';
import { NewRevocationInput } from '../../../app/credentials/revocations.ts';
import { REVOCATION_KINDS } from '../../../domain/credentials.ts';
import { DocumentationImport } from '../documentation/documentation.schema.ts';

const tags = ['Credentials'];

export const Credential = z
  .object({
    id: z.string(),
    clientId: z.string(),
    name: z.string(),
    url: z.string().nullable(),
    username: z.string().nullable(),
    kind: z.enum(CREDENTIAL_KINDS),
    owner: z.enum(CREDENTIAL_OWNERS).nullable(),
    notes: z.string().nullable(),
    source: z.string(),
    externalId: z.string().nullable(),
    hasOtp: z.boolean().describe('Whether a TOTP seed is held (the seed itself only in a reveal)'),
    disposition: z.enum(DISPOSITIONS).nullable(),
    recipient: z.enum(CREDENTIAL_RECIPIENTS).nullable(),
    dispositionInWords: z.string().nullable(),
    dispositionBy: z.string().nullable(),
    dispositionAt: z.string().nullable(),
    secretChangedAt: z.string(),
    rotatedAt: z.string().nullable().describe('When the MSP recorded changing it before the hand-over'),
    version: z.number(),
    updatedAt: z.string(),
  })
  .openapi('Credential');

const Inventory = z
  .object({
    credentials: z.number(),
    undecided: z.number(),
    handOver: z.object({ client: z.number(), newProvider: z.number() }),
    rotateThenHandOver: z.number(),
    revoke: z.number(),
    complete: z.boolean(),
    gap: z.string().nullable().describe('Why the credential inventory is not complete, in words'),
  })
  .openapi('CredentialInventory');

const Revealed = z
  .object({ id: z.string(), name: z.string(), username: z.string().nullable(), password: z.string(), otpSecret: z.string().nullable() })
  .openapi('RevealedCredential');

export const listCredentialsRoute = createRoute({
  method: 'get',
  path: '/api/clients/{id}/credentials',
  tags,
  summary: "A client's credentials, a page at a time, never with a secret; and the inventory's counts",
  request: { params: IdParam, query: CredentialQuery },
  responses: {
    200: json(z.object({ items: z.array(Credential), next: z.string().nullable(), inventory: Inventory }), 'Credentials'),
    ...errorResponses,
  },
});

export const addCredentialRoute = createRoute({
  method: 'post',
  path: '/api/clients/{id}/credentials',
  tags,
  summary: "Add a credential to the client's vault (the secret is sealed with the client's data key)",
  request: { params: IdParam, body: jsonBody(NewCredentialInput) },
  responses: { 201: json(Credential, 'Added'), ...errorResponses },
});

export const setDispositionsRoute = createRoute({
  method: 'post',
  path: '/api/clients/{id}/credentials/dispositions',
  tags,
  summary: 'Decide what happens to credentials: hand over (to the client or the new provider), change then hand over, or revoke',
  request: { params: IdParam, body: jsonBody(DispositionsInput) },
  responses: { 200: json(z.object({ items: z.array(Credential), tasksCompleted: z.number() }), 'Decided'), ...errorResponses },
});

export const startCredentialImportRoute = createRoute({
  method: 'post',
  path: '/api/clients/{id}/credentials/imports',
  tags,
  summary: 'Import passwords from IT Glue, Hudu, ITFlow or an uploaded CSV/XLSX file into the vault; runs as a job',
  request: { params: IdParam, body: jsonBody(StartCredentialImportInput) },
  responses: { 202: json(DocumentationImport, 'Queued'), ...errorResponses },
});

export const getCredentialRoute = createRoute({
  method: 'get',
  path: '/api/credentials/{id}',
  tags,
  summary: 'One credential, without its secret (ETag for changing it)',
  request: { params: IdParam },
  responses: { 200: json(Credential, 'The credential'), ...errorResponses },
});

export const updateCredentialRoute = createRoute({
  method: 'patch',
  path: '/api/credentials/{id}',
  tags,
  summary: 'Change a credential, and its secret when given (If-Match: its ETag)',
  request: { params: IdParam, headers: IfMatchHeader, body: jsonBody(CredentialChanges) },
  responses: { 200: json(Credential, 'Changed'), ...errorResponses },
});

export const deleteCredentialRoute = createRoute({
  method: 'delete',
  path: '/api/credentials/{id}',
  tags,
  summary: 'Remove a credential from the vault',
  request: { params: IdParam },
  responses: { 204: { description: 'Removed' }, ...errorResponses },
});

export const revealCredentialRoute = createRoute({
  method: 'post',
  path: '/api/credentials/{id}/reveal',
  tags,
  summary: "Show a credential's secret (recorded: who saw which credential, when, from where)",
  request: { params: IdParam },
  responses: { 200: json(Revealed, 'The secret'), ...errorResponses },
});

export const recordRotationRoute = createRoute({
  method: 'post',
  path: '/api/credentials/{id}/rotation',
  tags,
  summary: 'Record that the credential was changed at the system, with its new secret, right before the hand-over',
  request: { params: IdParam, body: jsonBody(RotationInput) },
  responses: { 200: json(Credential, 'Recorded'), ...errorResponses },
});

export const Revocation = z
  .object({
    id: z.string(),
    offboardingId: z.string(),
    credentialId: z.string().nullable().describe('The vault credential this is, when it is one'),
    what: z.string(),
    kind: z.enum(REVOCATION_KINDS),
    task: z.enum(['access-revocation', 'mfa-cleanup']),
    revokedAt: z.string().nullable(),
    verification: z
      .record(z.string(), z.unknown())
      .nullable()
      .describe('failed-login (time, screenshot), provider-answer, or cannot-verify (reason)'),
    accounted: z.object({ by: z.string(), reason: z.string(), at: z.string() }).nullable(),
    settled: z.boolean().describe('Revoked and verified, or accounted for by a manager'),
    inWords: z.string(),
    version: z.number(),
  })
  .openapi('Revocation');

export const listRevocationsRoute = createRoute({
  method: 'get',
  path: '/api/offboardings/{id}/revocations',
  tags,
  summary: "What the MSP holds or set up for the client, to revoke at the cut-over (the vault's revoked credentials included)",
  request: { params: IdParam },
  responses: { 200: json(z.object({ items: z.array(Revocation) }), 'The revocation list'), ...errorResponses },
});

export const addRevocationRoute = createRoute({
  method: 'post',
  path: '/api/offboardings/{id}/revocations',
  tags,
  summary: 'Add something to revoke that the vault does not hold: an MFA registration, delegated admin, VPN access, an API key',
  request: { params: IdParam, body: jsonBody(NewRevocationInput) },
  responses: { 201: json(Revocation, 'Added'), ...errorResponses },
});

export const recordRevocationRoute = createRoute({
  method: 'post',
  path: '/api/revocations/{id}/revoked',
  tags,
  summary:
    'Record the revocation and how it was verified (a failed login with its time and screenshot, the provider’s answer, or why it cannot be)',
  request: { params: IdParam, body: jsonBody(RecordRevocationInput) },
  responses: { 200: json(Revocation, 'Recorded'), ...errorResponses },
});

export const accountRevocationRoute = createRoute({
  method: 'post',
  path: '/api/revocations/{id}/accounting',
  tags,
  summary: 'A manager accounts for an item that cannot be revoked or verified, with a reason',
  request: { params: IdParam, body: jsonBody(AccountingInput) },
  responses: { 200: json(Revocation, 'Accounted for'), ...errorResponses },
});
