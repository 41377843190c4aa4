/**
 * The portal's API: its own cookie and its own session table, bound to one party of one
 * offboarding. A staff session means nothing here and a portal session nothing on staff routes.
 */
import { downloadPortalPackage } from '../../../app/documentation/download-package.ts';
import { listPortalPackages } from '../../../app/documentation/list-portal-packages.ts';
import { OpenAPIHono } from '@hono/zod-openapi';
import type { Context, MiddlewareHandler } from 'hono';
import { deleteCookie, getCookie, setCookie } from 'hono/cookie';
import { getPortalView } from '../../../app/portal/get-portal-view.ts';
import {
  type PortalActor,
  endPortalSession,
  openPortalLink,
  portalActorForSession,
  requestPortalLink,
} from '../../../app/portal/portal-access.ts';
import { parseStatementKind, previewStatement, signStatement } from '../../../app/portal/sign-statement.ts';
import type { HttpEnv } from '../../context.ts';
import { errorBody } from '../../errors.ts';
import { PORTAL_COOKIE, sessionCookieOptions } from '../../session.ts';
import { validationHook } from '../../validation.ts';
import {
  openLinkRoute,
  previewStatementRoute,
  requestLinkRoute,
  signOutRoute,
  signStatementRoute,
  uploadFileRoute,
  portalMessagesRoute,
  postPortalMessageRoute,
  signingCodeRoute,
  portalCertificateRoute,
  portalPackageDownloadRoute,
  portalPackagesRoute,
  portalAttachmentRoute,
  portalChangedRoute,
  portalCredentialsRoute,
  portalExportRoute,
  portalRevealRoute,
  viewRoute,
} from './portal.schema.ts';
import { listPortalCredentials } from '../../../app/credentials/list-portal-credentials.ts';
import { confirmChanged, exportFromPortal, revealInPortal } from '../../../app/credentials/portal-handover.ts';
import { getPortalStatementFile } from '../../../app/portal/get-portal-statement-file.ts';
import { streamedFile } from '../../present.ts';
import { requestSigningCode } from '../../../app/portal/signing-code.ts';
import { listPortalMessages } from '../../../app/portal/list-messages.ts';
import { postPortalMessage } from '../../../app/portal/post-portal-message.ts';
import { uploadPortalFile } from '../../../app/portal/upload-portal-file.ts';
import { receiveFile } from '../../uploads.ts';

type PortalEnv = HttpEnv & { Variables: HttpEnv['Variables'] & { portalActor: PortalActor } };

const cookieOptions = (c: Context) => ({ ...sessionCookieOptions(c), sameSite: 'Strict' as const });

/** A portal session, or 401: staff cookies and API tokens are not read here. */
const portalSession = (): MiddlewareHandler<PortalEnv> => async (c, next) => {
  const token = getCookie(c, PORTAL_COOKIE);
  const actor = token ? await portalActorForSession(c.get('app'), token) : undefined;
  if (!actor) return c.json(errorBody('unauthenticated', 'open the link we emailed you, or ask for a new one'), 401);
  c.set('portalActor', actor);
  return next();
};

const requestOf = (c: Context<PortalEnv>) => ({ ip: c.get('clientIp'), userAgent: c.req.header('user-agent') });

export const portalRoutes = new OpenAPIHono<PortalEnv>({ defaultHook: validationHook as never });

portalRoutes.openapi(requestLinkRoute, async (c) => {
  await requestPortalLink(c.get('app'), c.req.valid('json'), c.get('clientIp'));
  return c.json({ message: 'If this address has access to a hand-over, a sign-in link is on its way.' }, 202);
});

portalRoutes.openapi(openLinkRoute, async (c) => {
  const { token, expiresAt, actor } = await openPortalLink(c.get('app'), c.req.valid('json'), requestOf(c));
  setCookie(c, PORTAL_COOKIE, token, { ...cookieOptions(c), expires: new Date(expiresAt) });
  return c.json({ expiresAt, you: { name: actor.name, email: actor.email, side: actor.side, canSign: actor.canSign } }, 201);
});

portalRoutes.openapi(signOutRoute, async (c) => {
  const token = getCookie(c, PORTAL_COOKIE);
  if (token) await endPortalSession(c.get('app'), token);
  deleteCookie(c, PORTAL_COOKIE, cookieOptions(c));
  return c.body(null, 204);
});

portalRoutes.use('/api/portal/view', portalSession());
portalRoutes.use('/api/portal/statements/*', portalSession());
portalRoutes.use('/api/portal/files', portalSession());
portalRoutes.use('/api/portal/messages', portalSession());
portalRoutes.use('/api/portal/signing-codes', portalSession());
portalRoutes.use('/api/portal/packages', portalSession());
portalRoutes.use('/api/portal/packages/*', portalSession());
portalRoutes.use('/api/portal/credentials', portalSession());
portalRoutes.use('/api/portal/credentials/*', portalSession());

portalRoutes.openapi(viewRoute, async (c) => c.json((await getPortalView(c.get('app'), c.get('portalActor'))) as never, 200));

portalRoutes.openapi(previewStatementRoute, async (c) => {
  const kind = parseStatementKind(c.req.valid('param').kind);
  return c.json(await previewStatement(c.get('app'), c.get('portalActor'), kind, c.req.valid('json')), 200);
});

portalRoutes.openapi(signStatementRoute, async (c) => {
  const kind = parseStatementKind(c.req.valid('param').kind);
  return c.json(await signStatement(c.get('app'), c.get('portalActor'), kind, c.req.valid('json'), requestOf(c)), 201);
});

portalRoutes.openapi(uploadFileRoute, async (c) => {
  const file = await receiveFile(c, c.get('maxUploadBytes'));
  try {
    const stored = await uploadPortalFile(
      c.get('app'),
      c.get('portalActor'),
      { filename: file.filename, mediaType: file.mediaType },
      file.content,
    );
    return c.json(stored, 201);
  } finally {
    await file.discard();
  }
});

portalRoutes.openapi(portalMessagesRoute, async (c) =>
  c.json((await listPortalMessages(c.get('app'), c.get('portalActor'))) as never, 200),
);

portalRoutes.openapi(postPortalMessageRoute, async (c) =>
  c.json(await postPortalMessage(c.get('app'), c.get('portalActor'), c.req.valid('json')), 201),
);

portalRoutes.openapi(signingCodeRoute, async (c) => c.json(await requestSigningCode(c.get('app'), c.get('portalActor')), 201));

portalRoutes.openapi(portalCertificateRoute, async (c) =>
  streamedFile(c, await getPortalStatementFile(c.get('app'), c.get('portalActor'), c.req.valid('param').id, 'certificate')),
);

portalRoutes.openapi(portalAttachmentRoute, async (c) =>
  streamedFile(c, await getPortalStatementFile(c.get('app'), c.get('portalActor'), c.req.valid('param').id, 'attachment')),
);

portalRoutes.openapi(portalPackagesRoute, async (c) => c.json(await listPortalPackages(c.get('app'), c.get('portalActor')), 200));

portalRoutes.openapi(portalPackageDownloadRoute, async (c) =>
  streamedFile(c, await downloadPortalPackage(c.get('app'), c.get('portalActor'), c.req.valid('param').id, requestOf(c))),
);

portalRoutes.openapi(portalCredentialsRoute, async (c) => c.json(await listPortalCredentials(c.get('app'), c.get('portalActor')), 200));

portalRoutes.openapi(portalRevealRoute, async (c) => {
  const shown = await revealInPortal(c.get('app'), c.get('portalActor'), c.req.valid('param').id, requestOf(c));
  c.header('Cache-Control', 'no-store');
  return c.json(shown, 200);
});

portalRoutes.openapi(portalExportRoute, async (c) => {
  const file = await exportFromPortal(c.get('app'), c.get('portalActor'), c.req.valid('json'), requestOf(c));
  c.header('Cache-Control', 'no-store');
  c.header('Content-Type', 'application/octet-stream');
  c.header('Content-Disposition', `attachment; filename="${file.filename}"`);
  c.header('X-Credentials-Count', String(file.count));
  return c.body(file.bytes as Uint8Array<ArrayBuffer>, 200);
});

portalRoutes.openapi(portalChangedRoute, async (c) =>
  c.json(await confirmChanged(c.get('app'), c.get('portalActor'), c.req.valid('json'), requestOf(c)), 200),
);
