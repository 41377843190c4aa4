/**
 * The vault's envelope encryption. Each client has a 32-byte data key, sealed with the server's
 * key (SecretBox) in `client_data_keys`; each secret is sealed with its client's data key
 * (AES-256-GCM), bound to its credential's id so a sealed secret copied onto another row does not
 * open. Destroying a client's data key makes all its secrets unreadable; rotating the server's key
 * re-wraps the data keys and never touches a secret.
 */
import { createCipheriv, createDecipheriv, createHmac, hkdfSync, randomBytes } from 'node:crypto';
import canonicalize from 'canonicalize';
import { ConflictError } from '../../domain/errors.ts';
import type { Queryable, Tx } from '../../storage/db.ts';
import { dataKeysRepo } from '../../storage/credentials-repository.ts';
import type { App } from '../context.ts';
import type { SecretBox } from '../secrets.ts';

/** What a credential's sealed secret holds. */
export type SecretPayload = { password: string; otpSecret?: string | undefined };

const SEALED = 'c1';

export function sealSecret(dataKey: Buffer, credentialId: string, payload: SecretPayload): string {
  const iv = randomBytes(12);
  const cipher = createCipheriv('aes-256-gcm', dataKey, iv);
  cipher.setAAD(Buffer.from(credentialId, 'utf8'));
  const plain = JSON.stringify({ password: payload.password, ...(payload.otpSecret ? { otpSecret: payload.otpSecret } : {}) });
  const data = Buffer.concat([cipher.update(plain, 'utf8'), cipher.final()]);
  return [SEALED, iv.toString('base64url'), cipher.getAuthTag().toString('base64url'), data.toString('base64url')].join('.');
}

export function openSecret(dataKey: Buffer, credentialId: string, sealed: string): SecretPayload {
  const [version, iv, tag, data] = sealed.split('.');
  if (version !== SEALED || !iv || !tag || data === undefined) throw new Error('not a sealed credential secret');
  const decipher = createDecipheriv('aes-256-gcm', dataKey, Buffer.from(iv, 'base64url'));
  decipher.setAAD(Buffer.from(credentialId, 'utf8'));
  decipher.setAuthTag(Buffer.from(tag, 'base64url'));
  return JSON.parse(Buffer.concat([decipher.update(Buffer.from(data, 'base64url')), decipher.final()]).toString('utf8')) as SecretPayload;
}

/**
 * A secret's digest for the record: HMAC-SHA-256 under a key derived from the client's data key.
 * It tells whether a secret changed, and which one an event is about, but nobody can test a
 * guessed password against it without the key (a plain SHA-256 of a short password could be).
 */
export function secretDigest(dataKey: Buffer, payload: SecretPayload): string {
  const digestKey = Buffer.from(hkdfSync('sha256', dataKey, Buffer.alloc(0), 'offboard credential digest v1', 32));
  const text = canonicalize({ password: payload.password, otpSecret: payload.otpSecret ?? null }) as string;
  return createHmac('sha256', digestKey).update(text).digest('hex');
}

export const wrapDataKey = (box: SecretBox, key: Buffer): string => box.seal(key.toString('base64'));
export const unwrapDataKey = (box: SecretBox, wrapped: string): Buffer => Buffer.from(box.open(wrapped), 'base64');

/** The vault cannot open this client's secrets: its data key was destroyed (or the server has no key). */
export class VaultLocked extends ConflictError {
  constructor(message: string) {
    super(message, [{ path: 'clientId', message }]);
  }
}

function boxOf(app: App): SecretBox {
  if (!app.secrets) throw new VaultLocked('this server has no secret key: the credential vault is closed');
  return app.secrets;
}

/** The client's data key, made on first use (two first uses at once keep the one stored first). */
export async function dataKeyFor(tx: Tx, app: App, tenantId: string, clientId: string): Promise<Buffer> {
  const box = boxOf(app);
  let row = await dataKeysRepo.get(tx, tenantId, clientId);
  if (!row) {
    await dataKeysRepo.insertIfMissing(tx, { tenantId, clientId, wrappedKey: wrapDataKey(box, randomBytes(32)), wrappedBy: box.keyId });
    row = await dataKeysRepo.get(tx, tenantId, clientId);
  }
  if (!row?.wrappedKey) throw new VaultLocked("this client's data key was destroyed: its credentials can no longer be read or added");
  return unwrapDataKey(box, row.wrappedKey);
}

/** The client's data key to read with; a client without one has no secrets to read. */
export async function existingDataKey(q: Queryable, app: App, tenantId: string, clientId: string): Promise<Buffer> {
  const box = boxOf(app);
  const row = await dataKeysRepo.get(q, tenantId, clientId);
  if (!row?.wrappedKey)
    throw new VaultLocked(
      row ? "this client's data key was destroyed: its credentials can no longer be read" : 'this client has no data key',
    );
  return unwrapDataKey(box, row.wrappedKey);
}
