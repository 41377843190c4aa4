import { DocumentationPackage } from '../documentation/documentation.schema.ts';
import { createRoute, z } from '@hono/zod-openapi';
import { MessageInput } from '../../../app/portal/conversation.ts';
import { Message, MessagePosted } from '../parties/parties.schema.ts';
import { OpenPortalLinkInput, RequestPortalLinkInput } from '../../../app/portal/portal-access.ts';
import { STATEMENT_KIND_VALUES, SignStatementInput, StatementDetailsInput } from '../../../app/portal/sign-statement.ts';
import { errorResponses, json, jsonBody } from '../../schemas.ts';
import { ChangedInput, ExportInput } from '../../../app/credentials/portal-handover.ts';

const tags = ['Portal'];
const security = [{ portalSession: [] }];

export const KindParam = z.object({
  kind: z
    .string()
    .min(1)
    .max(60)
    .openapi({ param: { name: 'kind', in: 'path' }, description: STATEMENT_KIND_VALUES.join(', ') }),
});

const You = z.object({ name: z.string(), email: z.string(), side: z.enum(['client', 'new-provider']), canSign: z.boolean() });

const PortalView = z
  .object({
    waitingFor: z.literal('authorization').nullable().describe('The new provider sees nothing else until the client authorizes'),
    you: You,
    mspName: z.string(),
    offboarding: z
      .object({
        clientName: z.string(),
        newProvider: z.string().nullable(),
        timeZone: z.string(),
        today: z.string(),
        endDate: z.string(),
        revocationDate: z.string(),
        proposedCutover: z.string().nullable().describe('A date the MSP proposed to end its access early, awaiting the client'),
        accessEndsOn: z.string().describe('The agreed revocation date, or the earlier date the client agreed to'),
        status: z.string(),
        authorization: z.object({ signedAt: z.string(), scopes: z.array(z.string()) }).nullable(),
      })
      .nullable(),
    steps: z.array(
      z.object({
        key: z.string(),
        words: z.string(),
        due: z.string(),
        state: z.enum(['done', 'skipped', 'under-way', 'waiting-on-you', 'waiting-on-new-provider', 'not-started']),
        waitingFor: z.string().nullable(),
      }),
    ),
    signable: z.array(z.string()),
    signingCodeRequired: z.boolean().describe('Signing also needs a one-time code emailed on request (POST /api/portal/signing-codes)'),
    statements: z.array(
      z.object({
        id: z.string(),
        kind: z.string().nullable(),
        party: z.string(),
        how: z.string(),
        signerName: z.string(),
        signerEmail: z.string(),
        signedAt: z.string(),
        statementSha256: z.string(),
        hasCertificate: z.boolean(),
        attachment: z.object({ filename: z.string(), sha256: z.string() }).nullable(),
      }),
    ),
  })
  .openapi('PortalView');

export const requestLinkRoute = createRoute({
  method: 'post',
  path: '/api/portal/link-requests',
  tags,
  summary: 'Email me a sign-in link (the answer is the same whether or not the address is known)',
  request: { body: jsonBody(RequestPortalLinkInput) },
  responses: { 202: json(z.object({ message: z.string() }), 'Accepted'), 429: { description: 'Too many requests' }, ...errorResponses },
});

export const openLinkRoute = createRoute({
  method: 'post',
  path: '/api/portal/sessions',
  tags,
  summary: 'Exchange an emailed link’s token for a portal session (the link works once)',
  request: { body: jsonBody(OpenPortalLinkInput) },
  responses: { 201: json(z.object({ expiresAt: z.string(), you: You }), 'Signed in'), ...errorResponses },
});

export const signOutRoute = createRoute({
  method: 'post',
  path: '/api/portal/sign-out',
  tags,
  summary: 'End this portal session',
  responses: { 204: { description: 'Signed out' } },
});

export const viewRoute = createRoute({
  method: 'get',
  path: '/api/portal/view',
  tags,
  security,
  summary: 'The hand-over as this person sees it',
  responses: { 200: json(PortalView, 'The view'), ...errorResponses },
});

export const previewStatementRoute = createRoute({
  method: 'post',
  path: '/api/portal/statements/{kind}/preview',
  tags,
  security,
  summary: 'The exact text a statement would have with these details, and its SHA-256',
  request: { params: KindParam, body: jsonBody(StatementDetailsInput) },
  responses: {
    200: json(z.object({ kind: z.string(), version: z.number().int(), text: z.string(), statementSha256: z.string() }), 'The text'),
    ...errorResponses,
  },
});

export const signStatementRoute = createRoute({
  method: 'post',
  path: '/api/portal/statements/{kind}',
  tags,
  security,
  summary: 'Sign a statement: the SHA-256 of the text shown, the typed full name, intent and consent',
  request: { params: KindParam, body: jsonBody(SignStatementInput) },
  responses: {
    201: json(
      z.object({ id: z.string(), kind: z.string(), version: z.number().int(), statementSha256: z.string(), signedAt: z.string() }),
      'Signed',
    ),
    ...errorResponses,
  },
});

export const uploadFileRoute = createRoute({
  method: 'post',
  path: '/api/portal/files',
  tags,
  security,
  summary: 'Upload a file to sign a statement with (the restore report, the evidence of coverage); then name its id as attachmentId',
  request: {
    // Documented, not validated by the framework (which would read the whole body into memory): the route streams it.
    body: {
      content: {
        'multipart/form-data': {
          schema: { type: 'object', properties: { file: { type: 'string', format: 'binary' } }, required: ['file'] },
        },
      },
      required: true,
    },
  },
  responses: {
    201: json(
      z.object({ id: z.string(), sha256: z.string(), size: z.number().int(), filename: z.string(), mediaType: z.string() }),
      'Uploaded',
    ),
    ...errorResponses,
  },
});

export const portalMessagesRoute = createRoute({
  method: 'get',
  path: '/api/portal/messages',
  tags,
  security,
  summary: 'The conversation between the MSP and the new provider, the client in it (the new provider: once authorized)',
  responses: { 200: json(z.object({ items: z.array(Message) }), 'Messages'), ...errorResponses },
});

export const postPortalMessageRoute = createRoute({
  method: 'post',
  path: '/api/portal/messages',
  tags,
  security,
  summary: 'Write in the conversation; everyone in it receives the message by email',
  request: { body: jsonBody(MessageInput) },
  responses: { 201: json(MessagePosted, 'Posted and emailed'), ...errorResponses },
});

export const signingCodeRoute = createRoute({
  method: 'post',
  path: '/api/portal/signing-codes',
  tags,
  security,
  summary: 'Email a one-time code to sign with (when the MSP asks for one); valid 10 minutes, five tries',
  responses: { 201: json(z.object({ sentTo: z.string(), expiresAt: z.string() }), 'Sent'), ...errorResponses },
});

const StatementIdParam = z.object({
  id: z
    .string()
    .min(1)
    .max(100)
    .openapi({ param: { name: 'id', in: 'path' } }),
});

export const portalCertificateRoute = createRoute({
  method: 'get',
  path: '/api/portal/statements/{id}/certificate',
  tags,
  security,
  summary: 'Download a statement’s signing certificate (PDF)',
  request: { params: StatementIdParam },
  responses: { 200: { description: 'The PDF, with its SHA-256 in X-Content-SHA256' }, ...errorResponses },
});

export const portalAttachmentRoute = createRoute({
  method: 'get',
  path: '/api/portal/statements/{id}/attachment',
  tags,
  security,
  summary: 'Download the file signed with a statement (the restore report, the evidence of coverage)',
  request: { params: StatementIdParam },
  responses: { 200: { description: 'The file, with its SHA-256 in X-Content-SHA256' }, ...errorResponses },
});

/** Every portal route, and whether it needs a portal session (the security tests walk this). */
export const portalPackagesRoute = createRoute({
  method: 'get',
  path: '/api/portal/packages',
  tags,
  security,
  summary: 'The documentation packages you may download, who downloaded and acknowledged each, and the one to acknowledge now',
  responses: {
    200: json(z.object({ packages: z.array(DocumentationPackage), toAcknowledge: z.string().nullable() }), 'Packages'),
    ...errorResponses,
  },
});

export const portalPackageDownloadRoute = createRoute({
  method: 'get',
  path: '/api/portal/packages/{id}/download',
  tags,
  security,
  summary: 'Download a documentation package (zip, SHA-256 in X-Content-SHA256); the download is recorded',
  request: { params: StatementIdParam },
  responses: { 200: { description: 'The zip' }, ...errorResponses },
});

const PortalCredential = z
  .object({
    id: z.string(),
    name: z.string(),
    url: z.string().nullable(),
    username: z.string().nullable(),
    kind: z.string(),
    hasOtp: z.boolean(),
    to: z.enum(['client', 'new-provider']).describe('Who it is handed to (the client receives everything the new provider does)'),
    state: z.enum(['available', 'waiting-for-change']).describe('waiting-for-change: the MSP changes it first, then it is yours'),
    taken: z
      .object({ how: z.enum(['reveal', 'export']), at: z.string() })
      .nullable()
      .describe('When your side first took its current secret'),
    shownToYouAt: z.string().nullable(),
    changedAt: z.string().nullable().describe('When its recipient confirmed changing it'),
    youConfirmChange: z.boolean(),
  })
  .openapi('PortalCredential');

export const portalCredentialsRoute = createRoute({
  method: 'get',
  path: '/api/portal/credentials',
  tags,
  security,
  summary: 'The credentials handed to your side, never a secret: whether each is yours to take, taken, changed; and what to acknowledge',
  responses: {
    200: json(
      z.object({
        items: z.array(PortalCredential),
        mayTake: z.boolean(),
        toAcknowledge: z.object({ count: z.number(), sha256: z.string() }).nullable(),
        acknowledged: z.array(z.object({ signerName: z.string(), signedAt: z.string(), count: z.number(), sha256: z.string() })),
      }),
      'Credentials',
    ),
    ...errorResponses,
  },
});

export const portalRevealRoute = createRoute({
  method: 'post',
  path: '/api/portal/credentials/{id}/reveal',
  tags,
  security,
  summary: 'See one secret, once (recorded with the time and your address); a second time is refused: use the encrypted export',
  request: { params: StatementIdParam },
  responses: {
    200: json(
      z.object({
        id: z.string(),
        name: z.string(),
        url: z.string().nullable(),
        username: z.string().nullable(),
        password: z.string(),
        otpSecret: z.string().nullable(),
      }),
      'The secret',
    ),
    ...errorResponses,
  },
});

export const portalExportRoute = createRoute({
  method: 'post',
  path: '/api/portal/credentials/export',
  tags,
  security,
  summary: 'Every credential yours to take, as a CSV encrypted with age for your passphrase or age public key (recorded)',
  request: { body: jsonBody(ExportInput) },
  responses: { 200: { description: 'The age-encrypted CSV (application/octet-stream)' }, ...errorResponses },
});

export const portalChangedRoute = createRoute({
  method: 'post',
  path: '/api/portal/credentials/changed',
  tags,
  security,
  summary: 'Confirm that you changed credentials you took (some, or all)',
  request: { body: jsonBody(ChangedInput) },
  responses: { 200: json(z.object({ confirmed: z.number() }), 'Confirmed'), ...errorResponses },
});

export const PORTAL_ROUTES = [
  requestLinkRoute,
  openLinkRoute,
  signOutRoute,
  viewRoute,
  previewStatementRoute,
  signStatementRoute,
  uploadFileRoute,
  portalMessagesRoute,
  postPortalMessageRoute,
  signingCodeRoute,
  portalCertificateRoute,
  portalAttachmentRoute,
  portalPackagesRoute,
  portalPackageDownloadRoute,
  portalCredentialsRoute,
  portalRevealRoute,
  portalExportRoute,
  portalChangedRoute,
].map((r) => ({
  method: r.method.toUpperCase(),
  path: r.path.replace(/\{(\w+)\}/g, ':$1'),
  needsSession: 'security' in r,
}));
