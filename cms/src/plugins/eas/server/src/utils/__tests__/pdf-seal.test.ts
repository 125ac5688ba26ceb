import { execFileSync, spawnSync } from 'child_process';
import { createHash } from 'crypto';
import fs from 'fs';
import os from 'os';
import path from 'path';
import * as pkijs from 'pkijs';
import { PDFDocument } from 'pdf-lib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTsa, type LocalTsa } from '../../../../../../../tests/tsa';
import { checkPdfSeal, cmsSchema, createPdfSealer } from '../pdf-seal';
import { createSelfSignedCertificate, loadSealIdentity, type SealIdentity } from '../seal-cert';
import { SealTimestampError } from '../tsa-client';

const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'eas-seal-'));
let n = 0;
/** poppler's pdfsig on the bytes: its stdout lines (a validator nobody here wrote). */
const pdfsig = (pdf: Buffer) => {
  const file = path.join(tmp, `${n++}.pdf`);
  fs.writeFileSync(file, pdf);
  return spawnSync('pdfsig', [file], { encoding: 'utf8' }).stdout.split('\n');
};

const samplePdf = async () => {
  const doc = await PDFDocument.create();
  doc.addPage().drawText('Evidence record REF-1');
  return Buffer.from(await doc.save());
};

/** The signature timestamp token and the signature value it must stamp, read from the PDF's CMS. */
const tokenOf = (pdf: Buffer) => {
  const text = pdf.toString('latin1');
  const [, b, c] = text.match(/\/ByteRange \[0 (\d+) (\d+) \d+\]/)!.map(Number);
  const cms = new pkijs.ContentInfo({ schema: cmsSchema(Buffer.from(text.slice(b + 1, c - 1), 'hex')) });
  const signer = new pkijs.SignedData({ schema: cms.content }).signerInfos[0];
  const attr = signer.unsignedAttrs?.attributes.find((a) => a.type === '1.2.840.113549.1.9.16.2.14');
  return {
    token: attr ? Buffer.from(attr.values[0].toBER(false)) : null,
    signatureValue: Buffer.from(signer.signature.valueBlock.valueHexView),
  };
};

describe('PDF seal (PAdES B-T)', () => {
  let tsa: LocalTsa;
  let identity: SealIdentity;
  beforeAll(async () => {
    tsa = await startTsa();
    const { keyPem, certPem } = await createSelfSignedCertificate('EAS seal test');
    identity = await loadSealIdentity(keyPem, certPem);
  });
  afterAll(async () => {
    await tsa.close();
    fs.rmSync(tmp, { recursive: true, force: true });
  });

  it('seals the whole document: pdfsig says the CAdES signature is valid, and the timestamp verifies with openssl ts', async () => {
    const before = Date.now();
    const sealed = await createPdfSealer(identity, { url: tsa.url, timeoutMs: 5000 }).seal(await samplePdf());
    const lines = pdfsig(sealed);
    expect(lines).toContain('  - Signer Certificate Common Name: EAS seal test');
    expect(lines).toContain('  - Signature Type: ETSI.CAdES.detached');
    expect(lines).toContain('  - Signing Hash Algorithm: SHA-256');
    expect(lines).toContain('  - Total document signed');
    expect(lines).toContain('  - Signature Validation: Signature is Valid.');
    const own = await checkPdfSeal(sealed);
    expect(own).toMatchObject({ valid: true, wholeDocument: true, signer: 'EAS seal test' });
    expect(own.timestampedAt!.getTime()).toBeGreaterThanOrEqual(Math.floor(before / 1000) * 1000);

    // The token stamps this signature's value, and OpenSSL (another verifier) accepts it against the TSA certificate.
    const { token, signatureValue } = tokenOf(sealed);
    fs.writeFileSync(path.join(tmp, 'token.der'), token!);
    fs.writeFileSync(path.join(tmp, 'tsa.pem'), tsa.certPem);
    const digest = createHash('sha256').update(signatureValue).digest('hex');
    const out = execFileSync(
      'openssl',
      ['ts', '-verify', '-digest', digest, '-in', path.join(tmp, 'token.der'), '-token_in', '-CAfile', path.join(tmp, 'tsa.pem')],
      { encoding: 'utf8' }
    );
    expect(out.trim()).toBe('Verification: OK');
  });

  it('one changed byte outside the signature: pdfsig reports a digest mismatch and our check says invalid', async () => {
    const sealed = await createPdfSealer(identity, { url: tsa.url, timeoutMs: 5000 }).seal(await samplePdf());
    const changed = Buffer.from(sealed);
    changed[changed.length - 200] ^= 0x01;
    expect(pdfsig(changed)).toContain('  - Signature Validation: Digest Mismatch.');
    expect((await checkPdfSeal(changed)).valid).toBe(false);
  });

  it('without a TSA the seal is B-B: valid, no timestamp, the TSA never asked', async () => {
    const asked = tsa.requests();
    const sealer = createPdfSealer(identity, null);
    expect(sealer.level).toBe('B-B');
    const sealed = await sealer.seal(await samplePdf());
    expect(pdfsig(sealed)).toContain('  - Signature Validation: Signature is Valid.');
    expect(await checkPdfSeal(sealed)).toMatchObject({ valid: true, timestampedAt: null });
    expect(tokenOf(sealed).token).toBeNull();
    expect(tsa.requests()).toBe(asked);
  });

  it('reads a CMS whose DER ends in 00 despite the zero padding after it', () => {
    const der = Buffer.from('3003020100', 'hex'); // SEQUENCE { INTEGER 0 }: its last byte is 00
    expect(Buffer.from(cmsSchema(Buffer.concat([der, Buffer.alloc(8)])).toBER(false))).toEqual(der);
  });

  it('an unsealed PDF is reported as such', async () => {
    expect(await checkPdfSeal(await samplePdf())).toMatchObject({ valid: false, reason: 'the PDF carries no seal' });
  });

  describe('a TSA that fails gives no PDF but a clear error', () => {
    const failure = async (url: string, timeoutMs = 5000) => {
      const err = await createPdfSealer(identity, { url, timeoutMs })
        .seal(await samplePdf())
        .catch((e: unknown) => e);
      expect(err).toBeInstanceOf(SealTimestampError);
      return { code: (err as SealTimestampError).code, message: (err as Error).message };
    };

    it('down', async () => {
      const down = await startTsa();
      const url = down.url;
      await down.close();
      const origin = new URL(url).origin;
      expect(await failure(url)).toEqual({
        code: 'tsa_unavailable',
        message: `the time-stamping authority at ${origin} is unreachable (ECONNREFUSED)`,
      });
    });

    it('slow', async () => {
      const slow = await startTsa('slow');
      const origin = new URL(slow.url).origin;
      expect(await failure(slow.url, 300)).toEqual({
        code: 'tsa_unavailable',
        message: `the time-stamping authority at ${origin} did not answer within 300 ms`,
      });
      await slow.close();
    });

    it('garbage and rejection', async () => {
      const bad = await startTsa('garbage');
      const origin = new URL(bad.url).origin;
      expect(await failure(bad.url)).toEqual({
        code: 'tsa_invalid_response',
        message: `the time-stamping authority at ${origin} sent no usable timestamp: the answer is not a TimeStampResp`,
      });
      bad.setMode('reject');
      expect(await failure(bad.url)).toEqual({
        code: 'tsa_invalid_response',
        message: `the time-stamping authority at ${origin} sent no usable timestamp: status 2 (test TSA refuses)`,
      });
      await bad.close();
    });
  });

  it("refuses a certificate that is not the key's", async () => {
    const a = await createSelfSignedCertificate('A');
    const b = await createSelfSignedCertificate('B');
    await expect(loadSealIdentity(a.keyPem, b.certPem)).rejects.toThrow(
      "the first certificate is not the sealing key's (its public key differs)"
    );
    await expect(loadSealIdentity(a.keyPem, 'nothing')).rejects.toThrow(
      'the certificate file holds no "-----BEGIN CERTIFICATE-----" block'
    );
  });
});
