import { describe, expect, it } from 'vitest';
import { escapeHtml, footerTemplate, renderRecordHtml, type PdfRecordInput } from '../pdf-html';

const base: PdfRecordInput = {
  title: 'Inspection report',
  form: { name: 'Site inspection', version: 3 },
  reference: 'EAS-2026-000123',
  status: 'approved',
  owner: 'field.demo',
  capturedAt: '2026-05-01T09:30:00.000Z',
  submittedAt: '2026-05-01T09:40:00.000Z',
  reviewedAt: null,
  reviewComment: null,
  location: { lat: 51.5, lng: -0.12, accuracy: 8 },
  fields: [{ label: 'Site name', display: 'North depot' }],
  photos: [],
  signatures: [],
  integrityHash: 'f'.repeat(64),
  integrity: { status: 'intact', altered: [], computedHash: 'f'.repeat(64) },
  redactedAt: null,
  verifyUrl: 'https://eas.example.org/verify/EAS-2026-000123?hash=ff',
  qrSvg: '<svg xmlns="http://www.w3.org/2000/svg"><path d="M0 0h1"/></svg>',
  footerText: 'ACME <Facilities>',
  generatedAt: '2026-05-02T10:00:00.000Z',
};

describe('evidence PDF HTML', () => {
  it('escapes every value, so hostile field values stay text', () => {
    const hostile = '<img src=http://127.0.0.1:9/x><script>alert(1)</script>"\'&';
    const html = renderRecordHtml({
      ...base,
      fields: [{ label: hostile, display: hostile }],
      owner: hostile,
      reviewComment: hostile,
      reviewedAt: base.submittedAt,
    });
    expect(html).not.toContain('<img src=http');
    expect(html).not.toContain('<script>alert');
    expect(html).toContain('&lt;img src=http://127.0.0.1:9/x&gt;&lt;script&gt;alert(1)&lt;/script&gt;&quot;&#39;&amp;');
  });

  it('forbids loading anything but data: images, by CSP', () => {
    expect(renderRecordHtml(base)).toContain(`content="default-src 'none'; img-src data:; style-src 'unsafe-inline'"`);
  });

  it('only embeds data: image URLs', () => {
    const html = renderRecordHtml({
      ...base,
      photos: [
        { label: 'Front', dataUrl: 'https://evil.example/x.jpg', takenAt: null, sha256: 'a'.repeat(64) },
        { label: 'Back', dataUrl: 'data:image/jpeg;base64,AAAA', takenAt: null, sha256: 'b'.repeat(64) },
      ],
    });
    expect(html).not.toContain('evil.example');
    expect(html).toContain('src="data:image/jpeg;base64,AAAA"');
  });

  it('shows the header facts, the integrity hash and the verify link', () => {
    const html = renderRecordHtml(base);
    for (const text of [
      'Inspection report',
      'Site inspection',
      ' · form version 3',
      'EAS-2026-000123',
      'Approved',
      'field.demo',
      '51.500000, -0.120000 (±8 m)',
      'f'.repeat(64),
      base.verifyUrl!,
    ]) {
      expect(html).toContain(escapeHtml(text));
    }
  });

  it('drops a QR image that is not plain SVG', () => {
    expect(renderRecordHtml({ ...base, qrSvg: '<svg onload="x()"></svg>' })).not.toContain('onload');
  });

  const signature = {
    role: 'Site manager',
    signerName: 'Grace Hopper',
    signedAt: '2026-05-01T09:35:00.000Z',
    consentText: 'I confirm.',
    sha256: 'c'.repeat(64),
    dataUrl: 'data:image/png;base64,AAAA',
    contentHash: 'd'.repeat(64),
    bound: true,
  };

  it('says for each signature whether it was given over the content as printed', () => {
    expect(renderRecordHtml({ ...base, signatures: [signature] })).toContain(
      `✓ Given over the content of this record as printed (content hash <span class="hash">${'d'.repeat(64)}</span>)`
    );
    const stale = renderRecordHtml({ ...base, signatures: [{ ...signature, bound: false }] });
    expect(stale).toContain('⚠ Given over different content');
    expect(stale).not.toContain('✓ Given over');
    expect(renderRecordHtml({ ...base, signatures: [{ ...signature, contentHash: null, bound: false }] })).toContain(
      'Not bound to the record’s content'
    );
  });

  it('prints a warning instead of vouching for an altered record', () => {
    const html = renderRecordHtml({
      ...base,
      verifyUrl: null,
      qrSvg: null,
      integrity: { status: 'altered', altered: ['data', 'photo:front'], computedHash: 'e'.repeat(64) },
    });
    expect(html).toContain('Integrity check failed.');
    expect(html).toContain('(data, photo:front)');
    expect(html).toContain(`the content printed here hashes to ${'e'.repeat(64)}`);
    expect(renderRecordHtml(base)).not.toContain('Integrity check failed.');
  });

  it('isolates each value, so right-to-left text or direction marks in a name cannot reorder the page', () => {
    const name = 'Ada \u202EnamreG';
    const html = renderRecordHtml({
      ...base,
      owner: name,
      signatures: [{ ...signature, signerName: name }],
      fields: [{ label: 'Name', display: name }],
    });
    expect(html).toContain(`<bdi>${name}</bdi>`);
    expect(html).toContain(`<dd dir="auto">${name}</dd>`);
  });

  it('escapes the footer text too', () => {
    expect(footerTemplate('ACME <Facilities>', 'EAS-1')).toContain('ACME &lt;Facilities&gt;');
    expect(footerTemplate(null, 'EAS-1')).toContain('class="pageNumber"');
  });
});
