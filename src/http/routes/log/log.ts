import { OpenAPIHono } from '@hono/zod-openapi';
import { exportEvidence } from '../../../app/log/export-evidence.ts';
import { logStatus, rotateSigningKey } from '../../../app/log/transparency-log.ts';
import { consistencyProofOf, inclusionProofOf } from '../../../app/log/get-proofs.ts';
import { listCheckpoints as readCheckpoints } from '../../../app/log/list-checkpoints.ts';
import { encodeBase64 } from '../../../domain/signed-note.ts';
import { isoInstant } from '../../../app/present.ts';
import { withPolicy } from '../../authorize.ts';
import { type HttpEnv, actorOf, appOf } from '../../context.ts';
import { validationHook } from '../../validation.ts';
import { exportEvidenceRoute, getConsistencyProof, getInclusionProof, getLogStatus, listCheckpoints, rotateLogKey } from './log.schema.ts';

export const logRoutes = new OpenAPIHono<HttpEnv>({ defaultHook: validationHook });

logRoutes.openapi(withPolicy(getLogStatus, 'log.read'), async (c) => c.json(await logStatus(appOf(c), actorOf(c).tenantId), 200));
logRoutes.openapi(withPolicy(listCheckpoints, 'log.read'), async (c) => {
  const rows = await readCheckpoints(appOf(c), actorOf(c));
  return c.json({ items: rows.map((r) => ({ size: r.size, note: r.note, reason: r.reason, signedAt: isoInstant(r.signedAt) })) }, 200);
});
logRoutes.openapi(withPolicy(getInclusionProof, 'log.read'), async (c) => {
  const { index, size } = c.req.valid('query');
  return c.json({ hashes: (await inclusionProofOf(appOf(c), actorOf(c), index, size)).map(encodeBase64) }, 200);
});
logRoutes.openapi(withPolicy(getConsistencyProof, 'log.read'), async (c) => {
  const { from, to } = c.req.valid('query');
  return c.json({ hashes: (await consistencyProofOf(appOf(c), actorOf(c), from, to)).map(encodeBase64) }, 200);
});
logRoutes.openapi(withPolicy(rotateLogKey, 'log.rotate-key'), async (c) => c.json(await rotateSigningKey(appOf(c), actorOf(c)), 200));
logRoutes.openapi(withPolicy(exportEvidenceRoute, 'evidence.export'), async (c) => {
  const { id } = c.req.valid('param');
  const result = await exportEvidence(appOf(c), actorOf(c), id, { includeFiles: c.req.valid('query').includeFiles === 'true' });
  return c.body(new Uint8Array(result.zip), 200, {
    'content-type': 'application/zip',
    'content-disposition': `attachment; filename="${result.filename}"`,
    'x-content-sha256': result.sha256,
  });
});
