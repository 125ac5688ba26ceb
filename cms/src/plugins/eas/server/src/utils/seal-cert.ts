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

const BAG = { key: '1.2.840.113549.1.12.10.1.1', shroudedKey: '1.2.840.113549.1.12.10.1.2', cert: '1.2.840.113549.1.12.10.1.3' };
const X509_CERT = '1.2.840.113549.1.9.22.1';

/**
 * A PKCS#12 file (.p12 / .pfx, as CAs and `openssl pkcs12 -export` hand out a document-signing certificate) as the
 * PEM key and chain loadSealIdentity reads: { keyPem, certPem } with the key's certificate first. Parsed with pkijs
 * (PFX, its MAC checked; PBES2 encryption, OpenSSL 3's default). Legacy RC2/3DES files (`-legacy`) are refused
 * with the command that converts them. Throws with a reason (wrong password, no key, several keys, no certificate).
 */
export const pkcs12ToPem = async (der: Buffer, password: string): Promise<{ keyPem: string; certPem: string }> => {
  const pass = new TextEncoder().encode(password).buffer as ArrayBuffer;
  let pfx: pkijs.PFX;
  try {
    pfx = pkijs.PFX.fromBER(new Uint8Array(der));
  } catch {
    throw new Error('the PKCS#12 file is not a PKCS#12 (PFX) structure');
  }
  try {
    await pfx.parseInternalValues({ password: pass, checkIntegrity: true });
  } catch (err) {
    throw new Error(`the PKCS#12 file could not be opened (wrong password, or damaged): ${(err as Error).message}`, { cause: err });
  }
  const safe = pfx.parsedValue?.authenticatedSafe;
  if (!safe) throw new Error('the PKCS#12 file holds no authenticated safe');
  try {
    await safe.parseInternalValues({ safeContents: safe.safeContents.map(() => ({ password: pass })) });
  } catch (err) {
    throw new Error(
      `the PKCS#12 file's contents could not be decrypted (${(err as Error).message}); a legacy (RC2/3DES) file can be converted: ` +
        'openssl pkcs12 -in old.p12 -legacy -nodes | openssl pkcs12 -export -out seal.p12',
      { cause: err }
    );
  }
  const keys: Buffer[] = [];
  const certs: pkijs.Certificate[] = [];
  for (const contents of safe.parsedValue?.safeContents ?? []) {
    for (const bag of contents.value.safeBags) {
      if (bag.bagId === BAG.key) keys.push(Buffer.from((bag.bagValue as pkijs.PrivateKeyInfo).toSchema().toBER(false)));
      else if (bag.bagId === BAG.shroudedKey) {
        const shrouded = bag.bagValue as pkijs.PKCS8ShroudedKeyBag;
        // Public in pkijs's code (its PKCS#12 example calls it), declared protected in its types.
        await (shrouded as unknown as { parseInternalValues(p: { password: ArrayBuffer }): Promise<void> }).parseInternalValues({
          password: pass,
        });
        keys.push(Buffer.from(shrouded.parsedValue!.toSchema().toBER(false)));
      } else if (bag.bagId === BAG.cert) {
        const certBag = bag.bagValue as pkijs.CertBag;
        if (certBag.certId === X509_CERT) certs.push(certBag.parsedValue as pkijs.Certificate);
      }
    }
  }
  if (keys.length !== 1) throw new Error(`the PKCS#12 file holds ${keys.length} private keys; it must hold exactly the sealing key`);
  const key = createPrivateKey({ key: keys[0], format: 'der', type: 'pkcs8' });
  const spki = Buffer.from(createPublicKey(key).export({ format: 'der', type: 'spki' }));
  const own = certs.findIndex((c) => Buffer.from(c.subjectPublicKeyInfo.toSchema().toBER(false)).equals(spki));
  if (own === -1) throw new Error('the PKCS#12 file holds no certificate for its private key');
  const chain = [certs[own], ...certs.filter((_, i) => i !== own)];
  return { keyPem: toPem('PRIVATE KEY', keys[0]), certPem: chain.map(certificatePem).join('') };
};
