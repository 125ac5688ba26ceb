/**
 * The EAS signing key: an Ed25519 private key kept outside the database (EAS_SIGNING_KEY or EAS_SIGNING_KEY_FILE),
 * used to sign checkpoints of the audit chain (and, later, to seal PDFs). Node's own crypto does the work: Ed25519
 * is built in, so no library is needed.
 */
import { createHash, createPrivateKey, createPublicKey, generateKeyPairSync, sign, verify, type KeyObject } from 'crypto';

export interface SigningKey {
  privateKey: KeyObject;
  publicKey: KeyObject;
  /** First 16 hex digits of the SHA-256 of the public key (SPKI DER). */
  keyId: string;
}

const der = (text: string) => Buffer.from(text.replace(/\s+/g, ''), 'base64');

/** "-----BEGIN PRIVATE KEY-----…" (PKCS#8 PEM) or the base64 of its DER, as `npm start` generates it. */
export const parsePrivateKey = (text: string): SigningKey => {
  const trimmed = text.trim().replace(/\\n/g, '\n');
  const privateKey = trimmed.startsWith('-----')
    ? createPrivateKey({ key: trimmed, format: 'pem' })
    : createPrivateKey({ key: der(trimmed), format: 'der', type: 'pkcs8' });
  if (privateKey.asymmetricKeyType !== 'ed25519')
    throw new Error(`the signing key is ${privateKey.asymmetricKeyType}; EAS needs an Ed25519 key`);
  const publicKey = createPublicKey(privateKey);
  return { privateKey, publicKey, keyId: keyIdOf(publicKey) };
};

/** A public key given as SPKI PEM or the base64 of its DER (EAS_TRUSTED_PUBLIC_KEYS, for keys rotated out). */
export const parsePublicKey = (text: string): KeyObject => {
  const trimmed = text.trim().replace(/\\n/g, '\n');
  const key = trimmed.startsWith('-----')
    ? createPublicKey({ key: trimmed, format: 'pem' })
    : createPublicKey({ key: der(trimmed), format: 'der', type: 'spki' });
  if (key.asymmetricKeyType !== 'ed25519') throw new Error(`a trusted public key is ${key.asymmetricKeyType}; EAS uses Ed25519`);
  return key;
};

export const keyIdOf = (publicKey: KeyObject) =>
  createHash('sha256')
    .update(publicKey.export({ format: 'der', type: 'spki' }))
    .digest('hex')
    .slice(0, 16);

export const publicKeyText = (publicKey: KeyObject) => publicKey.export({ format: 'der', type: 'spki' }).toString('base64');

/** A new key as base64 PKCS#8 DER (what `npm start` writes to cms/.env in development). */
export const generateSigningKey = () =>
  generateKeyPairSync('ed25519').privateKey.export({ format: 'der', type: 'pkcs8' }).toString('base64');

export const signText = (key: SigningKey, text: string) => sign(null, Buffer.from(text), key.privateKey).toString('base64');

export const verifyText = (publicKey: KeyObject, text: string, signature: string) => {
  try {
    return verify(null, Buffer.from(text), publicKey, Buffer.from(signature, 'base64'));
  } catch {
    return false;
  }
};
