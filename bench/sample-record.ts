/**
 * The evidence record the PDF benchmarks render (bench/pdf-export.ts, bench/seal.ts): two 2048 px photo-like JPEGs,
 * a signature, twelve answers, a QR code — the HTML `utils/pdf-html.ts` makes for a typical record.
 */
import { createHash } from 'node:crypto';
import QRCode from 'qrcode';
import sharp from 'sharp';
import { signaturePng } from '../cms/src/plugins/eas/server/src/utils/__tests__/image-fixtures';
import { renderRecordHtml } from '../cms/src/plugins/eas/server/src/utils/pdf-html';

/** Photo-like content: blurred noise has the size and texture of a real 2048 px phone photo (~0.5 MB at q85). */
export const photo = async (w: number, h: number) =>
  sharp(
    await sharp({ create: { width: w, height: h, channels: 3, background: '#000', noise: { type: 'gaussian', mean: 128, sigma: 60 } } })
      .blur(1.2)
      .png()
      .toBuffer()
  )
    .jpeg({ quality: 85 })
    .toBuffer();
export const sha = (b: Buffer) => createHash('sha256').update(b).digest('hex');

export const sampleHtml = async () => {
  const [front, back, sig] = [await photo(2048, 1536), await photo(1536, 2048), await signaturePng()];
  const verifyUrl = 'https://eas.example.org/api/eas/verify/EAS-2026-000001?hash=' + 'a'.repeat(64);
  return renderRecordHtml({
    title: 'Site inspection report',
    form: { name: 'Site inspection', version: 3 },
    reference: 'EAS-2026-000001',
    status: 'approved',
    owner: 'field.demo',
    capturedAt: new Date().toISOString(),
    submittedAt: new Date().toISOString(),
    reviewedAt: null,
    reviewComment: null,
    location: { lat: 51.5, lng: -0.12, accuracy: 5 },
    fields: Array.from({ length: 12 }, (_, i) => ({
      label: `Question ${i + 1}`,
      display: 'An answer of ordinary length for a field record.',
    })),
    photos: [
      { label: 'Entrance', dataUrl: `data:image/jpeg;base64,${front.toString('base64')}`, takenAt: null, sha256: sha(front) },
      { label: 'Meter', dataUrl: `data:image/jpeg;base64,${back.toString('base64')}`, takenAt: null, sha256: sha(back) },
    ],
    signatures: [
      {
        role: 'Site manager',
        signerName: 'Ada Lovelace',
        signedAt: new Date().toISOString(),
        consentText: 'I confirm.',
        sha256: sha(sig),
        dataUrl: `data:image/png;base64,${sig.toString('base64')}`,
        contentHash: 'c'.repeat(64),
        bound: true,
      },
    ],
    integrityHash: 'a'.repeat(64),
    integrity: { status: 'intact', altered: [], computedHash: 'a'.repeat(64) },
    redactedAt: null,
    verifyUrl,
    qrSvg: await QRCode.toString(verifyUrl, { type: 'svg' }),
    footerText: 'ACME Facilities',
    generatedAt: new Date().toISOString(),
  });
};
