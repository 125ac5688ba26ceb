/**
 * The sealing identity from a PKCS#12 file (utils/seal-cert.ts pkcs12ToPem), as `openssl pkcs12 -export` (OpenSSL 3)
 * makes one for a CA-issued document-signing certificate: read, its certificate first, refused with a reason when the
 * password is wrong or the file is legacy, and the PDFs it seals verify as signed by that certificate.
 */
import { execFileSync } from 'child_process';
import fs from 'fs';
import os from 'os';
import path from 'path';
import { PDFDocument } from 'pdf-lib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { certificateSha256, checkPdfSeal, createPdfSealer } from '../pdf-seal';
import { loadSealIdentity, parseCertificates, pkcs12ToPem } from '../seal-cert';

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'eas-p12-'));
const at = (name: string) => path.join(dir, name);
const openssl = (...args: string[]) => execFileSync('openssl', args, { stdio: ['ignore', 'pipe', 'pipe'] });

describe('a PKCS#12 sealing file', () => {
  beforeAll(() => {
    // A CA, and a sealing certificate it issued (so the file holds a chain, the CA listed first on purpose).
    openssl(
      'req',
      '-x509',
      '-newkey',
      'ec',
      '-pkeyopt',
      'ec_paramgen_curve:P-256',
      '-nodes',
      '-keyout',
      at('ca.key'),
      '-out',
      at('ca.pem'),
      '-days',
      '30',
      '-subj',
      '/CN=Test CA'
    );
    openssl('req', '-newkey', 'rsa:2048', '-nodes', '-keyout', at('seal.key'), '-out', at('seal.csr'), '-subj', '/CN=EAS seal from a CA');
    openssl(
      'x509',
      '-req',
      '-in',
      at('seal.csr'),
      '-CA',
      at('ca.pem'),
      '-CAkey',
      at('ca.key'),
      '-CAcreateserial',
      '-out',
      at('seal.pem'),
      '-days',
      '30'
    );
    fs.writeFileSync(at('chain.pem'), fs.readFileSync(at('ca.pem')));
    openssl(
      'pkcs12',
      '-export',
      '-inkey',
      at('seal.key'),
      '-in',
      at('seal.pem'),
      '-certfile',
      at('chain.pem'),
      '-out',
      at('seal.p12'),
      '-passout',
      'pass:s3cret ünïcode'
    );
    openssl(
      'pkcs12',
      '-export',
      '-legacy',
      '-inkey',
      at('seal.key'),
      '-in',
      at('seal.pem'),
      '-out',
      at('legacy.p12'),
      '-passout',
      'pass:s3cret'
    );
  });
  afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

  it('gives the key and its certificate first, then the chain; PDFs sealed with it name that certificate', async () => {
    const pem = await pkcs12ToPem(fs.readFileSync(at('seal.p12')), 's3cret ünïcode');
    const identity = await loadSealIdentity(pem.keyPem, pem.certPem);
    const [sealCert] = parseCertificates(fs.readFileSync(at('seal.pem'), 'utf8'));
    expect(identity.chain.map(certificateSha256)).toEqual([
      certificateSha256(sealCert),
      certificateSha256(parseCertificates(fs.readFileSync(at('ca.pem'), 'utf8'))[0]),
    ]);
    const doc = await PDFDocument.create();
    doc.addPage().drawText('Evidence record REF-1');
    const sealed = await createPdfSealer(identity, null).seal(Buffer.from(await doc.save()));
    const check = await checkPdfSeal(sealed);
    expect([check.valid, check.wholeDocument, check.certificateSha256, check.signer]).toEqual([
      true,
      true,
      certificateSha256(sealCert),
      'EAS seal from a CA',
    ]);
  });

  it('a wrong password, a legacy file or something else is refused with its reason', async () => {
    await expect(pkcs12ToPem(fs.readFileSync(at('seal.p12')), 'wrong')).rejects.toThrow(
      /^the PKCS#12 file could not be opened \(wrong password, or damaged\)/
    );
    await expect(pkcs12ToPem(fs.readFileSync(at('legacy.p12')), 's3cret')).rejects.toThrow(
      /could not be decrypted .*openssl pkcs12 -in old\.p12 -legacy -nodes \| openssl pkcs12 -export -out seal\.p12$/
    );
    await expect(pkcs12ToPem(fs.readFileSync(at('seal.pem')), 's3cret')).rejects.toThrow(
      'the PKCS#12 file is not a PKCS#12 (PFX) structure'
    );
  });
});
