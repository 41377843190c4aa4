/**
 * HaloPSA webhooks carry no signature: Halo offers no authentication or Basic auth, so the
 * connection requires both Basic credentials and a secret path segment in the webhook URL.
 * The nested `client` object is not confirmed by Halo's documentation; `inactive` is read when present.
 */
import { createHash } from 'node:crypto';
import { z } from 'zod';
import { type PsaAdapter, parseWith, sameBytes } from './types.ts';

const digest = (value: string): Buffer => createHash('sha256').update(value).digest();

const Webhook = z.object({
  id: z.string().min(1),
  event: z.string().optional(),
  object_id: z.union([z.number(), z.string()]).transform(String).optional(),
  timestamp: z.string().optional(),
  client: z
    .object({
      id: z.union([z.number(), z.string()]).transform(String),
      name: z.string().optional(),
      inactive: z.boolean().optional(),
    })
    .optional(),
});

export const halopsa: PsaAdapter = {
  authenticate(request, credentials) {
    const { basicUserSha256, basicPasswordSha256, urlSecretSha256 } = credentials;
    if (!basicUserSha256 || !basicPasswordSha256 || !urlSecretSha256) return { ok: false, reason: 'the connection has no credentials' };
    if (!request.urlSecret || !sameBytes(Buffer.from(urlSecretSha256, 'hex'), digest(request.urlSecret)))
      return { ok: false, reason: 'the URL secret does not match' };
    const basic = /^Basic\s+(\S+)$/i.exec(request.header('authorization') ?? '')?.[1];
    if (!basic) return { ok: false, reason: 'no Basic authorization' };
    const decoded = Buffer.from(basic, 'base64').toString('utf8');
    const colon = decoded.indexOf(':');
    const user = colon < 0 ? decoded : decoded.slice(0, colon);
    const password = colon < 0 ? '' : decoded.slice(colon + 1);
    // Both compared, always, so the time taken says nothing about which one was wrong.
    const userOk = sameBytes(Buffer.from(basicUserSha256, 'hex'), digest(user));
    const passwordOk = sameBytes(Buffer.from(basicPasswordSha256, 'hex'), digest(password));
    return userOk && passwordOk ? { ok: true } : { ok: false, reason: 'the Basic credentials do not match' };
  },
  parse(payload) {
    const hook = parseWith(Webhook, payload);
    const event = (hook.event ?? '').toLowerCase();
    if (!hook.client && !event.startsWith('client')) return { ignored: `event ${hook.event ?? '(none)'} is not about a client` };
    const id = hook.client?.id ?? hook.object_id;
    if (!id) return { ignored: 'the event names no client' };
    return {
      eventId: hook.id,
      action: event.includes('deleted') ? 'deleted' : event.includes('created') || event.includes('added') ? 'added' : 'updated',
      company: { id, name: hook.client?.name },
      inactive: hook.client?.inactive,
      occurredAt: hook.timestamp,
    };
  },
};
