/** SHA-256 and Ed25519 from node:crypto, in the shapes the pure log code takes them. */
import { createHash, createPrivateKey, createPublicKey, generateKeyPairSync, type KeyObject, sign, verify } from 'node:crypto';
import type { Sha256 } from '../domain/merkle.ts';
import type { Ed25519 } from '../domain/signed-note.ts';

export const sha256: Sha256 = (...parts) => {
  const h = createHash('sha256');
  for (const p of parts) h.update(p);
  return new Uint8Array(h.digest());
};

function publicKeyObject(raw: Uint8Array): KeyObject {
  return createPublicKey({ key: { kty: 'OKP', crv: 'Ed25519', x: Buffer.from(raw).toString('base64url') }, format: 'jwk' });
}

export const ed25519: Ed25519 = {
  sign: (privateKey, message) => new Uint8Array(sign(null, message, privateKey as KeyObject)),
  verify: (publicKey, message, signature) => {
    if (publicKey.length !== 32 || signature.length !== 64) return false;
    try {
      return verify(null, message, publicKeyObject(publicKey), signature);
    } catch {
      return false;
    }
  },
};

/** A new Ed25519 key pair: the raw 32-byte public key and the private key as PKCS #8 DER (base64). */
export function generateSigningKey(): { publicKey: Uint8Array; privateKeyPkcs8: string } {
  const { publicKey, privateKey } = generateKeyPairSync('ed25519');
  const x = publicKey.export({ format: 'jwk' }).x;
  if (!x) throw new Error('Ed25519 public key without x');
  return {
    publicKey: new Uint8Array(Buffer.from(x, 'base64url')),
    privateKeyPkcs8: privateKey.export({ format: 'der', type: 'pkcs8' }).toString('base64'),
  };
}

export function privateKeyFromPkcs8(pkcs8: string): KeyObject {
  return createPrivateKey({ key: Buffer.from(pkcs8, 'base64'), format: 'der', type: 'pkcs8' });
}
