/**
 * Secrets at rest (webhook URLs, API keys, signing keys, the vault's data keys): AES-256-GCM with
 * the server's key, from OFFBOARD_SECRET_KEY (base64, 32 bytes) or a key file created beside the
 * data on first use. A sealed value is `v1.<iv>.<tag>.<ciphertext>`, base64url parts.
 *
 * Rotation: the box seals with its current key and opens with it or any previous key
 * (OFFBOARD_PREVIOUS_SECRET_KEYS, comma-separated, or the key file's later lines), so values
 * sealed before a rotation stay readable until they are sealed again (`offboard secret-key rotate`
 * re-wraps the vault's data keys at once).
 */
import { createCipheriv, createDecipheriv, createHash, randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';

export type SecretBox = {
  seal: (plain: string) => string;
  open: (sealed: string) => string;
  /** The current key's id: the first 16 hex digits of its SHA-256 (never the key). */
  keyId: string;
};

export const keyIdOf = (key: Buffer): string => createHash('sha256').update(key).digest('hex').slice(0, 16);

function openWith(key: Buffer, sealed: string): string {
  const [version, iv, tag, data] = sealed.split('.');
  if (version !== 'v1' || !iv || !tag || data === undefined) throw new Error('not a sealed secret');
  const decipher = createDecipheriv('aes-256-gcm', key, Buffer.from(iv, 'base64url'));
  decipher.setAuthTag(Buffer.from(tag, 'base64url'));
  return Buffer.concat([decipher.update(Buffer.from(data, 'base64url')), decipher.final()]).toString('utf8');
}

export function secretBoxFromKey(key: Buffer, previous: readonly Buffer[] = []): SecretBox {
  for (const k of [key, ...previous]) if (k.length !== 32) throw new Error('the secret key must be 32 bytes');
  return {
    keyId: keyIdOf(key),
    seal: (plain) => {
      const iv = randomBytes(12);
      const cipher = createCipheriv('aes-256-gcm', key, iv);
      const data = Buffer.concat([cipher.update(plain, 'utf8'), cipher.final()]);
      return ['v1', iv.toString('base64url'), cipher.getAuthTag().toString('base64url'), data.toString('base64url')].join('.');
    },
    open: (sealed) => {
      // GCM's tag tells a wrong key from the right one: the current key first, then the older ones.
      let failure: unknown;
      for (const k of [key, ...previous]) {
        try {
          return openWith(k, sealed);
        } catch (error) {
          failure = error;
        }
      }
      throw failure;
    },
  };
}

const keysIn = (text: string): Buffer[] =>
  text
    .split(/[\s,]+/)
    .filter((line) => line !== '')
    .map((line) => Buffer.from(line, 'base64'));

/**
 * The key from OFFBOARD_SECRET_KEY (older ones in OFFBOARD_PREVIOUS_SECRET_KEYS), else from the
 * key file: its first line is the current key, later lines older keys (created, readable by this
 * user only, when missing).
 */
export function loadSecretBox(keyFile: string, env: NodeJS.ProcessEnv = process.env): SecretBox {
  if (env.OFFBOARD_SECRET_KEY)
    return secretBoxFromKey(Buffer.from(env.OFFBOARD_SECRET_KEY, 'base64'), keysIn(env.OFFBOARD_PREVIOUS_SECRET_KEYS ?? ''));
  if (!existsSync(keyFile)) {
    mkdirSync(dirname(keyFile), { recursive: true });
    writeFileSync(keyFile, randomBytes(32).toString('base64'), { mode: 0o600, flag: 'wx' });
  }
  const [current, ...previous] = keysIn(readFileSync(keyFile, 'utf8'));
  if (!current) throw new Error(`${keyFile} holds no key`);
  return secretBoxFromKey(current, previous);
}

/**
 * Puts a new current key at the top of the key file, keeping the older ones below it (values
 * sealed with them stay readable). Answers the new key's id. Not for OFFBOARD_SECRET_KEY, which
 * the operator changes where it is set.
 */
export function addKeyToFile(keyFile: string): string {
  const key = randomBytes(32);
  const before = existsSync(keyFile) ? readFileSync(keyFile, 'utf8').trim() : '';
  writeFileSync(keyFile, `${key.toString('base64')}\n${before}\n`, { mode: 0o600 });
  return keyIdOf(key);
}
