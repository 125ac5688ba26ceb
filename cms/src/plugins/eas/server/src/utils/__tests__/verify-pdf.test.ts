import { PDFDocument } from 'pdf-lib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTsa, type LocalTsa } from '../../../../../../../tests/tsa';
import { createPdfSealer, type PdfSealer } from '../pdf-seal';
import { createSelfSignedCertificate, loadSealIdentity } from '../seal-cert';
import { inspectPdf, isPdf } from '../verify-pdf';

const HASH = 'a'.repeat(64);

/** A PDF with the information an EAS evidence PDF carries (utils/pdf-metadata.ts). */
const evidencePdf = async (reference = 'EAS-2026-000042', hash = HASH) => {
  const doc = await PDFDocument.create();
  doc.addPage().drawText(`Evidence record ${reference}`);
  doc.setSubject(`Evidence record ${reference} (Meter round, version 2); integrity ${hash}`);
  return Buffer.from(await doc.save());
};

describe('checking an uploaded evidence PDF', () => {
  let tsa: LocalTsa;
  let ours: PdfSealer;
  let theirs: PdfSealer;
  beforeAll(async () => {
    tsa = await startTsa();
    const mine = await createSelfSignedCertificate('EAS seal');
    ours = createPdfSealer(await loadSealIdentity(mine.keyPem, mine.certPem), { url: tsa.url, timeoutMs: 5000 });
    // Anyone can make a certificate with the same name and seal a PDF of their own with it.
    const forger = await createSelfSignedCertificate('EAS seal');
    theirs = createPdfSealer(await loadSealIdentity(forger.keyPem, forger.certPem), null);
  });
  afterAll(() => tsa.close());

  it('names the record and hash of a PDF sealed by this EAS, with the time of its timestamp', async () => {
    const before = Date.now();
    const result = await inspectPdf(await ours.seal(await evidencePdf()), ours.certificateSha256);
    expect(result).toMatchObject({ seal: 'valid', signer: 'EAS seal', reference: 'EAS-2026-000042', hash: HASH });
    expect(Date.parse(result.timestampedAt!)).toBeGreaterThanOrEqual(Math.floor(before / 1000) * 1000);
  });

  it('says "foreign" for a valid seal by another certificate with the same name, and trusts nothing it says', async () => {
    const forged = await theirs.seal(await evidencePdf('EAS-2026-000001', 'b'.repeat(64)));
    expect(await inspectPdf(forged, ours.certificateSha256)).toEqual({
      seal: 'foreign',
      signer: 'EAS seal',
      timestampedAt: null,
      reference: null,
      hash: null,
    });
  });

  it('says "invalid" when one byte changed after sealing, and "missing" for a PDF without a seal', async () => {
    const sealed = await ours.seal(await evidencePdf());
    const changed = Buffer.from(sealed);
    const at = changed.indexOf('EAS-2026-000042');
    changed[at + 14] = '3'.charCodeAt(0); // EAS-2026-000043, in the page's text
    expect((await inspectPdf(changed, ours.certificateSha256)).seal).toBe('invalid');
    expect(await inspectPdf(await evidencePdf(), ours.certificateSha256)).toMatchObject({ seal: 'missing', reference: null });
  });

  it('tells a PDF from other files by its header', async () => {
    expect(isPdf(await evidencePdf())).toBe(true);
    expect(isPdf(Buffer.from('<html>%PDF-1.7 later</html>'))).toBe(false);
    expect(isPdf(Buffer.from('GIF89a'))).toBe(false);
  });
});
