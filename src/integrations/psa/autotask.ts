/**
 * Autotask PSA company webhooks: `X-Hook-Signature: sha1=<base64(HMAC-SHA1(SecretKey, raw body))>`.
 * The spelling of keys inside `Fields` is not confirmed by Autotask's documentation, so both
 * `IsActive` and `isActive` are read.
 */
import { z } from 'zod';
import { type PsaAdapter, hmac, parseWith, sameBytes } from './types.ts';

const Webhook = z.object({
  Action: z.string().transform((a) => a.toLowerCase()),
  Guid: z.string().min(1),
  EntityType: z.string(),
  Id: z.union([z.number(), z.string()]).transform(String),
  Fields: z.record(z.string(), z.unknown()).default({}),
  EventTime: z.string().optional(),
  SequenceNumber: z.union([z.number(), z.string()]).transform(String).optional(),
});

const ACTIONS = { create: 'added', update: 'updated', delete: 'deleted' } as const;

export const autotask: PsaAdapter = {
  authenticate(request, credentials) {
    const header = request.header('x-hook-signature');
    if (!header) return { ok: false, reason: 'no X-Hook-Signature header' };
    if (!credentials.secret) return { ok: false, reason: 'the connection has no secret key' };
    const received = Buffer.from(header.trim().replace(/^sha1=/i, ''), 'base64');
    return sameBytes(hmac('sha1', credentials.secret, request.body), received)
      ? { ok: true }
      : { ok: false, reason: 'X-Hook-Signature does not match' };
  },
  parse(payload) {
    const hook = parseWith(Webhook, payload);
    if (hook.EntityType.toLowerCase() !== 'company') return { ignored: `a ${hook.EntityType} event, not a company` };
    const action = ACTIONS[hook.Action as keyof typeof ACTIONS];
    if (!action) return { ignored: `action ${hook.Action}` };
    const active = hook.Fields.IsActive ?? hook.Fields.isActive;
    const name = hook.Fields.CompanyName ?? hook.Fields.companyName;
    return {
      // The Guid names the webhook, not the event: the company, the sequence number and the time make it one event.
      eventId: [hook.Guid, hook.Id, hook.SequenceNumber ?? '', hook.EventTime ?? ''].join(':'),
      action,
      company: { id: hook.Id, name: typeof name === 'string' ? name : undefined },
      inactive: typeof active === 'boolean' ? !active : undefined,
      occurredAt: hook.EventTime,
    };
  },
};
