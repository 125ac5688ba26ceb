import { generateKeyPairSync } from 'crypto';
import { describe, expect, it } from 'vitest';
import { generateSigningKey, keyIdOf, parsePrivateKey, parsePublicKey, publicKeyText, signText, verifyText } from '../signing-key';

describe('the EAS signing key', () => {
  it('reads the base64 DER that npm start generates and the PEM that openssl writes', () => {
    const der = parsePrivateKey(generateSigningKey());
    const pem = generateKeyPairSync('ed25519').privateKey.export({ format: 'pem', type: 'pkcs8' }).toString();
    const fromPem = parsePrivateKey(pem);
    expect(der.keyId).toMatch(/^[0-9a-f]{16}$/);
    expect(fromPem.keyId).not.toBe(der.keyId);
    // As one line in an .env file, with \n escapes.
    expect(parsePrivateKey(pem.replace(/\n/g, '\\n')).keyId).toBe(fromPem.keyId);
  });

  it('refuses a key that is not Ed25519', () => {
    const rsa = generateKeyPairSync('rsa', { modulusLength: 1024 }).privateKey.export({ format: 'pem', type: 'pkcs8' }).toString();
    expect(() => parsePrivateKey(rsa)).toThrow(/rsa; EAS needs an Ed25519 key/);
  });

  it('signs text that only its public key verifies, and any change breaks it', () => {
    const key = parsePrivateKey(generateSigningKey());
    const other = parsePrivateKey(generateSigningKey());
    const signature = signText(key, 'seq 7 hash abc');
    expect(verifyText(key.publicKey, 'seq 7 hash abc', signature)).toBe(true);
    expect(verifyText(key.publicKey, 'seq 7 hash abd', signature)).toBe(false);
    expect(verifyText(other.publicKey, 'seq 7 hash abc', signature)).toBe(false);
    expect(verifyText(key.publicKey, 'seq 7 hash abc', 'not base64 at all')).toBe(false);
    expect(keyIdOf(parsePublicKey(publicKeyText(key.publicKey)))).toBe(key.keyId);
  });
});
