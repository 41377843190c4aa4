/**
 * ConnectWise PSA (Manage) company callbacks. The body's `x-content-signature` is
 * base64(HMAC-SHA256(key = SHA-256(signing key), raw body)); the signing key is fetched from
 * the payload's `Metadata.key_url`, but only from an origin on the connection's allowlist (any
 * other URL would let a stranger make us fetch what they like).
 */
import { createHash } from 'node:crypto';
import { z } from 'zod';
import { guardedFetch } from '../outbound.ts';
import { type Authenticity, type PsaAdapter, type PsaCredentials, type WebhookRequest, hmac, parseWith, sameBytes } from './types.ts';

const KEY_CACHE_MS = 10 * 60_000;
const keyCache = new Map<string, { key: string; until: number }>();

async function signingKey(keyUrl: string, now: number): Promise<string> {
  const cached = keyCache.get(keyUrl);
  if (cached && cached.until > now) return cached.key;
  const response = await guardedFetch(keyUrl, {
    redirect: 'error',
    signal: AbortSignal.timeout(5_000),
    headers: { accept: 'application/json' },
  });
  if (!response.ok) throw new Error(`the key URL answered ${response.status}`);
  const { signing_key: key } = z.object({ signing_key: z.string().min(1) }).parse(await response.json());
  keyCache.set(keyUrl, { key, until: now + KEY_CACHE_MS });
  return key;
}

function keyUrlOf(body: Buffer): string | undefined {
  try {
    const payload = JSON.parse(body.toString('utf8')) as { Metadata?: { key_url?: unknown } };
    return typeof payload.Metadata?.key_url === 'string' ? payload.Metadata.key_url : undefined;
  } catch {
    return undefined;
  }
}

async function authenticate(request: WebhookRequest, credentials: PsaCredentials): Promise<Authenticity> {
  const signature = request.header('x-content-signature');
  if (!signature) return { ok: false, reason: 'no x-content-signature header' };
  const keyUrl = keyUrlOf(request.body);
  if (!keyUrl) return { ok: false, reason: 'no Metadata.key_url in the payload' };
  let origin: string;
  try {
    origin = new URL(keyUrl).origin;
  } catch {
    return { ok: false, reason: 'Metadata.key_url is not a URL' };
  }
  if (!(credentials.keyUrlOrigins ?? []).includes(origin)) return { ok: false, reason: `key_url origin ${origin} is not on the allowlist` };
  let key: string;
  try {
    key = await signingKey(keyUrl, request.receivedAt);
  } catch (error) {
    return { ok: false, reason: `could not fetch the signing key: ${error instanceof Error ? error.message : String(error)}` };
  }
  const expected = hmac('sha256', createHash('sha256').update(key).digest(), request.body);
  return sameBytes(expected, Buffer.from(signature.trim(), 'base64'))
    ? { ok: true }
    : { ok: false, reason: 'x-content-signature does not match' };
}

const Entity = z.object({
  id: z.union([z.number(), z.string()]).transform(String),
  identifier: z.string().optional(),
  name: z.string().optional(),
  status: z.object({ id: z.union([z.number(), z.string()]).transform(String).optional(), name: z.string().optional() }).optional(),
  deletedFlag: z.boolean().optional(),
});

const Callback = z.object({
  MessageId: z.string().min(1),
  Action: z.string().transform((a) => a.toLowerCase()),
  Type: z.string(),
  ID: z.union([z.number(), z.string()]).transform(String),
  // The entity arrives as a JSON string; some versions send the object itself.
  Entity: z
    .union([
      z.string().transform((text, ctx) => {
        try {
          return JSON.parse(text) as unknown;
        } catch {
          ctx.addIssue({ code: 'custom', message: 'must be the company as JSON' });
          return z.NEVER;
        }
      }),
      z.record(z.string(), z.unknown()),
    ])
    .pipe(Entity.optional())
    .optional(),
});

export const connectwise: PsaAdapter = {
  authenticate,
  parse(payload) {
    const callback = parseWith(Callback, payload);
    if (callback.Type.toLowerCase() !== 'company') return { ignored: `a ${callback.Type} callback, not a company` };
    if (callback.Action !== 'added' && callback.Action !== 'updated' && callback.Action !== 'deleted')
      return { ignored: `action ${callback.Action}` };
    const entity = callback.Entity;
    return {
      eventId: callback.MessageId,
      action: callback.Action,
      company: { id: entity?.id ?? callback.ID, name: entity?.name ?? entity?.identifier },
      status: entity?.status,
    };
  },
};
