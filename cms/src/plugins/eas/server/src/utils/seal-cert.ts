/**
 * The EAS sealing identity: an RSA or ECDSA (P-256/P-384) private key with its X.509 certificate and chain, used to
 * sign evidence PDFs (utils/pdf-seal.ts). pkijs + asn1js (maintained by PeculiarVentures, pure JS on Node's
 * WebCrypto) parse and build the certificates; no OpenSSL binding is needed.
 */
import { createPrivateKey, createPublicKey, randomBytes, webcrypto } from 'crypto';
import * as asn1js from 'asn1js';
import * as pkijs from 'pkijs';

pkijs.setEngine('node', new pkijs.CryptoEngine({ name: 'node', crypto: webcrypto as never }));

export interface SealIdentity {
  /** WebCrypto signing key. */
  privateKey: webcrypto.CryptoKey;
  /** WebCrypto hash/signature parameters pkijs needs for this key. */
  hash: 'SHA-256';
  /** The signing certificate first, then the rest of its chain as given. */
  chain: pkijs.Certificate[];
}

const pemBlocks = (text: string, label: string) =>
  [...text.matchAll(new RegExp(`-----BEGIN ${label}-----([\\s\\S]*?)-----END ${label}-----`, 'g'))].map((m) =>
    Buffer.from(m[1].replace(/\s+/g, ''), 'base64')
  );

/** Accepts PEM text (literal "\n" allowed, as .env files hold it) or the base64 of a whole PEM file. */
export const pemText = (value: string) => {
  const text = value.trim().replace(/\\n/g, '\n');
  return text.startsWith('-----') ? text : Buffer.from(text, 'base64').toString('utf8');
};

export const parseCertificates = (value: string): pkijs.Certificate[] =>
  pemBlocks(pemText(value), 'CERTIFICATE').map((der) => pkijs.Certificate.fromBER(der));

/** The key (PKCS#8, PKCS#1 or SEC1 PEM) and certificate chain (PEM, signing certificate first). Throws with a reason. */
export const loadSealIdentity = async (keyValue: string, certValue: string): Promise<SealIdentity> => {
  const chain = parseCertificates(certValue);
  if (!chain.length) throw new Error('the certificate file holds no "-----BEGIN CERTIFICATE-----" block');
  const key = createPrivateKey({ key: pemText(keyValue), format: 'pem' });
  const pkcs8 = key.export({ format: 'der', type: 'pkcs8' });
  let algorithm: webcrypto.RsaHashedImportParams | webcrypto.EcKeyImportParams;
  if (key.asymmetricKeyType === 'rsa') algorithm = { name: 'RSASSA-PKCS1-v1_5', hash: 'SHA-256' };
  else if (key.asymmetricKeyType === 'ec') {
    const curve = key.asymmetricKeyDetails?.namedCurve;
    const namedCurve = curve === 'prime256v1' ? 'P-256' : curve === 'secp384r1' ? 'P-384' : null;
    if (!namedCurve) throw new Error(`the sealing key is on curve ${curve}; use P-256, P-384 or RSA`);
    algorithm = { name: 'ECDSA', namedCurve };
  } else throw new Error(`the sealing key is ${key.asymmetricKeyType}; use RSA or ECDSA (P-256, P-384)`);
  const privateKey = await webcrypto.subtle.importKey('pkcs8', pkcs8, algorithm, false, ['sign']);
  const certSpki = Buffer.from(chain[0].subjectPublicKeyInfo.toSchema().toBER(false));
  const keySpki = Buffer.from(createPublicKey(key).export({ format: 'der', type: 'spki' }));
  if (!certSpki.equals(keySpki)) throw new Error("the first certificate is not the sealing key's (its public key differs)");
  return { privateKey, hash: 'SHA-256', chain };
};

const toPem = (label: string, der: ArrayBuffer | Buffer) =>
  `-----BEGIN ${label}-----\n${Buffer.from(der as ArrayBuffer)
    .toString('base64')
    .replace(/(.{64})/g, '$1\n')
    .replace(/\n$/, '')}\n-----END ${label}-----\n`;

/**
 * A new self-signed RSA-2048 certificate (development, tests, the test TSA): { keyPem, certPem }. `timeStamping`
 * marks it for a TSA (critical extended key usage id-kp-timeStamping, as RFC 3161 requires).
 */
export const createSelfSignedCertificate = async (commonName: string, options: { timeStamping?: boolean; years?: number } = {}) => {
  const keys = (await webcrypto.subtle.generateKey(
    { name: 'RSASSA-PKCS1-v1_5', modulusLength: 2048, publicExponent: new Uint8Array([1, 0, 1]), hash: 'SHA-256' },
    true,
    ['sign', 'verify']
  )) as webcrypto.CryptoKeyPair;
  const cert = new pkijs.Certificate();
  cert.version = 2;
  cert.serialNumber = new asn1js.Integer({ valueHex: Uint8Array.from([0x01, ...randomBytes(15)]) });
  const name = [new pkijs.AttributeTypeAndValue({ type: '2.5.4.3', value: new asn1js.Utf8String({ value: commonName }) })];
  cert.subject.typesAndValues = name;
  cert.issuer.typesAndValues = name;
  const now = new Date();
  cert.notBefore.value = new Date(now.getTime() - 60_000);
  cert.notAfter.value = new Date(now.getTime() + (options.years ?? 10) * 365 * 86_400_000);
  const keyUsage = new asn1js.BitString({ valueHex: Uint8Array.from([0xc0]) }); // digitalSignature, nonRepudiation
  cert.extensions = [
    new pkijs.Extension({
      extnID: '2.5.29.19',
      critical: true,
      extnValue: new pkijs.BasicConstraints({ cA: false }).toSchema().toBER(false),
    }),
    new pkijs.Extension({ extnID: '2.5.29.15', critical: true, extnValue: keyUsage.toBER(false) }),
  ];
  if (options.timeStamping) {
    cert.extensions.push(
      new pkijs.Extension({
        extnID: '2.5.29.37',
        critical: true,
        extnValue: new pkijs.ExtKeyUsage({ keyPurposes: ['1.3.6.1.5.5.7.3.8'] }).toSchema().toBER(false),
      })
    );
  }
  await cert.subjectPublicKeyInfo.importKey(keys.publicKey as never);
  await cert.sign(keys.privateKey as never, 'SHA-256');
  return {
    keyPem: toPem('PRIVATE KEY', await webcrypto.subtle.exportKey('pkcs8', keys.privateKey)),
    certPem: toPem('CERTIFICATE', cert.toSchema(true).toBER(false)),
  };
};

export const certificatePem = (cert: pkijs.Certificate) => toPem('CERTIFICATE', cert.toSchema(true).toBER(false));
