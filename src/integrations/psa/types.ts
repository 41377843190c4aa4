/** What every PSA webhook adapter does: check the request is really from the PSA, then read its company event. */
import { createHmac, timingSafeEqual } from 'node:crypto';
import type { z } from 'zod';
import { InputError } from '../../domain/errors.ts';
import { zodIssues } from '../../domain/parse.ts';
import type { PsaCompanyEvent } from '../../domain/psa-trigger.ts';

export type WebhookRequest = {
  /** The body exactly as received: signatures are over these bytes. */
  body: Buffer;
  header: (name: string) => string | undefined;
  /** The secret path segment of the webhook URL, when it has one. */
  urlSecret?: string | undefined;
  /** Receipt time, milliseconds since the epoch (the injectable clock's). */
  receivedAt: number;
};

/** Per-connection credentials, already unsealed. */
export type PsaCredentials = {
  /** Autotask SecretKey, or the generic webhook's signing secret. */
  secret?: string | undefined;
  /** ConnectWise: origins (scheme://host[:port]) the signing key may be fetched from. */
  keyUrlOrigins?: readonly string[] | undefined;
  /** HaloPSA: SHA-256 (hex) of the Basic user, password and URL secret given out at set-up. */
  basicUserSha256?: string | undefined;
  basicPasswordSha256?: string | undefined;
  urlSecretSha256?: string | undefined;
};

export type Authenticity = { ok: true; eventId?: string | undefined; replayKey?: string | undefined } | { ok: false; reason: string };

export type PsaAdapter = {
  authenticate: (request: WebhookRequest, credentials: PsaCredentials) => Authenticity | Promise<Authenticity>;
  /** Reads the payload; a payload that is not a company event it understands is an InputError naming the field. */
  parse: (payload: unknown) => PsaCompanyEvent | { ignored: string };
};

export function readPayload(body: Buffer): unknown {
  try {
    return JSON.parse(body.toString('utf8')) as unknown;
  } catch {
    throw new InputError('invalid webhook', [{ path: 'body', message: 'must be JSON' }]);
  }
}

export function parseWith<S extends z.ZodType>(schema: S, payload: unknown): z.output<S> {
  const result = schema.safeParse(payload);
  if (!result.success) throw new InputError('invalid webhook', zodIssues(result.error));
  return result.data;
}

export const hmac = (algorithm: 'sha1' | 'sha256', key: string | Buffer, data: string | Buffer): Buffer =>
  createHmac(algorithm, key).update(data).digest();

/** Constant-time comparison of a received signature with the expected bytes. */
export function sameBytes(expected: Buffer, received: Buffer): boolean {
  return expected.length === received.length && timingSafeEqual(expected, received);
}
