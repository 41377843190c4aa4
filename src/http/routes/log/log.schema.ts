import { createRoute, z } from '@hono/zod-openapi';
import { errorResponses, json } from '../../schemas.ts';

const IdParam = z.object({ id: z.string().min(1).max(100) });
const Count = z.coerce.number().int().nonnegative();

const Checkpoint = z.object({ size: z.number(), note: z.string(), reason: z.string(), signedAt: z.string() }).openapi('Checkpoint');
const LogStatus = z
  .object({
    origin: z.string(),
    size: z.number(),
    root: z.string().describe('base64 SHA-256 root of the tree at this size'),
    verifierKeys: z.array(
      z.object({ verifierKey: z.string().describe('C2SP verifier key: name+keyid+base64'), active: z.boolean(), createdAt: z.string() }),
    ),
    lastCheckpoint: Checkpoint.nullable(),
  })
  .openapi('LogStatus');
const Proof = z.object({ hashes: z.array(z.string()).describe('base64 SHA-256 hashes, RFC 9162 order') }).openapi('Proof');

export const getLogStatus = createRoute({
  method: 'get',
  path: '/api/log',
  tags: ['log'],
  summary: "The MSP's transparency log: size, root, verifier keys, last signed checkpoint",
  responses: { 200: json(LogStatus, 'The log'), ...errorResponses },
});
export const listCheckpoints = createRoute({
  method: 'get',
  path: '/api/log/checkpoints',
  tags: ['log'],
  summary: 'Every signed checkpoint (C2SP signed notes), oldest first',
  responses: { 200: json(z.object({ items: z.array(Checkpoint) }), 'Checkpoints'), ...errorResponses },
});
export const getInclusionProof = createRoute({
  method: 'get',
  path: '/api/log/proofs/inclusion',
  tags: ['log'],
  summary: 'Inclusion proof of the event with sequence number index + 1 in the tree of `size` leaves',
  request: { query: z.object({ index: Count, size: Count }) },
  responses: { 200: json(Proof, 'The proof'), ...errorResponses },
});
export const getConsistencyProof = createRoute({
  method: 'get',
  path: '/api/log/proofs/consistency',
  tags: ['log'],
  summary: 'Consistency proof from the tree of `from` leaves to the tree of `to` leaves',
  request: { query: z.object({ from: Count, to: Count }) },
  responses: { 200: json(Proof, 'The proof'), ...errorResponses },
});
export const rotateLogKey = createRoute({
  method: 'post',
  path: '/api/log/keys/rotate',
  tags: ['log'],
  summary: 'Sign from now on with a new key; old keys stay valid for what they signed',
  responses: { 200: json(z.object({ verifierKey: z.string() }), 'The new verifier key'), ...errorResponses },
});
export const exportEvidenceRoute = createRoute({
  method: 'get',
  path: '/api/offboardings/{id}/evidence',
  tags: ['log'],
  summary: "The offboarding's evidence bundle (zip): events, inclusion proofs, signed checkpoints, consistency proofs, artifact digests",
  request: { params: IdParam, query: z.object({ includeFiles: z.enum(['true', 'false']).optional() }) },
  responses: { 200: { description: 'The bundle (application/zip); verify it with `offboard verify`' }, ...errorResponses },
});
