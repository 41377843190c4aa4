/**
 * The generic webhook, for any PSA or script: the Standard Webhooks scheme. Headers
 * `webhook-id`, `webhook-timestamp` (Unix seconds) and `webhook-signature: v1,<base64>`, the
 * signature being HMAC-SHA256 over `id.timestamp.body` with the connection's secret
 * (`whsec_<base64>`). A timestamp more than five minutes away is stale; the same id and
 * timestamp seen again is a replay (a sender's retry signs a new timestamp).
 */
import { randomBytes } from 'node:crypto';
import { z } from 'zod';
import { type PsaAdapter, hmac, parseWith, sameBytes } from './types.ts';

export const TOLERANCE_SECONDS = 5 * 60;

export const newGenericSecret = (): string => `whsec_${randomBytes(32).toString('base64')}`;

export const secretKeyBytes = (secret: string): Buffer => Buffer.from(secret.replace(/^whsec_/, ''), 'base64');

/** The headers a sender puts on a body (what our tests and the README's example use). */
export function signGeneric(secret: string, id: string, timestampSeconds: number, body: string | Buffer): Record<string, string> {
  const signature = hmac(
    'sha256',
    secretKeyBytes(secret),
    Buffer.concat([Buffer.from(`${id}.${timestampSeconds}.`), Buffer.from(body)]),
  ).toString('base64');
  return { 'webhook-id': id, 'webhook-timestamp': String(timestampSeconds), 'webhook-signature': `v1,${signature}` };
}

const Event = z.object({
  type: z.string().min(1).max(100).optional(),
  company: z.object({ id: z.union([z.number(), z.string().min(1).max(200)]).transform(String), name: z.string().max(200).optional() }),
  status: z.string().min(1).max(200).optional(),
  inactive: z.boolean().optional(),
  occurredAt: z.iso.datetime({ offset: true }).optional(),
});

export const generic: PsaAdapter = {
  authenticate(request, credentials) {
    const id = request.header('webhook-id');
    const timestamp = request.header('webhook-timestamp');
    const signatures = request.header('webhook-signature');
    if (!id || !timestamp || !signatures) return { ok: false, reason: 'webhook-id, webhook-timestamp and webhook-signature are required' };
    if (!credentials.secret) return { ok: false, reason: 'the connection has no secret' };
    const seconds = Number(timestamp);
    if (!Number.isInteger(seconds)) return { ok: false, reason: 'webhook-timestamp must be Unix seconds' };
    if (Math.abs(request.receivedAt / 1000 - seconds) > TOLERANCE_SECONDS)
      return { ok: false, reason: 'webhook-timestamp is stale (more than 5 minutes away)' };
    const expected = hmac('sha256', secretKeyBytes(credentials.secret), Buffer.concat([Buffer.from(`${id}.${seconds}.`), request.body]));
    const match = signatures
      .split(' ')
      .map((s) => s.split(','))
      .some(([version, value]) => version === 'v1' && value !== undefined && sameBytes(expected, Buffer.from(value, 'base64')));
    return match ? { ok: true, eventId: id, replayKey: `${id}.${seconds}` } : { ok: false, reason: 'webhook-signature does not match' };
  },
  parse(payload) {
    const event = parseWith(Event, payload);
    const type = (event.type ?? 'company.updated').toLowerCase();
    return {
      eventId: '',
      action: type.endsWith('deleted') ? 'deleted' : type.endsWith('created') ? 'added' : 'updated',
      company: event.company,
      status: event.status !== undefined ? { name: event.status } : undefined,
      inactive: event.inactive,
      occurredAt: event.occurredAt,
    };
  },
};
